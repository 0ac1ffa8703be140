// training.js against training.py (tests/vectors/training.json), and on hand-written cases.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { batchIndices, createTrainer, lrAt, mulberry32, sampleLoss } from "./training.js";

/** @typedef {import("./training.js").TrainerSpec} TrainerSpec */

/**
 * tests/vectors/training.json, as tests/vectors/generate_training.py writes it.
 * @typedef {object} TrainingVectors
 * @property {TrainingCase[]} cases
 * @property {Array<{seed: number, draw: number, value: number}>} draws mulberry32's draws
 */

/**
 * One run of train(): its spec, each step's numbers, and where it stopped early (or null).
 * @typedef {object} TrainingCase
 * @property {string} name
 * @property {TrainerSpec} spec
 * @property {Array<{batch: number[], lr: number, loss: number, accuracy: number, weights: number[]}>} steps
 * @property {{step: number, message: string} | null} stopped
 */

/** @type {TrainingVectors} */
const VECTORS = JSON.parse(readFileSync(new URL("../../tests/vectors/training.json", import.meta.url), "utf8"));

/**
 * Same number to 1e-9 relative ("the same numbers to rounding"), or within 1e-12: the two sides
 * add a parameter's per-sample gradients in different orders, so a gradient that cancels to about
 * 0 (a bias that starts at 0) comes out as a different rounding error on each side.
 * @param {number} actual
 * @param {number} expected
 * @param {string} what
 */
function assertClose(actual, expected, what) {
  const ok = Math.abs(actual - expected) <= 1e-9 * Math.abs(expected) + 1e-12;
  assert.ok(ok, `${what}: got ${actual}, expected ${expected}`);
}

/**
 * @param {ArrayLike<number>} actual
 * @param {ArrayLike<number>} expected
 * @param {string} what
 */
function assertAllClose(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], `${what}[${i}]`);
}

/**
 * @param {string} start
 * @returns {TrainingCase}
 */
function caseNamed(start) {
  const found = VECTORS.cases.find((c) => c.name.startsWith(start));
  assert.ok(found, `no vector case "${start}"`);
  return found;
}

/**
 * The generator as it is usually written: a state advanced on every call.
 * @param {number} seed
 */
function referenceMulberry32(seed) {
  let a = seed;
  return () => {
    a += 0x6d2b79f5;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

test("the minibatch generator gives Python's draws and the usual mulberry32 stream", () => {
  assert.ok(VECTORS.draws.length >= 20);
  for (const { seed, draw, value } of VECTORS.draws) {
    assert.equal(mulberry32(seed, draw), value, `seed ${seed}, draw ${draw}`);
  }
  for (const seed of [0, 1, 1337]) {
    const next = referenceMulberry32(seed);
    for (let draw = 0; draw < 200; draw++) assert.equal(mulberry32(seed, draw), next(), `seed ${seed}, draw ${draw}`);
  }
});

test("a batch is distinct rows, the same for the same seed and step, different across steps", () => {
  const seen = new Set();
  for (let step = 0; step < 50; step++) {
    const batch = Array.from(batchIndices(30, 7, 5, step));
    assert.equal(new Set(batch).size, 7);
    assert.ok(batch.every((i) => Number.isInteger(i) && i >= 0 && i < 30));
    assert.deepEqual(Array.from(batchIndices(30, 7, 5, step)), batch);
    seen.add(batch.join(","));
  }
  assert.ok(seen.size > 45, "batches repeat far more often than chance");
  assert.deepEqual(Array.from(batchIndices(5, 5, 9, 3)).sort(), [0, 1, 2, 3, 4]);
});

test("the learning-rate schedule is micrograd's 1.0 - 0.9·k/100, to the bit", () => {
  for (let k = 0; k < 100; k++) assert.equal(lrAt([1.0, 0.1], k, 100), 1.0 - (0.9 * k) / 100);
  assert.equal(lrAt([0.3, 0.3], 7, 10), 0.3);
});

test("every vector case: each step's batch, lr, loss, accuracy and weights match train()", () => {
  assert.ok(VECTORS.cases.length >= 5);
  const losses = new Set();
  for (const c of VECTORS.cases) {
    losses.add(c.spec.loss);
    const trainer = createTrainer(c.spec);
    c.steps.forEach((expected, k) => {
      const where = `${c.name}, step ${k}`;
      const batchSize = c.spec.batch_size ?? null;
      if (batchSize !== null) {
        assert.deepEqual(Array.from(batchIndices(c.spec.X.length, batchSize, c.spec.seed ?? 0, k)), expected.batch, where);
      }
      const before = trainer.metrics();
      assert.equal(before.step, k);
      assertClose(before.loss, expected.loss, `${where}: metrics().loss`);
      const result = trainer.step();
      assert.ok(result, `${where}: step() refused`);
      assert.equal(result.step, k + 1);
      assert.equal(result.lr, expected.lr, `${where}: lr`);
      assertClose(result.loss, expected.loss, `${where}: loss`);
      assert.equal(result.accuracy, expected.accuracy, `${where}: accuracy`);
      assertAllClose(trainer.weights(), expected.weights, `${where}: weights`);
    });
    assert.equal(trainer.history.loss.length, c.steps.length);
    if (c.stopped === null) {
      assert.ok(trainer.done);
      assert.equal(trainer.step(), null, "a finished trainer does not step");
    } else {
      assert.equal(trainer.step(), null, `${c.name}: steps past a non-finite loss`);
      const what = c.stopped.message.match(/: (a score|the loss|a gradient) is not finite/)?.[1];
      assert.match(trainer.diverged ?? "", new RegExp(`^${what} is not finite at step ${c.stopped.step}`));
      assert.equal(trainer.stepsDone, c.stopped.step);
    }
  }
  assert.deepEqual([...losses].sort(), ["logistic", "mse", "svm"]);
});

test("reset and seek go back to earlier weights, and stepping on repeats the same numbers", () => {
  const c = caseNamed("mse, minibatches");
  const trainer = createTrainer(c.spec);
  const start = trainer.weights();
  for (let k = 0; k < 4; k++) trainer.step();
  trainer.seek(2);
  assert.equal(trainer.stepsDone, 2);
  assert.equal(trainer.history.loss.length, 2);
  assertAllClose(trainer.weights(), c.steps[1].weights, "weights after seek(2)");
  assertClose(stepped(trainer).loss, c.steps[2].loss, "step 2 again");
  trainer.reset();
  assert.equal(trainer.stepsDone, 0);
  assert.deepEqual(trainer.weights(), start);
  assert.deepEqual(trainer.history.weights.length, 1);
  for (let k = 0; k < c.steps.length; k++) assertClose(stepped(trainer).loss, c.steps[k].loss, `after reset, step ${k}`);
  assert.throws(() => trainer.seek(c.steps.length + 1), /seek: step 7 is not one of the steps done/);
});

/**
 * One step's result, which must not be a refusal.
 * @param {import("./training.js").Trainer} trainer
 */
function stepped(trainer) {
  const result = trainer.step();
  assert.ok(result, "step() refused");
  return result;
}

test("predict() gives the scores the loss is made of", () => {
  const c = caseNamed("svm, full batch");
  const { X, y, alpha } = c.spec;
  const trainer = createTrainer(c.spec);
  const scores = trainer.predict(Float64Array.from(X.flat()));
  assert.equal(scores.length, X.length);
  let lossSum = 0;
  let right = 0;
  scores.forEach((s, i) => {
    lossSum += Math.max(0, 1 - y[i] * s);
    if (y[i] > 0 === s > 0) right++;
  });
  const squares = trainer.weights().reduce((sum, w) => sum + w * w, 0);
  assertClose(lossSum / X.length + alpha * squares, c.steps[0].loss, "loss from predict()");
  assert.equal(right / X.length, c.steps[0].accuracy);
  trainer.step();
  assert.notDeepEqual(Array.from(trainer.predict(Float64Array.from(X.flat()))), Array.from(scores));
});

// log(1 + e^z) is computed without log1p (the Value graph has no such op), so for z << 0 it is
// right to about 1e-16 absolute, not relative: the tolerance of assertClose.
test("sampleLoss: the logistic loss stays finite at huge margins and matches the textbook form", () => {
  const [far, farSlope] = sampleLoss("logistic", -1000, 1, 1);
  assert.equal(far, 1000);
  assert.equal(farSlope, -1);
  const [none, noneSlope] = sampleLoss("logistic", 1000, 1, 1);
  assert.equal(none, 0);
  assert.equal(noneSlope, -0);
  for (const z of [-30, -2, -0.5, 0, 0.5, 2, 30]) {
    const [value, slope] = sampleLoss("logistic", -z, 1, 0.25);
    assertClose(value, Math.log1p(Math.exp(z)), `log(1 + e^${z})`);
    assertClose(slope, -0.25 / (1 + Math.exp(-z)), `slope at ${z}`);
  }
  assert.deepEqual(sampleLoss("svm", 0.25, -1, 0.5), [1.25, 0.5]);
  assert.deepEqual(sampleLoss("svm", 2, 1, 0.5), [0, -0]);
  assert.deepEqual(sampleLoss("mse", 0.5, -1, 0.5), [2.25, 1.5]);
});

test("a malformed spec is refused with a message that names the problem", () => {
  const base = caseNamed("svm, full batch").spec;
  const output = base.graph.output;
  /** @type {(patch: object, pattern: RegExp) => void} */
  const bad = (patch, pattern) => assert.throws(() => createTrainer({ ...base, ...patch }), pattern);
  bad({ schema: 2 }, /not a schema-1 trainer spec/);
  bad({ params: [output] }, /params: node \d+ is computed \(\+\), not a leaf/);
  bad({ params: [] }, /params is empty/);
  bad({ inputs: [99999] }, /inputs: node 99999 does not exist/);
  bad({ X: [[1, 2], [3]] }, /X row 1 must hold 2 numbers/);
  bad({ X: [[1, NaN], ...base.X.slice(1)] }, /X row 0 holds a number that is not finite/);
  bad({ y: base.y.map((v, i) => (i === 3 ? 0 : v)) }, /y\[3\] is 0: labels must be -1 or \+1/);
  bad({ y: base.y.slice(1) }, /y must hold one label per row of X/);
  bad({ loss: "hinge" }, /loss must be one of svm, mse, logistic/);
  bad({ lr: [1, -0.1] }, /lr must be a finite number >= 0/);
  bad({ alpha: Infinity }, /alpha must be a finite number >= 0/);
  bad({ steps: 0 }, /steps must be a positive integer/);
  bad({ batch_size: base.X.length + 1 }, /batch_size must be an integer from 1 to 12/);
  bad({ seed: -1 }, /seed must be an integer in \[0, 2\^32\)/);
});

test("rate() is the schedule's next rate; setRate(r) replaces the schedule, a bad rate changes nothing", () => {
  const spec = structuredClone(VECTORS.cases[0].spec);
  const trainer = createTrainer(spec);
  const schedule = /** @type {number[]} */ (spec.lr);
  assert.equal(trainer.rate(), lrAt(schedule, 0, spec.steps));
  trainer.step();
  assert.equal(trainer.rate(), lrAt(schedule, 1, spec.steps));
  trainer.setRate(0.25);
  assert.throws(() => trainer.setRate(-1), /lr must be a finite number >= 0/);
  trainer.step();
  assert.deepEqual(trainer.history.lr.slice(1), [0.25]);
  assert.equal(trainer.rate(), 0.25);
});
