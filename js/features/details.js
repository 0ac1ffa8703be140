// The details panel beside the graph: how the selected node's grad was computed (its local
// derivatives and the chain-rule sum), with the step-through's progress while stepping. Patched
// in place on every change, since a slider moves it on every `input` event. The panel ends with
// the numerical check of the node's grad (core/numeric.js), recomputed at the current values.
// A parameter or module output is headed by its full path (core/names.js); a module's output
// gets the module's section before the check (view/neuron-view.js: a neuron's formula and what
// flows back through it, with the grads drawn now). Opening a closed box selects its output and
// fills the panel in the frame after the one that shows the box open (view/later.js), the newest
// selection then; any other change, a click on a card included, fills it at once.

import { explainNode, formatText, stepSequence } from "../core/explain.js";
import { nodePathText } from "../core/names.js";
import { checkNode } from "../core/numeric.js";
import { gradIsFinal } from "../view/controls.js";
import { numericView } from "../view/numeric-view.js";
import { moduleSections } from "../view/neuron-view.js";
import { later } from "../view/later.js";
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
    const fillLater = later(ctx.doc.defaultView, () => {
      fill();
      return false;
    });

    /** Show the selected node in the panel (or nothing). */
    function fill() {
      const id = state.selected;
      // A quiz's hidden grads would be in the explanation: it waits until they are found.
      if (id === null || ctx.scene.anyGradHidden()) return panel.clear();
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
      const path = nodePathText(g, id);
      if (path !== null) explanation.name = g.labels[id] === null ? path : `${explanation.name} (${path})`;
      panel.show(explanation, progress, [
        ...moduleSections(g, id, data, ctx.shownGrad()),
        numericView(checkNode(g, data, grad, id)),
      ]);
    }

    return {
      refresh(change) {
        const alone = change.opening && !change.numbers && !change.step && !change.inputs;
        if (alone && state.selected !== null && !ctx.scene.anyGradHidden()) return fillLater.schedule();
        fillLater.cancel();
        fill();
      },
      destroy() {
        fillLater.cancel();
        panel.destroy();
      },
    };
  },
};
