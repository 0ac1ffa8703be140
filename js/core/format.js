// How numbers read on the graph: 4 significant digits, no trailing zeros, no "-0", exponent form
// outside [1e-3, 1e4), and NaN / ∞ / -∞ spelled out. Pure functions, tested in format.test.js.

/**
 * A number as the widget shows it on a node, e.g. 2, -3.142, 0.001235, 1.235e+6, 1.2e-5, NaN, -∞.
 * @param {number} x
 * @returns {string}
 */
export function formatNumber(x) {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "-∞";
  if (x === 0) return "0"; // both zeros: a student should never see "-0"
  return significant(x, 4);
}

/** "1.200e+5" -> "1.2e+5", "1.000e-4" -> "1e-4". @param {string} text */
function trimMantissa(text) {
  const e = text.indexOf("e");
  return trimZeros(text.slice(0, e)) + text.slice(e);
}

/**
 * A finite non-zero `x` to `digits` significant digits, written as formatNumber writes it.
 * @param {number} x
 * @param {number} digits
 * @returns {string}
 */
function significant(x, digits) {
  // One rounding, after which the exponent is the displayed number's (9999.7 shows as 1e+4, not
  // 10000). toPrecision writes fixed form for exponents from -6 to digits - 1; ours is from -3 to
  // 3, so a fixed text with more than four digits before the point or below 1e-3 is redone.
  const text = x.toPrecision(digits);
  if (text.includes("e")) return trimMantissa(text);
  const sign = x < 0 ? 1 : 0;
  const point = text.indexOf(".");
  const whole = (point < 0 ? text.length : point) - sign;
  if (whole > 4 || text.startsWith("0.000", sign)) return trimMantissa(x.toExponential(digits - 1));
  return trimZeros(text);
}

/** How closely a formula's number near ±1 shows its distance from 1 (formatFormulaNumber). */
export const GAP_PRECISION = 0.005;

/**
 * A number that enters a formula: formatNumber, except that a value close to ±1 (a saturated
 * tanh's 0.99999999842) gets the digits that show its distance from 1 to about three digits, so that "1 − 0.99999999842² = 3.157e−9" reads true where "1 − 1² = 3.157e−9"
 * would read as bad arithmetic. The twin of explain.py's format_formula_number.
 * @param {number} x
 * @returns {string}
 */
export function formatFormulaNumber(x) {
  let text = formatNumber(x);
  if (!Number.isFinite(x) || x === 0) return text;
  const gap = Math.abs(Math.abs(x) - 1);
  let digits = 4;
  while (digits < 17 && Math.abs(Math.abs(Number(text)) - Math.abs(x)) > GAP_PRECISION * gap) {
    digits += 1;
    text = significant(x, digits);
  }
  return text;
}

/**
 * A slider's value with as many decimals as its step has (step 0.05 -> "2.35", step 1 -> "3"),
 * so the readout never hides a step the slider actually took.
 * @param {number} value
 * @param {number} step
 * @returns {string}
 */
export function formatInputValue(value, step) {
  if (!Number.isFinite(value)) return formatNumber(value);
  const decimals = Math.min(10, stepDecimals(step));
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? (0).toFixed(decimals) : text;
}

/**
 * Decimal places of a step (0.05 -> 2, 0.1 -> 1, 2 -> 0, 1e-7 -> 7).
 * @param {number} step
 * @returns {number}
 */
export function stepDecimals(step) {
  if (!Number.isFinite(step) || step <= 0) return 0;
  for (let d = 0; d <= 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 10;
}

/** "2.500" -> "2.5", "3.000" -> "3", "1235" as it is. @param {string} text */
function trimZeros(text) {
  if (!text.includes(".")) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--; // "0"
  if (text.charCodeAt(end - 1) === 46) end--; // "."
  return text.slice(0, end);
}
