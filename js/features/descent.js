// Gradient descent in any widget: the trainable sliders (the model's `train_inputs`) move by
// -lr · grad of the output per step, in the page, with Step, Play, Pause and Reset, a learning
// rate, a descend/ascend switch, the step and output readouts and a small chart of the output.
//
// A step moves the slider values and tells every feature (`inputs: true` makes the sliders
// follow and write to the kernel once the steps rest, as after a drag), so the kernel's Values
// catch up when play stops and no step waits for it. Each value is clamped to its slider's range.
//
// Opening or closing a box of a network keeps the feature, and with it the run (step count,
// starting values, the output's history, direction) and a play in progress.

/** @typedef {import("../widget/model-sync.js").InputSpec} InputSpec */

const SVG_NS = "http://www.w3.org/2000/svg";
/** Play takes at most one step per this many milliseconds (60 a second). */
const PLAY_INTERVAL_MS = 1000 / 60;
/** The chart keeps this many of the latest points. */
const CHART_POINTS = 500;
const CHART_WIDTH = 160;
const CHART_HEIGHT = 36;

/**
 * One gradient-descent step on `values`: each trainable slider `j` moves by -sign · lr · grad of
 * its leaf, clamped to its range. Returns the new values (a copy). Pure.
 * @param {Float64Array} values every slider's value
 * @param {ArrayLike<number>} grad every node's grad
 * @param {ReadonlyArray<{index: number, id: number, min: number, max: number}>} trainable
 * @param {number} lr
 * @param {1 | -1} sign 1 descends, -1 ascends
 * @returns {Float64Array}
 */
export function descentStep(values, grad, trainable, lr, sign) {
  const next = values.slice();
  for (const t of trainable) {
    const moved = values[t.index] - sign * lr * grad[t.id];
    next[t.index] = Number.isFinite(moved) ? Math.min(t.max, Math.max(t.min, moved)) : values[t.index];
  }
  return next;
}

/**
 * A gradient-descent run.
 * @typedef {object} Run
 * @property {1 | -1} sign 1 descends, -1 ascends
 * @property {number} step
 * @property {Float64Array} start the slider values at step 0
 * @property {number[]} outputs the output after each step, from step 0
 */

/** @type {import("../widget/controller.js").Feature} */
export const descentFeature = {
  name: "descent",
  create(ctx) {
    const names = ctx.model.get("train_inputs");
    const { specs } = ctx.drawing;
    const trainable = (Array.isArray(names) ? names : []).flatMap((name) => {
      const index = specs.findIndex((s) => s.name === name);
      return index < 0 ? [] : [{ index, id: specs[index].id, min: specs[index].min, max: specs[index].max }];
    });
    if (trainable.length === 0) return {};
    const { doc, numbers } = ctx;
    let lr = checkedRate(ctx.model.get("lr")) ?? 0.1;
    /** @type {Run} */
    const run = { sign: 1, step: 0, start: numbers.values.slice(), outputs: [output()] };
    /** @type {ReturnType<typeof setTimeout> | null} */
    let timer = null;

    const group = ctx.toolbar.group("Gradient descent", "mgm-descent");
    group.setAttribute("data-descent", "");
    /**
     * @param {string} what
     * @param {string} text
     * @param {string} title
     */
    const button = (what, text, title) => {
      const b = ctx.toolbar.button(`train-${what}`, text, { title });
      b.setAttribute("data-train", what);
      group.appendChild(b);
      return b;
    };
    button("step", "Step", "Move each trainable input by -lr · grad");
    button("play", "Play", "Take steps until paused");
    button("pause", "Pause", "Stop taking steps");
    button("reset", "Reset", "Back to the starting values");

    const rate = doc.createElement("input");
    rate.type = "number";
    rate.min = "0";
    rate.step = "any";
    rate.className = "mgm-descent-lr";
    rate.setAttribute("data-train", "lr");
    rate.setAttribute("aria-label", "learning rate");
    rate.setAttribute("data-lm-suppress-shortcuts", "true");
    rate.value = String(lr);
    rate.addEventListener("change", () => {
      const next = checkedRate(rate.valueAsNumber);
      if (next === null) {
        rate.value = String(lr); // one clear refusal: the old rate stays
        return;
      }
      lr = next;
      ctx.model.save({ lr });
    });
    const rateLabel = doc.createElement("label");
    rateLabel.className = "mgm-descent-field";
    rateLabel.append("lr ", rate);

    const direction = doc.createElement("select");
    direction.setAttribute("data-train", "direction");
    direction.setAttribute("aria-label", "direction");
    direction.setAttribute("data-lm-suppress-shortcuts", "true");
    for (const [value, text] of [
      ["descend", "descend"],
      ["ascend", "ascend"],
    ]) {
      const option = doc.createElement("option");
      option.value = value;
      option.textContent = text;
      direction.appendChild(option);
    }
    direction.value = run.sign === 1 ? "descend" : "ascend";
    direction.addEventListener("change", () => {
      run.sign = direction.value === "ascend" ? -1 : 1;
    });

    const stepOut = metric("step");
    const lossOut = metric("loss");
    const chart = doc.createElementNS(SVG_NS, "svg");
    chart.setAttribute("class", "mgm-descent-chart");
    chart.setAttribute("data-chart", "output");
    chart.setAttribute("viewBox", `0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`);
    chart.setAttribute("width", String(CHART_WIDTH));
    chart.setAttribute("height", String(CHART_HEIGHT));
    chart.setAttribute("role", "img");
    const line = doc.createElementNS(SVG_NS, "polyline");
    chart.appendChild(line);
    group.append(rateLabel, direction, stepOut, lossOut, chart);
    show();

    /** @param {string} name */
    function metric(name) {
      const out = doc.createElement("output");
      out.className = "mgm-metric";
      out.setAttribute("data-metric", name);
      return out;
    }

    function output() {
      return numbers.data[numbers.g.output];
    }

    function show() {
      stepOut.setAttribute("data-value", String(run.step));
      stepOut.textContent = `step ${run.step}`;
      const y = output();
      lossOut.setAttribute("data-value", String(y));
      lossOut.textContent = `${numbers.g.labels[numbers.g.output] ?? "output"} ${formatShort(y)}`;
      drawChart();
    }

    function drawChart() {
      const shown = run.outputs.slice(-CHART_POINTS).filter(Number.isFinite);
      chart.setAttribute("aria-label", `the output over ${run.outputs.length - 1} steps`);
      if (shown.length < 2) {
        line.setAttribute("points", "");
        return;
      }
      const low = Math.min(...shown);
      const high = Math.max(...shown);
      const span = high - low || 1;
      const points = shown.map((v, i) => {
        const x = (i / (shown.length - 1)) * (CHART_WIDTH - 2) + 1;
        const y = CHART_HEIGHT - 2 - ((v - low) / span) * (CHART_HEIGHT - 4);
        return `${x.toFixed(1)},${y.toFixed(1)}`;
      });
      line.setAttribute("points", points.join(" "));
    }

    /** One step; returns false when no trainable value moved (converged, or held at the range's ends). */
    function takeStep() {
      const grad = numbers.grad;
      const next = descentStep(numbers.values, grad, trainable, lr, run.sign);
      if (!numbers.setValues(next)) return false;
      run.step += 1;
      run.outputs.push(output());
      ctx.refresh({ numbers: true, inputs: true });
      show();
      return true;
    }

    function play() {
      if (timer !== null) return;
      const tick = () => {
        timer = null;
        if (takeStep()) timer = setTimeout(tick, PLAY_INTERVAL_MS);
        else pause();
      };
      timer = setTimeout(tick, 0);
      group.setAttribute("data-playing", "true");
    }

    /** Stop taking steps. */
    function pause() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      group.removeAttribute("data-playing");
    }

    function reset() {
      pause();
      run.step = 0;
      if (numbers.setValues(run.start)) ctx.refresh({ numbers: true, inputs: true });
      run.outputs = [output()];
      show();
    }

    return {
      actions: {
        "train-step": () => {
          pause();
          takeStep();
        },
        "train-play": play,
        "train-pause": pause,
        "train-reset": reset,
      },
      refresh(change) {
        // A slider dragged by hand (not by a step) starts a new run from where it now is.
        if (change.numbers && !change.inputs) {
          run.step = 0;
          run.start = numbers.values.slice();
          run.outputs = [output()];
        }
        if (change.numbers) show();
      },
      modelKeys: {
        lr(value) {
          const next = checkedRate(value);
          if (next === null || next === lr) return;
          lr = next;
          rate.value = String(lr);
        },
      },
      destroy: pause,
    };
  },
};

/**
 * A learning rate, or null when `x` is not a finite number above 0.
 * @param {unknown} x
 * @returns {number | null}
 */
function checkedRate(x) {
  return typeof x === "number" && Number.isFinite(x) && x > 0 ? x : null;
}

/** @param {number} x */
function formatShort(x) {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}
