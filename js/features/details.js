// The details panel beside the graph: how the selected node's grad was computed (its local
// derivatives and the chain-rule sum), with the step-through's progress while stepping. Patched
// in place on every change, since a slider moves it on every `input` event.

import { explainNode, formatText, stepSequence } from "../core/explain.js";
import { gradIsFinal } from "../view/controls.js";
import { createPanel } from "../view/panel.js";

/** @type {import("../widget/controller.js").Feature} */
export const detailsFeature = {
  name: "details",
  create(ctx) {
    const { state } = ctx;
    const steps = stepSequence(ctx.numbers.g); // the structure, and so the steps, stay
    const box = ctx.doc.createDocumentFragment();
    const panel = createPanel(box);
    ctx.place("side", box);
    return {
      refresh() {
        const id = state.selected;
        if (id === null) return panel.clear();
        const { g, data, grad } = ctx.numbers;
        const explanation = explainNode(g, data, grad, id);
        let progress = null;
        if (state.step !== null) {
          const shown = ctx.shownGrad()[id];
          progress = {
            step: state.step,
            total: steps.length,
            grad: shown,
            gradText: formatText(shown),
            complete: gradIsFinal(steps, state.step, id, explanation.affectsOutput),
          };
        }
        panel.show(explanation, progress);
      },
      destroy: panel.destroy,
    };
  },
};
