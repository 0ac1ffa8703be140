// The step-through of backprop: its toolbar buttons and caption, the marks on the step's node
// and on the operands it passes grad to, and the model's `step` key.
//
// The position is the shared state's `step` (ctx.setStep): null in normal mode, else the
// number of steps done, 0..stepSequence(graph).length. While stepping, the nodes show the
// grads after the steps done so far (ctx.shownGrad), and a slider move keeps the position and
// recomputes it with the new numbers.

import { stepDescription, stepSequence } from "../core/explain.js";
import { checkedStep, createStepControls, stepAfter } from "../view/controls.js";

/** @type {import("../widget/controller.js").Feature} */
export const steppingFeature = {
  name: "stepping",
  create(ctx) {
    const { scene, state } = ctx;
    const steps = stepSequence(ctx.numbers.g); // the structure, and so the steps, stay
    const total = steps.length;
    const controls = createStepControls(ctx.doc, ctx.toolbar);
    ctx.place("status", controls.caption);

    /** Keep the step's own node in view while walking a big graph. @param {number | null} step */
    function revealStep(step) {
      if (step !== null && step > 0) ctx.reveal(steps[step - 1].node);
    }

    /** @param {string} action */
    function act(action) {
      if (scene.anyGradHidden()) return; // a quiz's hidden grads: stepping would show them
      const step = stepAfter(action, state.step, total);
      if (step === state.step) return;
      ctx.setStep(step);
      revealStep(step);
    }

    /** Mark the step's node ("source") and the operands it passes grad to ("target"). */
    function mark() {
      const { step } = state;
      let description = null;
      if (step === null) {
        scene.markNodes("data-step-role", []);
        scene.markStep([]);
      } else {
        description = stepDescription(ctx.numbers.g, ctx.numbers.data, step);
        /** @type {Array<[number, string]>} */
        const roles = [];
        const edges = [];
        if (description.node !== null) roles.push([description.node, "source"]);
        for (const c of description.contributions) {
          if (c.from === null || c.arg === null) continue;
          roles.push([c.to, "target"]);
          edges.push({ from: c.to, to: c.from, arg: c.arg });
        }
        scene.markNodes("data-step-role", roles);
        scene.markStep(edges);
      }
      ctx.root.toggleAttribute("data-stepping", step !== null);
      controls.setStep(step, total, description);
    }

    return {
      actions: {
        "step-reset": () => act("step-reset"),
        "step-back": () => act("step-back"),
        "step-next": () => act("step-next"),
        "step-run": () => act("step-run"),
        "step-exit": () => act("step-exit"),
      },
      refresh(change) {
        if (change.step) mark();
        else if (change.numbers && state.step !== null) {
          controls.setStep(state.step, total, stepDescription(ctx.numbers.g, ctx.numbers.data, state.step));
        }
      },
      modelKeys: {
        step(value) {
          if (scene.anyGradHidden()) return;
          const step = checkedStep(value, total);
          if (step === undefined || step === state.step) return; // invalid values are ignored
          ctx.setStep(step, { save: false });
          revealStep(step);
        },
      },
      start() {
        // Whatever the model holds already (a re-displayed widget, an exported page's state).
        if (scene.anyGradHidden()) return;
        ctx.setStep(checkedStep(ctx.model.get("step"), total) ?? null, { save: false });
      },
      destroy: controls.destroy,
    };
  },
};
