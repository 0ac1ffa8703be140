// Zoom: the toolbar's zoom group (out, the level, in, fit) and the +, − and 0 keys on a node.

import { createZoomControls } from "../view/controls.js";
import { ZOOM } from "../view/viewport.js";

/** @type {import("../widget/controller.js").Feature} */
export const zoomFeature = {
  name: "zoom",
  create(ctx) {
    const { viewport } = ctx;
    const controls = createZoomControls(ctx.doc, ctx.toolbar);
    return {
      actions: {
        "zoom-in": () => viewport.zoomBy(ZOOM.step),
        "zoom-out": () => viewport.zoomBy(1 / ZOOM.step),
        "zoom-fit": () => viewport.fit(),
      },
      nodeKey(event) {
        const key = event.key;
        if (key === "+" || key === "=") viewport.zoomBy(ZOOM.step);
        else if (key === "-" || key === "_") viewport.zoomBy(1 / ZOOM.step);
        else if (key === "0") viewport.fit();
        else return false;
        return true;
      },
      zoomed: controls.setZoom,
    };
  },
};
