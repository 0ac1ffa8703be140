// The marks on a drawn scene: attributes on chosen nodes (markNodes), the selected node's paths
// to the output drawn in overlays (markPath), a backprop step's edges (markStep), and the grads a
// quiz hides (hideGrads).

import { maxAbsFiniteGrad } from "../core/explain.js";
import { groupBox } from "./chunks.js";
import { outlineMarkup, round1, roundedRect } from "./markup.js";

/** @typedef {import("../core/explain.js").GraphEdge} GraphEdge */
/** @typedef {import("./scene-state.js").SceneState} SceneState */

/**
 * What the marks draw in and call: the overlays, and the scene's functions they need.
 * @typedef {object} MarkParts
 * @property {Element} pathEdges the path's edges (under the nodes)
 * @property {Element} pathHeads their arrowheads
 * @property {Element} stepGroup a step's edges
 * @property {Element} pathOutline the outlines of the nodes on the path (over the nodes)
 * @property {(id: number) => boolean} waiting whether node `id`'s card waits to be drawn
 * @property {() => void} flush
 * @property {(i: number, d: number, given: number, max: number) => void} updateNode
 */

/**
 * The marks of a scene.
 * @param {SceneState} state
 * @param {MarkParts} parts
 */
export function sceneMarks(state, { pathEdges, pathHeads, stepGroup, pathOutline, waiting, flush, updateNode }) {
  const { n, uid, boxes, edges, nodeEls, marked, shownData } = state;

  /**
   * Set attribute `attr` on exactly the nodes of `pairs` ([id, value] pairs), removing it from
   * the nodes that had it before.
   * @param {string} attr
   * @param {ReadonlyArray<[number, string]>} pairs
   */
  function markNodes(attr, pairs) {
    // the nodes a closed box hides share its element: it is changed once, to the last pair's value
    /** @type {Set<Element>} */
    const done = new Set();
    for (const id of marked.get(attr)?.keys() ?? []) {
      if (waiting(id) || done.has(nodeEls[id])) continue;
      done.add(nodeEls[id]);
      nodeEls[id].removeAttribute(attr);
    }
    done.clear();
    for (let k = pairs.length - 1; k >= 0; k--) {
      const id = pairs[k][0]; // no destructuring: it goes through the iterator protocol, per pair
      if (waiting(id) || done.has(nodeEls[id])) continue;
      done.add(nodeEls[id]);
      nodeEls[id].setAttribute(attr, pairs[k][1]);
    }
    marked.set(attr, new Map(pairs));
  }

  /**
   * Highlight the paths from a node to the output: `nodes` (ids) and `edges` ({from, to, arg}:
   * the edge from operand `from` into operand slot `arg` of node `to`), replacing the previous
   * highlight. Their elements get data-path="true" (a hook for tests, styled by nothing).
   * @param {ReadonlyArray<number>} ids
   * @param {ReadonlyArray<GraphEdge>} list
   */
  function markPath(ids, list) {
    state.pathMarked = [ids, list];
    markNodes("data-path", ids.map((id) => [id, "true"]));
    // the shared state read once, not on every node and edge of the path
    const { drawnNet: net, edgeEls, edgeEnds, edgeD, lay } = state;
    for (const key of state.pathEdgeKeys) edgeEls[key].removeAttribute("data-path");
    const keys = list.map((e) => 2 * e.to + e.arg).filter((key) => edgeEls[key]);
    state.pathEdgeKeys = keys;
    const heads = [];
    for (const key of keys) {
      edgeEls[key].setAttribute("data-path", "true");
      const { x, y } = edgeEnds[key];
      heads.push(`M${round1(x)},${round1(y)}l-8,-3.5v7z`); // edges enter their node heading right
    }
    pathEdges.setAttribute("d", keys.map((key) => edgeD[key]).join(""));
    pathHeads.setAttribute("d", heads.join(""));
    /** @type {string[]} */
    const rings = [];
    /** @type {Set<number>} */
    const ringed = new Set(); // closed boxes already outlined
    for (const id of ids) {
      const item = net ? net.visible.rep[id] : id;
      if (item === id) outlineMarkup(rings, boxes[id], lay.left[id], lay.top[id]);
      else if (net && !ringed.has(item)) {
        ringed.add(item);
        const b = groupBox(net.cl, item - n);
        rings.push(roundedRect(b.left - 1, b.top - 1, b.width + 2, b.height + 2, 5));
      }
    }
    pathOutline.setAttribute("d", rings.join(""));
    // on the edge layer itself: on an ancestor, the browser would look through every element
    // under it for the layer when the attribute changes
    if (list.length || ids.length) edges.setAttribute("data-marked-path", "true");
    else edges.removeAttribute("data-marked-path");
  }

  /**
   * Draw the edges a backprop step sends grad along (same shape as markPath's), each with an
   * arrowhead at its operand's end; the base edges get data-step-edge="true".
   * @param {ReadonlyArray<GraphEdge>} list
   */
  function markStep(list) {
    state.stepMarked = list;
    for (const key of state.stepEdgeKeys) state.edgeEls[key].removeAttribute("data-step-edge");
    state.stepEdgeKeys = list.map((e) => 2 * e.to + e.arg).filter((key) => state.edgeEls[key]);
    for (const key of state.stepEdgeKeys) state.edgeEls[key].setAttribute("data-step-edge", "true");
    stepGroup.innerHTML = state.stepEdgeKeys
      .map((key) => `<path class="mgm-mark-step" d="${state.edgeD[key]}" marker-start="url(#mgm-step-arrow-${uid})"/>`)
      .join("");
  }

  /**
   * Show "?" for the grads of the nodes marked 1 in `mask` (null: none), at once on every node,
   * culled chunks included: a hidden grad must never reach the page.
   * @param {Uint8Array | null} mask
   */
  function hideGrads(mask) {
    state.hidden = mask;
    flush();
    const max = maxAbsFiniteGrad(state.lastGrad);
    for (const i of state.drawnIds) if (!waiting(i)) updateNode(i, shownData[i], state.lastGrad[i], max);
  }

  return { markNodes, markPath, markStep, hideGrads };
}
