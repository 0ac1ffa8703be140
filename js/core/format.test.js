// How numbers read on the nodes and next to the sliders.
import assert from "node:assert/strict";
import { test } from "node:test";

import { formatInputValue, formatNumber, stepDecimals } from "./format.js";

test("4 significant digits, trailing zeros dropped", () => {
  /** @type {Array<[number, string]>} */
  const cases = [
    [2, "2"],
    [10, "10"],
    [-Math.PI, "-3.142"],
    [0.1 + 0.2, "0.3"],
    [6.881373587019543, "6.881"],
    [1234.5, "1235"],
    [9999, "9999"],
    [0.001234567, "0.001235"],
    [-0.5, "-0.5"],
    [Math.SQRT1_2, "0.7071"],
  ];
  for (const [x, text] of cases) assert.equal(formatNumber(x), text, `formatNumber(${x})`);
});

test("exponent form for large and small numbers, decided after rounding", () => {
  /** @type {Array<[number, string]>} */
  const cases = [
    [1234567, "1.235e+6"],
    [0.000012, "1.2e-5"],
    [-0.000123456, "-1.235e-4"],
    [10000, "1e+4"],
    [9999.7, "1e+4"], // rounds up to 5 digits, so it switches form
    [0.00099996, "0.001"], // rounds up into fixed form
    [1e300, "1e+300"],
    [-1.7976931348623157e308, "-1.798e+308"],
    [5e-324, "4.941e-324"],
  ];
  for (const [x, text] of cases) assert.equal(formatNumber(x), text, `formatNumber(${x})`);
});

test("below 1e-3 the exponent form, also where JavaScript's own toPrecision writes fixed", () => {
  /** @type {Array<[number, string]>} */
  const cases = [
    [0.00012345, "1.234e-4"],
    [-0.0000012345, "-1.234e-6"],
    [9.9996e-7, "1e-6"],
    [0.0009999, "9.999e-4"],
    [-0.00099996, "-0.001"], // rounds up into fixed form
    [-1000.04, "-1000"],
  ];
  for (const [x, text] of cases) assert.equal(formatNumber(x), text, `formatNumber(${x})`);
});

test("no minus zero, and non-finite numbers spelled out", () => {
  assert.equal(formatNumber(-0), "0");
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(-Number.MIN_VALUE / 2), "0"); // underflows to -0
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(Infinity), "∞");
  assert.equal(formatNumber(-Infinity), "-∞");
});

test("displayed numbers fit the 10 characters a node reserves (11 with a 3-digit exponent)", () => {
  const typical = [-1.2345e-7, -9.9999e8, -0.0012345, -1234.5, -123.45678, -9.87654e-10, -1.5e99];
  for (const x of typical) assert.ok(formatNumber(x).length <= 10, `${x} -> ${formatNumber(x)}`);
  for (const x of [-1.5e300, -1e-300]) assert.ok(formatNumber(x).length <= 11, `${x}`);
});

test("slider readouts show as many decimals as the step", () => {
  assert.equal(formatInputValue(2, 0.05), "2.00");
  assert.equal(formatInputValue(-3, 0.1), "-3.0");
  assert.equal(formatInputValue(7, 1), "7");
  assert.equal(formatInputValue(-0.001, 0.01), "0.00"); // no "-0.00"
  assert.equal(formatInputValue(6.881374, 0.000001), "6.881374");
  assert.equal(formatInputValue(NaN, 0.1), "NaN");
});

test("stepDecimals counts a step's decimal places despite binary fractions", () => {
  assert.equal(stepDecimals(0.05), 2);
  assert.equal(stepDecimals(0.1), 1);
  assert.equal(stepDecimals(0.3), 1);
  assert.equal(stepDecimals(2), 0);
  assert.equal(stepDecimals(1e-7), 7);
  assert.equal(stepDecimals(0), 0);
});
