// Keyboard navigation of the graph: the graph is one tab stop (a roving tabindex, starting on the
// output); arrow keys move between nodes in layout order (view/navigation.js), Home and End to
// the first and last. The focused node gets a spoken label: what it is, its numbers, and
// whether it is selected.
//
// In a network every box is a stop too: a closed box stands for the nodes it hides (its node's
// id), an open box's header is its own stop (item `size + group`, view/network.js's numbering),
// placed at the box's top-left corner so that Left from a box's first column reaches its header.
// The header takes the one tab stop from the scene's node while it holds the focus.

import { formatText } from "../core/explain.js";
import { createNavigation, moveFocus } from "../view/navigation.js";

/** An open box's header height in the stylesheet (.mgm-box-header), to scroll it into view. */
const HEADER_HEIGHT = 18;

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
    const n = ctx.numbers.g.size;
    const network = drawing.network;
    /** @type {{header: HTMLElement, node: Element} | null} an open box's header as the tab stop, and the node that was */
    let headerStop = null;

    /** Open group `grp`'s header button, if drawn. @param {number} grp */
    function headerOf(grp) {
      const box = scene.groupElement(grp);
      const header = box?.getAttribute("data-group-state") === "open" ? box.querySelector(":scope > [data-action='toggle-group']") : null;
      return /** @type {HTMLElement | null} */ (header);
    }

    /** The group whose open box's header `target` is, or -1. @param {EventTarget | null} target */
    function headerGroup(target) {
      const el = /** @type {Element | null} */ (target);
      if (!network || !el?.matches?.("[data-group-state='open'] > [data-action='toggle-group']")) return -1;
      return network.tree.byPath.get(el.parentElement?.getAttribute("data-group") ?? "") ?? -1;
    }

    /** The scene's node (a card or a closed box, not a header) holding the tab stop, if one does. */
    const nodeStop = () => scene.nodesElement.querySelector("[tabindex='0']:not(button)");

    /** The scene's node gets the tab stop back from a header (unless the scene moved it meanwhile). */
    function dropHeaderStop() {
      if (!headerStop) return;
      headerStop.header.setAttribute("tabindex", "-1");
      if (!nodeStop()) headerStop.node.setAttribute("tabindex", "0");
      headerStop = null;
    }

    /** Header `header` becomes the one tab stop. @param {HTMLElement} header */
    function takeHeaderStop(header) {
      if (headerStop?.header === header) return;
      const node = nodeStop() ?? headerStop?.node;
      if (headerStop) headerStop.header.setAttribute("tabindex", "-1");
      if (!node) return;
      node.setAttribute("tabindex", "-1");
      header.setAttribute("tabindex", "0");
      headerStop = { header, node };
    }

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
      if (headerGroup(event.target) >= 0) {
        takeHeaderStop(/** @type {HTMLElement} */ (event.target));
        return;
      }
      const id = scene.nodeId(event.target);
      if (id === null) return;
      dropHeaderStop();
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

    /** An arrow key (Home, End) on an open box's header moves on. @param {KeyboardEvent} event */
    function onHeaderKey(event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const grp = headerGroup(event.target);
      if (grp >= 0 && move(n + grp, event.key)) {
        event.preventDefault();
        event.stopPropagation();
      }
    }

    scene.nodesElement.addEventListener("focusin", onFocus);
    scene.nodesElement.addEventListener("focusout", onBlur);
    scene.nodesElement.addEventListener("keydown", onHeaderKey);

    /**
     * Move the focus from item `item` (a node id, or size + an open group) on `key`.
     * @param {number} item
     * @param {string} key
     * @returns {boolean} whether the key moves the focus
     */
    function move(item, key) {
      if (!nav) {
        // the drawn nodes only (in a network, closed boxes stand for the nodes they hide) and
        // the open boxes' headers
        const { boxes, layout } = drawing;
        ids = [];
        for (let i = 0; i < boxes.length; i++) if (!Number.isNaN(layout.left[i])) ids.push(i);
        const open = network ? [...network.net.open].filter((grp) => headerOf(grp)).sort((a, b) => a - b) : [];
        const cl = network?.net.cl;
        const centre = (/** @type {number} */ i) => scene.nodeBox(i);
        const x = ids.map((i) => centre(i).left + centre(i).width / 2);
        const y = ids.map((i) => centre(i).top + centre(i).height / 2);
        if (cl) {
          for (const grp of open) {
            ids.push(n + grp);
            x.push(cl.groupLeft[grp]);
            y.push(cl.groupTop[grp]);
          }
        }
        nav = createNavigation(Float64Array.from(x), Float64Array.from(y));
        index = new Map(ids.map((i, k) => [i, k]));
      }
      const k = index.get(item);
      const next = k === undefined ? null : moveFocus(nav, k, key);
      if (next === null) return false;
      const to = ids[next];
      if (to < n) {
        ctx.focusNode(to);
        return true;
      }
      const header = headerOf(to - n);
      if (header && network) {
        const { cl } = network.net;
        const grp = to - n;
        ctx.viewport.reveal({ left: cl.groupLeft[grp], top: cl.groupTop[grp], width: cl.groupWidth[grp], height: HEADER_HEIGHT });
        header.focus({ preventScroll: true });
      }
      return true;
    }

    return {
      refresh: label,
      redrawn() {
        nav = null; // the drawn nodes, the open headers and their places changed
        if (headerStop && !headerStop.header.isConnected) headerStop = null; // its box was drawn anew
      },
      nodeKey: (event, id) => move(id, event.key),
    };
  },
};
