// The sliders, one per input, and the model's `inputs` key.
//
// A slider's `input` event recomputes forward and backward in the page and redraws the numbers,
// with no kernel round trip: at once for the first move in a frame, and once at the next frame
// for the moves that follow it before then (the latest value of each slider wins; the pacer,
// widget/pacer.js). The new values go to the model when the drag ends (`change`) and, debounced,
// while it lasts; values another feature sets (`inputs` in a refresh) move the sliders and are
// written the same way. When the kernel sends `inputs` (or refuses ours and sends its own back,
// a snap-back), its values win over a drag value not sent yet.

import { createSliders } from "../view/sliders.js";
import { createDebounce } from "../widget/model-sync.js";
import { createPacer } from "../widget/pacer.js";

/** @typedef {import("../widget/model-sync.js").InputSpec} InputSpec */

/** @type {import("../widget/controller.js").Feature} */
export const inputsFeature = {
  name: "inputs",
  create(ctx) {
    const { numbers } = ctx;
    let specs = ctx.drawing.specs;
    let synced = numbers.values.slice(); // what the model last got from us or sent us
    const later = createDebounce(write);
    /** @type {Map<number, number>} slider index -> a value moved to but not computed yet */
    const moved = new Map();
    const pacer = createPacer(ctx.doc.defaultView, compute);
    const sliders = createSliders(ctx.doc, specs, {
      onInput(index, value) {
        moved.set(index, value);
        pacer.request();
        later.schedule();
      },
      onChange(index, value) {
        moved.set(index, value);
        pacer.cancel();
        compute();
        write();
      },
    });
    ctx.place("top", sliders.element);

    /** One pass with every slider where it was last moved, and the features told. */
    function compute() {
      if (moved.size === 0) return;
      const values = numbers.values.slice();
      for (const [index, value] of moved) values[index] = value;
      moved.clear();
      if (numbers.setValues(values)) ctx.refresh({ numbers: true });
    }

    /** Forget slider moves not computed yet: values from elsewhere win. */
    function drop() {
      moved.clear();
      pacer.cancel();
    }

    /** Write the slider values to the model, if they differ from what it last got from us. */
    function write() {
      later.cancel();
      pacer.flush(); // a move still waiting for its frame is part of what the model gets
      const { values } = numbers;
      if (values.every((v, j) => Object.is(v, synced[j]))) return;
      synced = values.slice();
      specs = specs.map((s, j) => ({ ...s, value: values[j] }));
      ctx.model.save({ inputs: specs });
    }

    return {
      refresh(change) {
        // Another feature moved the values (a training step): the sliders follow, and the
        // kernel hears of it once the moves rest, as after a drag.
        if (!change.inputs) return;
        drop();
        sliders.setSpecs(specs.map((s, j) => ({ ...s, value: numbers.values[j] })));
        later.schedule();
      },
      modelKeys: {
        /** @param {InputSpec[]} next the same sliders (the controller checked), maybe new values */
        inputs(next) {
          later.cancel(); // the kernel's word wins over a drag value not sent yet
          drop();
          specs = next;
          sliders.setSpecs(next);
          const values = Float64Array.from(next, (s) => s.value);
          synced = values.slice();
          if (numbers.setValues(values)) ctx.refresh({ numbers: true });
        },
      },
      destroy() {
        later.cancel();
        drop();
      },
    };
  },
};
