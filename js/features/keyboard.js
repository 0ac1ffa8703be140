// Keyboard navigation of the graph: the graph is one tab stop (a roving tabindex, starting on the
// output); arrow keys move between nodes in layout order (view/navigation.js), Home and End to
// the first and last. The focused node gets a spoken label: what it is, its numbers, and
// whether it is selected.

import { formatText } from "../core/explain.js";
import { createNavigation, moveFocus } from "../view/navigation.js";

/** @type {import("../widget/controller.js").Feature} */
export const keyboardFeature = {
  name: "keyboard",
  create(ctx) {
    const { scene, drawing } = ctx;
    /** @type {import("../view/navigation.js").Navigation | null} built on the first arrow key: a big graph need not pay for it up front */
    let nav = null;
    /** @type {number[]} the nodes arrow keys move between, by navigation index */
    let ids = [];
    /** @type {Map<number, number>} node id -> navigation index */
    let index = new Map();
    /** @type {number | null} the node holding the keyboard focus */
    let focused = null;

    /** The focused node's accessible name: what it is, its numbers and whether it is selected. */
    function label() {
      if (focused === null) return;
      const parts = [
        scene.describe(focused),
        `data ${formatText(ctx.numbers.data[focused])}`,
        ctx.scene.gradHidden(focused) ? "grad unknown" : `grad ${formatText(ctx.shownGrad()[focused])}`,
      ];
      if (focused === ctx.state.selected) parts.push("selected");
      scene.nodeElement(focused).setAttribute("aria-label", parts.join(", "));
    }

    /** @param {FocusEvent} event */
    function onFocus(event) {
      const id = scene.nodeId(event.target);
      if (id === null) return;
      focused = id;
      scene.setTabStop(id);
      label();
    }

    /** @param {FocusEvent} event */
    function onBlur(event) {
      const id = scene.nodeId(event.target);
      if (id !== null) scene.nodeElement(id).removeAttribute("aria-label");
      focused = null;
    }

    scene.nodesElement.addEventListener("focusin", onFocus);
    scene.nodesElement.addEventListener("focusout", onBlur);

    return {
      refresh: label,
      redrawn() {
        nav = null; // the drawn nodes and their places changed
      },
      nodeKey(event, id) {
        if (!nav) {
          // the drawn nodes only (in a network, closed boxes stand for the nodes they hide)
          const { boxes, layout } = drawing;
          ids = [];
          for (let i = 0; i < boxes.length; i++) if (!Number.isNaN(layout.left[i])) ids.push(i);
          const centre = (/** @type {number} */ i) => scene.nodeBox(i);
          nav = createNavigation(
            Float64Array.from(ids, (i) => centre(i).left + centre(i).width / 2),
            Float64Array.from(ids, (i) => centre(i).top + centre(i).height / 2),
          );
          index = new Map(ids.map((i, k) => [i, k]));
        }
        const k = index.get(id);
        const next = k === undefined ? null : moveFocus(nav, k, event.key);
        if (next === null) return false;
        ctx.focusNode(ids[next]);
        return true;
      },
    };
  },
};
