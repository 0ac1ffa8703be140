// Grads that flowed through a NaN or infinite value, marked on their cards
// (`data-grad-through-nonfinite`): backprop still gives them numbers (PyTorch does too), which a
// student would otherwise read as ordinary slopes. The panel says why (explain.js's warning).

import { gradThroughNonfinite } from "../core/explain.js";

/** @type {import("../widget/controller.js").Feature} */
export const nonfiniteFeature = {
  name: "nonfinite",
  create(ctx) {
    let any = true; // some card may carry the mark (a redraw keeps the scene's marks)
    function mark() {
      const { g, data, grad } = ctx.numbers;
      // nearly every slider move: every number finite and no card marked, so nothing to do
      if (!any && data.every(Number.isFinite) && grad.every(Number.isFinite)) return;
      const flags = gradThroughNonfinite(g, data, grad);
      /** @type {Array<[number, string]>} */
      const marked = [];
      for (let id = 0; id < flags.length; id++) if (flags[id]) marked.push([id, "true"]);
      any = marked.length > 0;
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
