// Selection: a click on a node (or Enter or Space on it) selects it, a click on the background or
// Escape anywhere in the widget clears it; the selected node and its paths to the output are
// marked. The model's `selected` key follows, both ways. Opening a closed box selects its output
// and marks that node at once, its paths in the frame after the one that shows the box open
// (view/later.js): the path of a neuron's output in a big network runs through every node of
// the later layers, and the click's frame needs only the box. Any other selection marks both at
// once.

import { pathToOutput } from "../core/explain.js";
import { later } from "../view/later.js";

/** @type {import("../widget/controller.js").Feature} */
export const selectionFeature = {
  name: "selection",
  create(ctx) {
    const { scene, state } = ctx;

    /** A click in the graph selects the node under it; one on the background clears. @param {MouseEvent} event */
    function onGraphClick(event) {
      const id = scene.nodeId(event.target);
      // Focus first: focusing after the path marks would make the browser restyle every marked
      // node at once, synchronously, instead of in the next frame.
      if (id !== null) ctx.focusNode(id, { reveal: false });
      ctx.select(id);
    }

    /** Escape anywhere in the widget clears the selection. @param {KeyboardEvent} event */
    function onRootKey(event) {
      if (event.key !== "Escape" || state.selected === null) return;
      ctx.select(null);
      event.preventDefault();
      event.stopPropagation();
    }

    /** Mark the paths from the node selected now to the output (none without a selection). */
    function markPath() {
      const id = state.selected;
      const path = id === null ? { nodes: [], edges: [] } : pathToOutput(ctx.numbers.g, id);
      scene.markPath(path.nodes, path.edges);
    }
    const markLater = later(ctx.doc.defaultView, () => {
      markPath();
      return false;
    });

    ctx.viewport.element.addEventListener("click", onGraphClick);
    ctx.root.addEventListener("keydown", onRootKey);

    return {
      refresh(change) {
        if (!change.selection) return;
        const id = state.selected;
        scene.markNodes("data-selected", id === null ? [] : [[id, "true"]]);
        if (change.opening && id !== null) {
          scene.markPath([], []); // the old paths go with the old selection
          markLater.schedule();
          return;
        }
        markLater.cancel();
        markPath();
      },
      nodeKey(event, id) {
        if (event.key !== "Enter" && event.key !== " ") return false;
        ctx.select(id);
        return true;
      },
      modelKeys: {
        selected(value) {
          const id = checkedNode(value, ctx.numbers.g.size);
          if (id === state.selected) return;
          ctx.select(id, { save: false });
          if (id !== null) {
            scene.setTabStop(id);
            ctx.reveal(id);
          }
        },
      },
      start() {
        ctx.select(checkedNode(ctx.model.get("selected"), ctx.numbers.g.size), { save: false });
      },
      destroy() {
        markLater.cancel();
        ctx.root.removeEventListener("keydown", onRootKey);
      },
    };
  },
};

/**
 * A node id from the model: the id itself if it names a node of a graph of `size` nodes, else null.
 * @param {unknown} value
 * @param {number} size
 * @returns {number | null}
 */
export function checkedNode(value, size) {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < size ? value : null;
}
