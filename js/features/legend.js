// The gradient colour legend under the graph.

import { createLegend } from "../view/controls.js";

/** @type {import("../widget/controller.js").Feature} */
export const legendFeature = {
  name: "legend",
  create(ctx) {
    ctx.place("main", createLegend(ctx.doc));
    return {};
  },
};
