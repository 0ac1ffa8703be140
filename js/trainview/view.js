// The training view (train_view in Python): a model learning a 2-D data set, trained in the page.
//
// Side by side: the data over the decision boundary (a heat map of the model's score on a grid
// over the plane; for an MLP a dense loop, once it agreed with the graph), the loss and accuracy curves, and the network with each weight coloured by
// its sign and drawn as thick as its size. Play, Pause, Step and Reset drive the trainer of
// core/training.js (the same numbers as train() in Python); the history scrubber shows any
// earlier step (boundary, weights and readouts together) and training on from there forgets
// the later steps. Whenever training rests (pause, the end, a step, reset) the page writes
// `progress` to the model: the kernel puts the weights into its model and keeps the history.
//
// Model keys: `trainer` (training.trainer_spec's JSON), `sizes` (an MLP's layer widths, or []),
// `progress` ({step, loss, accuracy, lr, weights}, written by the page).

import { forward } from "../core/engine.js";
import { createTrainer } from "../core/training.js";
import { ensureStyle } from "../view/style.js";
import { createToolbar } from "../view/toolbar.js";
import { createDebounce, createModelSync } from "../widget/model-sync.js";

/** @typedef {import("../widget/model-sync.js").Model} Model */
/** @typedef {import("../core/training.js").Trainer} Trainer */

const SVG_NS = "http://www.w3.org/2000/svg";
/** Cells per side of the decision boundary's grid. */
export const GRID = 50;
/** Pixels per side of the boundary's picture. */
const PLOT = 250;
/** Play's default speed, in steps a second. */
export const DEFAULT_SPEED = 20;
const CURVE_WIDTH = 260;
const CURVE_HEIGHT = 110;
const NET_WIDTH = 300;
const NET_HEIGHT = 250;

/**
 * The scores of the model at `weights` for each row of `points` (flat, `width` numbers a row),
 * evaluated on the trainer's graph with its input and parameter leaves set.
 * @param {Trainer} trainer
 * @param {ArrayLike<number>} weights
 * @param {Float64Array} points
 * @param {Float64Array} scratch the graph's size
 * @param {Float64Array} out
 */
export function scoresAt(trainer, weights, points, scratch, out) {
  const g = trainer.graph;
  const { inputs, params } = trainer;
  const width = inputs.length;
  scratch.set(g.data);
  for (let j = 0; j < params.length; j++) scratch[params[j]] = weights[j];
  for (let p = 0; p < out.length; p++) {
    for (let j = 0; j < width; j++) scratch[inputs[j]] = points[p * width + j];
    forward(g, scratch);
    out[p] = scratch[g.output];
  }
  return out;
}

/**
 * The scores of an MLP of layer widths `sizes` (input first) at `weights` (model.parameters()
 * order: per neuron its weights, then its bias) for each row of `points`: relu on every layer but
 * the last, as nn.MLP. A dense loop is many times faster than the graph; the view trusts it only
 * after it agreed with the graph (scoresAt) on sample points.
 * @param {ReadonlyArray<number>} sizes
 * @param {ArrayLike<number>} weights
 * @param {Float64Array} points
 * @param {Float64Array} out
 */
export function mlpScores(sizes, weights, points, out) {
  const widest = Math.max(...sizes);
  let input = new Float64Array(widest);
  let output = new Float64Array(widest);
  const nin = sizes[0];
  const last = sizes.length - 1;
  for (let p = 0; p < out.length; p++) {
    for (let j = 0; j < nin; j++) input[j] = points[p * nin + j];
    let w = 0;
    for (let l = 1; l <= last; l++) {
      const width = sizes[l - 1];
      for (let n = 0; n < sizes[l]; n++) {
        let act = weights[w + width]; // the bias, first, as weighted_sum starts from it
        for (let i = 0; i < width; i++) act += weights[w + i] * input[i];
        output[n] = l < last && act < 0 ? 0 : act;
        w += width + 1;
      }
      [input, output] = [output, input];
    }
    out[p] = input[0];
  }
  return out;
}

/**
 * Whether mlpScores computes the model's own scores: both ways on `count` of the grid's points,
 * spread over it, at `weights`, to 1e-9 relative.
 * @param {Trainer} trainer
 * @param {ReadonlyArray<number>} sizes
 * @param {ArrayLike<number>} weights
 * @param {Float64Array} points
 * @param {number} count
 */
export function mlpAgrees(trainer, sizes, weights, points, count) {
  const width = sizes[0];
  if (sizes[sizes.length - 1] !== 1 || width !== trainer.inputs.length) return false;
  const total = points.length / width;
  const sample = new Float64Array(count * width); // spread over the whole plane
  for (let i = 0; i < count; i++) {
    const p = Math.floor((i * total) / count);
    for (let j = 0; j < width; j++) sample[i * width + j] = points[p * width + j];
  }
  const fast = mlpScores(sizes, weights, sample, new Float64Array(count));
  const slow = scoresAt(trainer, weights, sample, new Float64Array(trainer.graph.size), new Float64Array(count));
  return fast.every((v, i) => Math.abs(v - slow[i]) <= 1e-9 * Math.max(1, Math.abs(slow[i])));
}

/**
 * The plane the boundary covers: the data's extent and half a unit more on every side, and the
 * centre of each of GRID × GRID cells in it, row by row from the top.
 * @param {ReadonlyArray<ArrayLike<number>>} X
 */
export function gridOver(X) {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const row of X) {
    x0 = Math.min(x0, row[0]);
    x1 = Math.max(x1, row[0]);
    y0 = Math.min(y0, row[1]);
    y1 = Math.max(y1, row[1]);
  }
  const box = { x0: x0 - 0.5, x1: x1 + 0.5, y0: y0 - 0.5, y1: y1 + 0.5 };
  const points = new Float64Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      const i = (r * GRID + c) * 2;
      points[i] = box.x0 + ((c + 0.5) / GRID) * (box.x1 - box.x0);
      points[i + 1] = box.y1 - ((r + 0.5) / GRID) * (box.y1 - box.y0);
    }
  }
  return { box, points };
}

/**
 * Render the training view for `model` into `el`; returns the function that removes it.
 * @param {{model: Model, el: HTMLElement}} host
 * @returns {() => void}
 */
export function createTrainView({ model, el }) {
  ensureStyle(el);
  const doc = el.ownerDocument;
  const root = doc.createElement("div");
  root.className = "mgm-root mgm-trainview";
  el.appendChild(root);
  const sync = createModelSync(model);
  /** @type {Trainer} */
  let trainer;
  try {
    trainer = createTrainer(sync.get("trainer"));
  } catch (err) {
    const box = doc.createElement("div");
    box.className = "mgm-error";
    box.textContent = `micrograd_magic cannot train this model: ${err instanceof Error ? err.message : String(err)}`;
    root.appendChild(box);
    return () => root.remove();
  }
  const { history, steps } = trainer;
  const resumed = resume(trainer, sync.get("progress"));
  const rows = trainer.inputs.length === 2 ? sync.get("trainer").X : null;
  const labels = sync.get("trainer").y;
  const sizes = validSizes(sync.get("sizes"), trainer.params.length);
  let shown = trainer.stepsDone; // the step on screen, or an earlier one while scrubbing
  let speed = DEFAULT_SPEED;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  let frame = 0;
  const later = createDebounce(report);

  // --- controls ---------------------------------------------------------------------------
  const toolbar = createToolbar(doc);
  const group = toolbar.group("Training", "mgm-descent");
  /**
   * @param {string} what
   * @param {string} text
   * @param {() => void} onClick
   */
  const button = (what, text, onClick) => {
    const b = toolbar.button(`train-${what}`, text);
    b.setAttribute("data-train", what);
    b.addEventListener("click", onClick);
    group.appendChild(b);
  };
  button("play", "Play", play);
  button("pause", "Pause", pause);
  button("step", "Step", () => {
    pause();
    stepOnce();
    later.schedule();
  });
  button("reset", "Reset", reset);
  const rate = field("number", "lr", "learning rate");
  rate.min = "0";
  rate.step = "any";
  rate.addEventListener("change", () => {
    const next = rate.valueAsNumber;
    if (Number.isFinite(next) && next >= 0) trainer.setRate(next);
    rate.value = String(trainer.rate());
  });
  const pace = field("range", "speed", "steps a second");
  pace.min = "1";
  pace.max = "60";
  pace.step = "1";
  pace.value = String(speed);
  pace.addEventListener("input", () => {
    speed = pace.valueAsNumber;
  });
  const scrubber = field("range", "history", "history: the step shown");
  scrubber.min = "0";
  scrubber.step = "1";
  scrubber.addEventListener("input", () => {
    shown = Math.min(trainer.stepsDone, Math.max(0, Math.round(scrubber.valueAsNumber)));
    draw();
  });
  const metrics = doc.createElement("div");
  metrics.className = "mgm-metrics";
  const [stepOut, lossOut, accuracyOut] = ["step", "loss", "accuracy"].map((name) => {
    const out = doc.createElement("output");
    out.className = "mgm-metric";
    out.setAttribute("data-metric", name);
    metrics.appendChild(out);
    return out;
  });
  const status = doc.createElement("div");
  status.className = "mgm-trainview-status";
  status.setAttribute("role", "status");

  // --- the three pictures ---------------------------------------------------------------
  const panels = doc.createElement("div");
  panels.className = "mgm-trainview-panels";
  const boundary = rows ? createBoundary() : null;
  const lossChart = createCurve("loss");
  const accuracyChart = createCurve("accuracy");
  const curves = doc.createElement("div");
  curves.className = "mgm-trainview-curves";
  curves.append(lossChart.element, accuracyChart.element);
  const network = createNetwork();
  if (boundary) panels.append(boundary.element);
  panels.append(curves, network.element);
  root.append(toolbar.element, metrics, status, panels);
  draw();

  /**
   * A labelled input with `data-train="name"`, added to the toolbar group.
   * @param {string} type
   * @param {string} name
   * @param {string} text
   */
  function field(type, name, text) {
    const input = doc.createElement("input");
    input.type = type;
    input.setAttribute("data-train", name);
    input.setAttribute("data-lm-suppress-shortcuts", "true");
    input.setAttribute("aria-label", text);
    const label = doc.createElement("label");
    label.className = "mgm-descent-field";
    label.append(`${name} `, input);
    group.appendChild(label);
    return input;
  }

  function createBoundary() {
    const { box, points } = gridOver(rows);
    const scores = new Float64Array(GRID * GRID);
    const scratch = new Float64Array(trainer.graph.size);
    const canvas = doc.createElement("canvas");
    canvas.width = PLOT;
    canvas.height = PLOT;
    canvas.className = "mgm-boundary";
    canvas.setAttribute("data-boundary", "");
    canvas.setAttribute("data-grid", String(GRID));
    canvas.setAttribute("role", "img");
    const small = doc.createElement("canvas");
    small.width = GRID;
    small.height = GRID;
    const context = canvas.getContext?.("2d") ?? null;
    const smallContext = small.getContext?.("2d") ?? null;
    const dense = sizes.length > 0 && mlpAgrees(trainer, sizes, trainer.weights(), points, 64);
    canvas.setAttribute("data-dense", String(dense));
    /** @param {ArrayLike<number>} weights @param {number} step */
    function paint(weights, step) {
      if (dense) mlpScores(sizes, weights, points, scores);
      else scoresAt(trainer, weights, points, scratch, scores);
      let positive = 0;
      for (const s of scores) if (s > 0) positive++;
      canvas.setAttribute("data-step", String(step));
      canvas.setAttribute("data-positive", String(positive / scores.length));
      canvas.setAttribute("aria-label", `decision boundary at step ${step}: ${Math.round((100 * positive) / scores.length)}% of the plane scores above 0`);
      if (!context || !smallContext) return; // no canvas (a DOM without one): the numbers stay
      const image = smallContext.createImageData(GRID, GRID);
      for (let i = 0; i < scores.length; i++) {
        const t = Math.tanh(scores[i]);
        const [r, g, b] = t > 0 ? [31, 119, 180] : [255, 127, 14]; // the two classes' colours
        const strength = 0.15 + 0.45 * Math.min(1, Math.abs(t));
        image.data[i * 4] = Math.round(255 + (r - 255) * strength);
        image.data[i * 4 + 1] = Math.round(255 + (g - 255) * strength);
        image.data[i * 4 + 2] = Math.round(255 + (b - 255) * strength);
        image.data[i * 4 + 3] = 255;
      }
      smallContext.putImageData(image, 0, 0);
      context.imageSmoothingEnabled = false;
      context.drawImage(small, 0, 0, PLOT, PLOT);
      const sx = PLOT / (box.x1 - box.x0);
      const sy = PLOT / (box.y1 - box.y0);
      for (let i = 0; i < rows.length; i++) {
        context.beginPath();
        context.arc((rows[i][0] - box.x0) * sx, (box.y1 - rows[i][1]) * sy, 3.5, 0, 2 * Math.PI);
        context.fillStyle = labels[i] > 0 ? "#1f77b4" : "#ff7f0e";
        context.fill();
        context.strokeStyle = "#ffffff";
        context.lineWidth = 1;
        context.stroke();
      }
    }
    return { element: canvas, paint };
  }

  /** @param {"loss" | "accuracy"} name */
  function createCurve(name) {
    const svg = doc.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "mgm-curve");
    svg.setAttribute("data-chart", name);
    svg.setAttribute("viewBox", `0 0 ${CURVE_WIDTH} ${CURVE_HEIGHT}`);
    svg.setAttribute("width", String(CURVE_WIDTH));
    svg.setAttribute("height", String(CURVE_HEIGHT));
    svg.setAttribute("role", "img");
    const title = doc.createElementNS(SVG_NS, "text");
    title.setAttribute("x", "4");
    title.setAttribute("y", "12");
    title.setAttribute("class", "mgm-curve-title");
    title.textContent = name;
    const line = doc.createElementNS(SVG_NS, "polyline");
    const marker = doc.createElementNS(SVG_NS, "line");
    marker.setAttribute("class", "mgm-curve-marker");
    marker.setAttribute("y1", "0");
    marker.setAttribute("y2", String(CURVE_HEIGHT));
    svg.append(title, line, marker);
    /** @param {number[]} values @param {number} at */
    function plot(values, at) {
      svg.setAttribute("data-points", String(values.length));
      svg.setAttribute("aria-label", `${name} over ${values.length} updates`);
      const finite = values.filter(Number.isFinite);
      const high = name === "accuracy" ? 1 : Math.max(1e-12, ...finite);
      const x = (/** @type {number} */ i) => 2 + (i / Math.max(1, steps)) * (CURVE_WIDTH - 4);
      const points = values.map((v, i) => `${x(i).toFixed(1)},${(CURVE_HEIGHT - 2 - (Math.max(0, v) / high) * (CURVE_HEIGHT - 18)).toFixed(1)}`);
      line.setAttribute("points", points.join(" "));
      marker.setAttribute("x1", x(at).toFixed(1));
      marker.setAttribute("x2", x(at).toFixed(1));
    }
    return { element: svg, plot };
  }

  function createNetwork() {
    const svg = doc.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "mgm-network");
    svg.setAttribute("data-network", "");
    svg.setAttribute("viewBox", `0 0 ${NET_WIDTH} ${NET_HEIGHT}`);
    svg.setAttribute("width", String(NET_WIDTH));
    svg.setAttribute("height", String(NET_HEIGHT));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "the network: each weight coloured by its sign, as thick as its size");
    /** @type {SVGElement[]} one shape per parameter, in model.parameters() order */
    const shapes = [];
    if (sizes.length > 0) {
      const column = (/** @type {number} */ l) => 20 + (l / (sizes.length - 1)) * (NET_WIDTH - 40);
      const row = (/** @type {number} */ l, /** @type {number} */ i) => ((i + 1) / (sizes[l] + 1)) * NET_HEIGHT;
      const edges = doc.createElementNS(SVG_NS, "g");
      const nodes = doc.createElementNS(SVG_NS, "g");
      for (let l = 1; l < sizes.length; l++) {
        for (let n = 0; n < sizes[l]; n++) {
          for (let i = 0; i < sizes[l - 1]; i++) {
            const edge = doc.createElementNS(SVG_NS, "line");
            edge.setAttribute("x1", column(l - 1).toFixed(1));
            edge.setAttribute("y1", row(l - 1, i).toFixed(1));
            edge.setAttribute("x2", column(l).toFixed(1));
            edge.setAttribute("y2", row(l, n).toFixed(1));
            edges.appendChild(edge);
            shapes.push(edge);
          }
          const bias = doc.createElementNS(SVG_NS, "circle"); // the neuron, coloured by its bias
          bias.setAttribute("cx", column(l).toFixed(1));
          bias.setAttribute("cy", row(l, n).toFixed(1));
          bias.setAttribute("r", "4");
          nodes.appendChild(bias);
          shapes.push(bias);
        }
      }
      for (let i = 0; i < sizes[0]; i++) {
        const input = doc.createElementNS(SVG_NS, "circle");
        input.setAttribute("cx", column(0).toFixed(1));
        input.setAttribute("cy", row(0, i).toFixed(1));
        input.setAttribute("r", "4");
        input.setAttribute("class", "mgm-network-input");
        nodes.appendChild(input);
      }
      svg.append(edges, nodes);
    } else {
      // Any other model: one square per parameter, in rows.
      const per = Math.ceil(Math.sqrt(trainer.params.length));
      const cell = Math.min(NET_WIDTH, NET_HEIGHT) / per;
      for (let j = 0; j < trainer.params.length; j++) {
        const square = doc.createElementNS(SVG_NS, "rect");
        square.setAttribute("x", ((j % per) * cell).toFixed(1));
        square.setAttribute("y", (Math.floor(j / per) * cell).toFixed(1));
        square.setAttribute("width", (cell * 0.9).toFixed(1));
        square.setAttribute("height", (cell * 0.9).toFixed(1));
        svg.appendChild(square);
        shapes.push(square);
      }
    }
    /** @param {ArrayLike<number>} weights @param {number} step */
    function paint(weights, step) {
      svg.setAttribute("data-step", String(step));
      let largest = 1e-12;
      for (let j = 0; j < weights.length; j++) largest = Math.max(largest, Math.abs(weights[j]));
      shapes.forEach((shape, j) => {
        const w = weights[j];
        const sign = w > 0 ? "pos" : w < 0 ? "neg" : "zero";
        const size = Math.abs(w) / largest;
        if (shape.getAttribute("data-sign") !== sign) shape.setAttribute("data-sign", sign);
        shape.setAttribute("data-weight", String(w));
        if (shape.tagName === "line") shape.setAttribute("stroke-width", (0.3 + 3 * size).toFixed(2));
        else shape.setAttribute("fill-opacity", (0.25 + 0.75 * size).toFixed(2));
      });
    }
    return { element: svg, paint };
  }

  // --- drawing the step on screen -------------------------------------------------------
  function weightsShown() {
    return shown === trainer.stepsDone ? trainer.weights() : history.weights[shown];
  }

  function draw() {
    const done = trainer.stepsDone;
    scrubber.max = String(done);
    scrubber.value = String(shown);
    scrubber.setAttribute("aria-valuetext", `step ${shown} of ${done}`);
    const now = shown === done ? trainer.metrics() : { loss: history.loss[shown], accuracy: history.accuracy[shown] };
    show(stepOut, shown, `step ${shown}/${steps}`);
    show(lossOut, now.loss, `loss ${now.loss.toPrecision(4)}`);
    show(accuracyOut, now.accuracy, `accuracy ${(100 * now.accuracy).toFixed(0)}%`);
    if (notTyping(rate)) rate.value = String(trainer.rate());
    lossChart.plot(history.loss, shown);
    accuracyChart.plot(history.accuracy, shown);
    const weights = weightsShown();
    network.paint(weights, shown);
    status.textContent = resumed === false
      ? "The kernel's last step could not be repeated here (was the learning rate changed?): starting again from step 0."
      : trainer.diverged
      ? `Training stopped: ${trainer.diverged} (is the learning rate too large?)`
      : trainer.done
        ? `Done: ${steps} steps.`
        : "";
    if (boundary) {
      // One boundary per animation frame, however fast the steps come.
      const win = doc.defaultView;
      if (!win?.requestAnimationFrame) boundary.paint(weights, shown);
      else if (!frame) {
        frame = win.requestAnimationFrame(() => {
          frame = 0;
          boundary.paint(weightsShown(), shown);
        });
      }
    }
  }

  /**
   * @param {HTMLOutputElement} out
   * @param {number} value
   * @param {string} text
   */
  function show(out, value, text) {
    out.setAttribute("data-value", String(value));
    out.textContent = text;
  }

  /** The lr box shows the next update's rate unless the user is typing in it. @param {HTMLInputElement} input */
  function notTyping(input) {
    return input.ownerDocument.activeElement !== input;
  }

  // --- training -------------------------------------------------------------------------
  /** One update from the step on screen (earlier steps shown are trained on from). */
  function stepOnce() {
    if (shown < trainer.stepsDone) trainer.seek(shown);
    const result = trainer.step();
    shown = trainer.stepsDone;
    draw();
    return result !== null;
  }

  function play() {
    if (timer !== null || trainer.done) return;
    root.setAttribute("data-playing", "true");
    const tick = () => {
      timer = null;
      if (stepOnce() && !trainer.done) timer = setTimeout(tick, 1000 / speed);
      else pause();
    };
    timer = setTimeout(tick, 0);
  }

  function pause() {
    const wasPlaying = timer !== null || root.hasAttribute("data-playing");
    if (timer !== null) clearTimeout(timer);
    timer = null;
    root.removeAttribute("data-playing");
    if (wasPlaying) report();
  }

  function reset() {
    pause();
    trainer.reset();
    shown = 0;
    draw();
    report();
  }

  /** Tell the kernel where training is: it puts the weights into its model. */
  function report() {
    later.cancel();
    sync.save({
      progress: {
        step: trainer.stepsDone,
        loss: history.loss.slice(),
        accuracy: history.accuracy.slice(),
        lr: history.lr.slice(),
        weights: Array.from(trainer.weights()),
      },
    });
  }

  return () => {
    if (timer !== null) clearTimeout(timer);
    later.cancel();
    if (frame) doc.defaultView?.cancelAnimationFrame(frame);
    root.remove();
  };
}

/**
 * Take up where the model's `progress` says training was (a view displayed again, or a page
 * saved after training): repeat its steps, which give the same numbers, and keep them only if
 * they end at its weights. Returns null with nothing to resume, else whether it resumed.
 * @param {Trainer} trainer
 * @param {unknown} progress
 * @returns {boolean | null}
 */
export function resume(trainer, progress) {
  const p = /** @type {{step?: unknown, weights?: unknown}} */ (progress ?? {});
  const step = p.step;
  const weights = p.weights;
  if (typeof step !== "number" || !Number.isInteger(step) || step <= 0 || step > trainer.steps) return null;
  if (!Array.isArray(weights) || weights.length !== trainer.params.length) return null;
  while (trainer.stepsDone < step && trainer.step() !== null);
  const now = trainer.weights();
  const same = trainer.stepsDone === step && weights.every((w, j) => Math.abs(now[j] - w) <= 1e-9 * Math.max(1, Math.abs(w)));
  if (!same) trainer.reset();
  return same;
}

/**
 * An MLP's layer widths if they account for every parameter, else [] (a strip of weights).
 * @param {unknown} sizes
 * @param {number} count
 * @returns {number[]}
 */
function validSizes(sizes, count) {
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n > 0)) return [];
  let params = 0;
  for (let l = 1; l < sizes.length; l++) params += sizes[l] * (sizes[l - 1] + 1);
  return params === count ? sizes : [];
}
