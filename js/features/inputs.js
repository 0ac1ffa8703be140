// The sliders, one per input, and the model's `inputs` key.
//
// A slider's `input` event recomputes forward and backward in the page and redraws the numbers
// at once, with no kernel round trip. The new values go to the model when the drag ends
// (`change`) and, debounced, while it lasts; values another feature sets (`inputs` in a refresh)
// move the sliders and are written the same way. When the kernel sends `inputs` (or refuses ours and
// sends its own back, a snap-back), its values win over a drag value not sent yet.

import { createSliders } from "../view/sliders.js";
import { createDebounce } from "../widget/model-sync.js";

/** @typedef {import("../widget/model-sync.js").InputSpec} InputSpec */

/** @type {import("../widget/controller.js").Feature} */
export const inputsFeature = {
  name: "inputs",
  create(ctx) {
    const { numbers } = ctx;
    let specs = ctx.drawing.specs;
    let synced = numbers.values.slice(); // what the model last got from us or sent us
    const later = createDebounce(write);
    const sliders = createSliders(ctx.doc, specs, {
      onInput(index, value) {
        if (!numbers.setValue(index, value)) return;
        ctx.refresh({ numbers: true });
        later.schedule();
      },
      onChange(index, value) {
        if (numbers.setValue(index, value)) ctx.refresh({ numbers: true });
        write();
      },
    });
    ctx.place("top", sliders.element);

    /** Write the slider values to the model, if they differ from what it last got from us. */
    function write() {
      later.cancel();
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
        sliders.setSpecs(specs.map((s, j) => ({ ...s, value: numbers.values[j] })));
        later.schedule();
      },
      modelKeys: {
        /** @param {InputSpec[]} next the same sliders (the controller checked), maybe new values */
        inputs(next) {
          later.cancel(); // the kernel's word wins over a drag value not sent yet
          specs = next;
          sliders.setSpecs(next);
          const values = Float64Array.from(next, (s) => s.value);
          synced = values.slice();
          if (numbers.setValues(values)) ctx.refresh({ numbers: true });
        },
      },
      destroy: later.cancel,
    };
  },
};
