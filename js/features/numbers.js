// The numbers on the nodes: each card's data and grad, rewritten in place (text and attributes
// only, and only where they changed) whenever the numbers or the step position change.

/** @type {import("../widget/controller.js").Feature} */
export const numbersFeature = {
  name: "numbers",
  create(ctx) {
    return {
      refresh(change) {
        if (change.numbers || change.step) ctx.scene.update(ctx.numbers.data, ctx.shownGrad());
      },
    };
  },
};
