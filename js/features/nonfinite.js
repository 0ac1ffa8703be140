// Grads that flowed through a NaN or infinite value, marked on their cards
// (`data-grad-through-nonfinite`): backprop still gives them numbers (PyTorch does too), which a
// student would otherwise read as ordinary slopes. The panel says why (explain.js's warning).

import { gradThroughNonfinite } from "../core/explain.js";

/** @type {import("../widget/controller.js").Feature} */
export const nonfiniteFeature = {
  name: "nonfinite",
  create(ctx) {
    function mark() {
      const { g, data, grad } = ctx.numbers;
      const flags = gradThroughNonfinite(g, data, grad);
      /** @type {Array<[number, string]>} */
      const marked = [];
      for (let id = 0; id < flags.length; id++) if (flags[id]) marked.push([id, "true"]);
      ctx.scene.markNodes("data-grad-through-nonfinite", marked);
    }
    return {
      refresh(change) {
        if (change.numbers) mark();
      },
      start: mark,
    };
  },
};
