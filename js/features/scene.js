// The scene kept up to date: each node's data and grad (and its grad colour) rewritten in place,
// text and attributes only and only where they changed, whenever the numbers or the step
// position change.

/** @type {import("../widget/controller.js").Feature} */
export const sceneFeature = {
  name: "scene",
  create(ctx) {
    return {
      refresh(change) {
        if (change.numbers || change.step) ctx.scene.update(ctx.numbers.data, ctx.shownGrad());
      },
    };
  },
};
