// A graph with groups drawn as a network (widget/network.js): a click on a closed box (or Enter
// on it) opens it and selects the node it shows, a click on an open box's header closes it;
// "Open all", "Close all", and the weight edges' values or grads. Each change of the open groups
// goes to the model's `open_groups` and redraws the groups in place (the controller's setOpen).
// While some grad is hidden (a quiz, a lesson) the edges show the weights and "Edge grads" is
// disabled: the edges' colours and widths would tell the hidden grads' signs and sizes.

import { allOrNone, toggled } from "../view/network.js";

/** @type {import("../widget/controller.js").Feature} */
export const networkFeature = {
  name: "network",
  create(ctx) {
    const drawn = ctx.drawing.network;
    if (!drawn) return {};
    const network = drawn;
    const { tree } = network;
    const { scene } = ctx;

    const group = ctx.toolbar.group("Network", "mgm-network");
    const edgeGrads = ctx.toolbar.button("edge-grads", "Edge grads", {
      title: "the weights' edges show their grads instead of the weights",
    });
    edgeGrads.setAttribute("aria-pressed", String(network.edgeGrads));
    group.append(
      ctx.toolbar.button("open-all", "Open all", { title: "open every neuron and layer" }),
      ctx.toolbar.button("close-all", "Close all", { title: "close every group, layers and model too" }),
      edgeGrads,
    );
    lockEdgeGrads();

    /**
     * Open or close the group whose box holds `target`, if `target` is its box (closed: anywhere
     * on it) or its header; a closed one also selects the node it shows.
     * @param {EventTarget | null} target
     * @returns {boolean} whether it did
     */
    function toggleAt(target) {
      const el = /** @type {Element | null} */ (target)?.closest?.("[data-group]");
      const grp = el ? tree.byPath.get(el.getAttribute("data-group") ?? "") : undefined;
      if (!el || grp === undefined) return false;
      const closed = el.getAttribute("data-group-state") === "closed";
      const onHeader = /** @type {Element} */ (target).closest("[data-action='toggle-group']") !== null;
      if (!closed && !onHeader) return false;
      const rep = Number(el.getAttribute("data-rep") ?? Number.NaN);
      const selecting = closed && Number.isInteger(rep) && rep !== ctx.state.selected;
      // the old path would be drawn again on the new drawing only to be replaced at once
      if (selecting) scene.markPath([], []);
      network.focus = grp;
      ctx.setOpen(toggled(tree, network.net.open, grp), { anchor: grp });
      // selected once drawn open: the path marks are drawn once, on the new drawing
      if (closed && Number.isInteger(rep)) ctx.select(rep, { opening: true });
      return true;
    }

    /** @param {MouseEvent} event */
    function onClick(event) {
      if (toggleAt(event.target)) event.stopPropagation();
    }

    /** Enter or Space on a focused box (or its header) toggles it. @param {KeyboardEvent} event */
    function onKey(event) {
      if ((event.key !== "Enter" && event.key !== " ") || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = /** @type {Element | null} */ (event.target);
      if (!target?.matches?.("[data-group], [data-group] > [data-action='toggle-group']")) return;
      if (toggleAt(target)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }

    scene.nodesElement.addEventListener("click", onClick);
    scene.nodesElement.addEventListener("keydown", onKey);

    /** Edge grads only while no grad is hidden (see the top). */
    function lockEdgeGrads() {
      const locked = scene.anyGradHidden();
      edgeGrads.setAttribute("aria-disabled", String(locked));
      scene.setEdgeGrads(network.edgeGrads && !locked);
    }

    return {
      refresh(change) {
        // a quiz and a lesson say so with a selection change when what they hide changes
        if (change.selection) lockEdgeGrads();
      },
      actions: {
        "open-all": () => ctx.setOpen(allOrNone(tree, true)),
        "close-all": () => ctx.setOpen(allOrNone(tree, false)),
        "edge-grads": () => {
          network.edgeGrads = !network.edgeGrads;
          edgeGrads.setAttribute("aria-pressed", String(network.edgeGrads));
          lockEdgeGrads();
        },
      },
      redrawn() {
        const grp = network.focus;
        network.focus = -1;
        const box = grp >= 0 ? scene.groupElement(grp) : undefined;
        if (!box) return;
        const target = box.getAttribute("data-group-state") === "closed" ? box : box.querySelector("button");
        /** @type {HTMLElement | null} */ (target)?.focus({ preventScroll: true });
      },
    };
  },
};
