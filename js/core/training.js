// The page's training loop: micrograd's demo step, run on the graph of the model's output for
// one sample.
//
// Twin of micrograd_magic/training.py, which builds the spec (`trainer_spec`) and is the
// reference: tests/vectors/training.json pins the two together. Python builds one Value graph
// for the whole batch; here the one-sample graph is evaluated once per row of the batch (forward
// and backward with engine.js's passes, in an evaluator's arrays: d score / d node), and each
// row's gradient is scaled by the loss's slope d loss / d score, written as the same float
// operations Python's graph performs, so that the two agree to rounding. The weights live in the parsed graph's leaf data,
// so the evaluator, the boundary's forward passes and any picture of the graph all read them.

import { backward, createEvaluator, forward, parseGraph } from "./engine.js";

/** @typedef {import("./engine.js").GraphJSON} GraphJSON */

/**
 * What training.trainer_spec writes (checked by createTrainer, since it comes from outside).
 * @typedef {object} TrainerSpec
 * @property {1} schema
 * @property {GraphJSON} graph the model's output for one sample
 * @property {number[]} inputs the input leaves' ids, one per column of X
 * @property {number[]} params the parameter leaves' ids
 * @property {number[][]} X rows of inputs
 * @property {number[]} y labels, -1 or +1
 * @property {string} loss one of LOSSES
 * @property {number} alpha the L2 factor
 * @property {number | number[]} lr a rate, or [start, end]
 * @property {number} steps
 * @property {number | null} [batch_size] null: the full batch
 * @property {number | null} [seed]
 */

/**
 * @typedef {object} TrainingHistory
 * @property {number[]} loss per update, before it
 * @property {number[]} accuracy per update, before it
 * @property {number[]} lr per update
 * @property {Float64Array[]} weights the weights after k updates, k = 0..stepsDone
 */

/**
 * @typedef {object} Metrics
 * @property {number} step
 * @property {number} loss
 * @property {number} accuracy
 */

/**
 * @typedef {object} Trainer
 * @property {import("./engine.js").ParsedGraph} graph
 * @property {Int32Array} inputs
 * @property {Int32Array} params
 * @property {number} steps
 * @property {TrainingHistory} history
 * @property {number} stepsDone
 * @property {boolean} done
 * @property {string | null} diverged
 * @property {() => (Metrics & {lr: number}) | null} step
 * @property {() => Metrics} metrics
 * @property {() => Float64Array} weights
 * @property {() => number} rate the learning rate of the next update (of the last, once done)
 * @property {(rate: number) => void} setRate use this learning rate from the next update on,
 *   in place of the schedule (a number >= 0, else an Error and nothing changes)
 * @property {() => void} reset
 * @property {(to: number) => void} seek
 * @property {(points: ArrayLike<number>, out?: Float64Array) => Float64Array} predict
 */

/**
 * The loss names the trainer knows (as training.LOSSES), each averaged over the batch.
 * @type {ReadonlyArray<string>}
 */
export const LOSSES = Object.freeze(["svm", "mse", "logistic"]);

const TWO_32 = 4294967296;
const STREAM_STEP = 0x6d2b79f5; // mulberry32's increment
// Largest data set a minibatch can be drawn from exactly: r·n must stay below 2^53.
const MAX_SAMPLED_ROWS = 2 ** 21;

/**
 * The learning rate of update k: start + (end - start)·k/steps, in training.py's order of operations.
 * @param {ArrayLike<number>} lr [start, end]
 * @param {number} k
 * @param {number} steps
 * @returns {number}
 */
export function lrAt(lr, k, steps) {
  return lr[0] + ((lr[1] - lr[0]) * k) / steps;
}

/**
 * Draw number `draw` (0-based) of mulberry32 seeded with `seed`: an unsigned 32-bit integer.
 * @param {number} seed
 * @param {number} draw
 * @returns {number}
 */
export function mulberry32(seed, draw) {
  let t = (seed + Math.imul(draw + 1, STREAM_STEP)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/**
 * The rows of step `step`'s minibatch, as training.batch_indices: a partial Fisher-Yates shuffle
 * of 0..n-1 whose i-th swap uses draw step·batchSize + i of the stream seeded with `seed`.
 * @param {number} n
 * @param {number} batchSize
 * @param {number} seed
 * @param {number} step
 * @returns {Int32Array}
 */
export function batchIndices(n, batchSize, seed, step) {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const first = step * batchSize;
  for (let i = 0; i < batchSize; i++) {
    const r = mulberry32(seed, first + i);
    const j = i + Math.floor((r * (n - i)) / TWO_32);
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order.subarray(0, batchSize);
}

/**
 * One sample's [loss, scale · d loss / d score] (`scale` is 1 / batch size), each computed with
 * the float operations, in the order, that training.py's Value graph for that sample performs.
 * @param {string} loss
 * @param {number} score
 * @param {number} label
 * @param {number} scale
 * @returns {[number, number]}
 */
export function sampleLoss(loss, score, label, scale) {
  if (loss === "svm") {
    const margin = 1 + -label * score;
    return [margin > 0 ? margin : 0, -label * ((margin > 0 ? 1 : 0) * scale)];
  }
  if (loss === "mse") {
    const diff = score - label;
    return [diff * diff, 2 * (diff * scale)];
  }
  const z = -label * score;
  if (z > 0) {
    const e = Math.exp(-z);
    const u = 1 + e;
    return [z + Math.log(u), -label * (scale + -1 * (e * ((1 / u) * scale)))];
  }
  const e = Math.exp(z);
  const u = 1 + e;
  return [Math.log(u), -label * (e * ((1 / u) * scale))];
}

/**
 * A trainer for the spec training.trainer_spec writes: {graph, inputs, params, X, y, loss, alpha,
 * lr: [start, end], steps, batch_size, seed}. Its step k means "after k updates": `stepsDone`.
 *
 * - `step()` runs update k (the loss and accuracy of its forward pass are history.loss[k] and
 *   history.accuracy[k], as in train()) and returns {step, loss, accuracy, lr}; it returns null
 *   and changes nothing once `steps` updates are done, or when the numbers at the current weights
 *   are not finite (then `diverged` names what).
 * - `metrics()`: {step, loss, accuracy} at the current weights (on step k's batch). The pass is
 *   kept, so the next `step()` does not repeat it.
 * - `history`: {loss, accuracy, lr} per update and `weights[k]`, the weights after k updates.
 * - `reset()` goes back to the starting weights; `seek(k)` back to the weights after k updates,
 *   forgetting the later ones; `weights()` the current ones in `params` order (a copy);
 *   `rate()` the next update's learning rate, `setRate(r)` a constant one from then on;
 *   `predict(points, out)`: scores at the current weights for a flat Float64Array of rows.
 * @param {TrainerSpec} spec
 * @returns {Trainer}
 */
export function createTrainer(spec) {
  const setup = checkSpec(spec);
  const { g, inputs, params, X, y, loss, alpha, steps, batchSize, seed } = setup;
  let { lr } = setup;
  const unique = [...new Set(params)];
  const { data, grad } = createEvaluator(g);
  const gradSum = new Float64Array(g.size);
  const scratch = new Float64Array(g.size);
  const fullBatch = Int32Array.from(X.keys());
  const start = currentWeights();
  let k = 0;
  /** @type {{loss: number, accuracy: number, problem: string | null} | null} */
  let pending = null; // the pass at the current weights, once computed
  /** @type {string | null} */
  let diverged = null;
  /** @type {TrainingHistory} */
  const history = { loss: [], accuracy: [], lr: [], weights: [start.slice()] };

  function currentWeights() {
    return Float64Array.from(params, (id) => g.data[id]);
  }

  /** @param {Float64Array} weights */
  function setWeights(weights) {
    params.forEach((id, j) => {
      g.data[id] = weights[j];
    });
    pending = null;
    diverged = null;
  }

  // Forward and backward over step k's batch at the current weights: loss, accuracy, and
  // d total / d parameter summed into gradSum; `problem` names what is not finite, if anything.
  function pass() {
    const batch = batchSize === null ? fullBatch : batchIndices(X.length, batchSize, seed, k);
    const scale = 1.0 / batch.length;
    for (const id of unique) gradSum[id] = 0;
    let lossSum = 0;
    let right = 0;
    /** @type {string | null} */
    let problem = null;
    data.set(g.data); // forward rewrites every computed node, so the leaves need setting once
    for (let b = 0; b < batch.length; b++) {
      const row = batch[b];
      const values = X[row];
      for (let j = 0; j < inputs.length; j++) data[inputs[j]] = values[j];
      forward(g, data);
      const score = data[g.output];
      if (!Number.isFinite(score)) problem = "a score";
      const [value, slope] = sampleLoss(loss, score, y[row], scale);
      lossSum += value;
      if (y[row] > 0 === score > 0) right++;
      // A row with a zero slope (an SVM margin already met) adds only zeros: skip its backward.
      if (slope === 0) continue;
      backward(g, data, grad);
      for (let j = 0; j < unique.length; j++) gradSum[unique[j]] += grad[unique[j]] * slope;
    }
    let total = lossSum * scale;
    if (alpha !== 0) {
      let squares = 0;
      for (const id of params) squares += g.data[id] * g.data[id];
      total += alpha * squares;
      for (const id of params) {
        gradSum[id] += g.data[id] * alpha;
        gradSum[id] += g.data[id] * alpha;
      }
    }
    if (problem === null && !Number.isFinite(total)) problem = "the loss";
    if (problem === null && unique.some((id) => !Number.isFinite(gradSum[id]))) problem = "a gradient";
    return { loss: total, accuracy: right / batch.length, problem };
  }

  /** @param {number} to */
  function seek(to) {
    if (!Number.isInteger(to) || to < 0 || to > k) {
      throw new Error(`seek: step ${to} is not one of the steps done (0..${k})`);
    }
    setWeights(history.weights[to]);
    k = to;
    history.loss.length = to;
    history.accuracy.length = to;
    history.lr.length = to;
    history.weights.length = to + 1;
  }

  function current() {
    if (pending === null) pending = pass();
    return pending;
  }

  return {
    graph: g,
    inputs,
    params,
    steps,
    history,
    get stepsDone() {
      return k;
    },
    get done() {
      return k >= steps;
    },
    get diverged() {
      return diverged;
    },
    step() {
      if (k >= steps || diverged !== null) return null;
      const now = current();
      if (now.problem !== null) {
        diverged = `${now.problem} is not finite at step ${k}`;
        return null;
      }
      const rate = lrAt(lr, k, steps);
      for (const id of params) g.data[id] -= rate * gradSum[id];
      history.loss.push(now.loss);
      history.accuracy.push(now.accuracy);
      history.lr.push(rate);
      k += 1;
      pending = null;
      history.weights.push(currentWeights());
      return { step: k, loss: now.loss, accuracy: now.accuracy, lr: rate };
    },
    metrics() {
      const now = current();
      return { step: k, loss: now.loss, accuracy: now.accuracy };
    },
    weights: currentWeights,
    rate: () => lrAt(lr, Math.min(k, steps - 1), steps),
    setRate(rate) {
      lr = [nonNegative(rate, "lr"), rate];
    },
    reset() {
      seek(0);
    },
    seek,
    predict(points, out) {
      const width = inputs.length;
      const count = Math.floor(points.length / width);
      const scores = out ?? new Float64Array(count);
      scratch.set(g.data);
      for (let p = 0; p < count; p++) {
        for (let j = 0; j < width; j++) scratch[inputs[j]] = points[p * width + j];
        forward(g, scratch);
        scores[p] = scratch[g.output];
      }
      return scores;
    },
  };
}

// --- checking the spec: one clear line per problem ------------------------------------------

/** @param {TrainerSpec} spec */
function checkSpec(spec) {
  if (spec === null || typeof spec !== "object" || spec.schema !== 1) {
    throw new Error("not a schema-1 trainer spec: expected {\"schema\": 1, ...} from training.trainer_spec");
  }
  const g = parseGraph(spec.graph);
  const inputs = leafIds(spec.graph.nodes, spec.inputs, "inputs");
  const params = leafIds(spec.graph.nodes, spec.params, "params");
  if (params.length === 0) throw new Error("params is empty: the model has nothing to train");
  if (!Array.isArray(spec.X) || spec.X.length === 0) throw new Error("X must be a non-empty list of rows");
  const X = spec.X.map((row, i) => {
    if (!Array.isArray(row) || row.length !== inputs.length) {
      throw new Error(`X row ${i} must hold ${inputs.length} numbers, one per input`);
    }
    if (!row.every(Number.isFinite)) throw new Error(`X row ${i} holds a number that is not finite`);
    return Float64Array.from(row);
  });
  if (!Array.isArray(spec.y) || spec.y.length !== X.length) {
    throw new Error(`y must hold one label per row of X (${X.length})`);
  }
  spec.y.forEach((label, i) => {
    if (label !== 1 && label !== -1) throw new Error(`y[${i}] is ${JSON.stringify(label)}: labels must be -1 or +1`);
  });
  if (!LOSSES.includes(spec.loss)) {
    throw new Error(`loss must be one of ${LOSSES.join(", ")}, not ${JSON.stringify(spec.loss)}`);
  }
  const alpha = nonNegative(spec.alpha, "alpha");
  const lr = typeof spec.lr === "number" ? [spec.lr, spec.lr] : spec.lr;
  if (!Array.isArray(lr) || lr.length !== 2) throw new Error("lr must be a number or [start, end]");
  for (const rate of lr) nonNegative(rate, "lr");
  const { steps } = spec;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, not ${steps}`);
  const batchSize = spec.batch_size ?? null;
  if (batchSize !== null) {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > X.length) {
      throw new Error(`batch_size must be an integer from 1 to ${X.length} (or null), not ${batchSize}`);
    }
    if (X.length > MAX_SAMPLED_ROWS) throw new Error(`minibatches need at most ${MAX_SAMPLED_ROWS} rows`);
  }
  const seed = spec.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_32) throw new Error(`seed must be an integer in [0, 2^32), not ${seed}`);
  return { g, inputs, params, X, y: Int8Array.from(spec.y), loss: spec.loss, alpha, lr, steps, batchSize, seed };
}

/**
 * Read from the schema-1 JSON (a leaf has no args) rather than the parsed graph's internals.
 * @param {import("./engine.js").NodeJSON[]} nodes
 * @param {unknown} ids
 * @param {string} name
 * @returns {Int32Array}
 */
function leafIds(nodes, ids, name) {
  if (!Array.isArray(ids)) throw new Error(`${name} must be a list of leaf ids`);
  return Int32Array.from(ids, (id) => {
    if (!Number.isInteger(id) || id < 0 || id >= nodes.length) throw new Error(`${name}: node ${id} does not exist`);
    if ((nodes[id].args ?? []).length !== 0) throw new Error(`${name}: node ${id} is computed (${nodes[id].op}), not a leaf`);
    return id;
  });
}

/**
 * @param {unknown} x
 * @param {string} name
 * @returns {number}
 */
function nonNegative(x, name) {
  if (typeof x !== "number" || !Number.isFinite(x) || x < 0) {
    throw new Error(`${name} must be a finite number >= 0, not ${JSON.stringify(x)}`);
  }
  return x;
}
