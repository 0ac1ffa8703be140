// The frame every feature of a drawn graph shares: the scene (the SVG drawing of the nodes and
// edges), the viewport onto it, the toolbar, and the places where features put their elements.
//
//   .mgm-root
//     "top" elements (the sliders)
//     .mgm-toolbar      groups of buttons, one or more per feature
//     "status" elements (the step caption)
//     .mgm-body
//       .mgm-main       the viewport, then "main" elements (the legend)
//       .mgm-side       "side" elements (the details panel)

import { renderGraph } from "../view/render.js";
import { createToolbar } from "../view/toolbar.js";
import { createViewport } from "../view/viewport.js";

/** @typedef {import("./controller.js").Drawing} Drawing */
/** @typedef {import("./numbers.js").Numbers} Numbers */
/** @typedef {import("../view/controls.js").ZoomRoom} ZoomRoom */
/** @typedef {"top" | "status" | "main" | "side"} Slot */

/**
 * @typedef {object} Frame
 * @property {import("../view/render.js").Scene} scene
 * @property {import("../view/viewport.js").Viewport} viewport
 * @property {import("../view/toolbar.js").Toolbar} toolbar
 * @property {(slot: Slot, node: Node) => void} place put a feature's element into a slot, after
 *   what is there already
 * @property {() => void} destroy stop what the frame runs outside its elements (culling, the
 *   viewport's observer)
 */

/**
 * The frame for `drawing` with `numbers`, put into `root` (emptied by the caller).
 * `onZoom(scale, room)` runs when the viewport's scale changes.
 * @param {Document} doc
 * @param {HTMLElement} root
 * @param {Drawing} drawing
 * @param {Numbers} numbers
 * @param {{onZoom: (scale: number, room: ZoomRoom) => void}} options
 * @returns {Frame}
 */
export function createFrame(doc, root, drawing, numbers, { onZoom }) {
  const { boxes, layout, ids } = drawing;
  const net = drawing.network?.net ?? null;
  const scene = renderGraph(doc, numbers.g, boxes, layout, new Set(ids), numbers.data, numbers.grad, net, { lazy: true });
  const toolbar = createToolbar(doc);
  const viewport = createViewport(doc, scene, { onZoom });
  const main = doc.createElement("div");
  main.className = "mgm-main";
  main.append(viewport.element);
  const side = doc.createElement("div");
  side.className = "mgm-side";
  const body = doc.createElement("div");
  body.className = "mgm-body";
  body.append(main, side);
  root.append(toolbar.element, body);
  const uncull = scene.cull(viewport.element);
  return {
    scene,
    viewport,
    toolbar,
    place(slot, node) {
      if (slot === "top") toolbar.element.before(node);
      else if (slot === "status") body.before(node);
      else if (slot === "main") main.append(node);
      else if (slot === "side") side.append(node);
      else throw new Error(`no slot '${slot}' in the widget`);
    },
    destroy() {
      uncull();
      viewport.destroy();
    },
  };
}
