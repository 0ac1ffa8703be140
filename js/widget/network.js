// The drawing of a graph with groups (schema 2) for a set of open groups: the compound layout
// (layout/compound.js) and what view/render.js needs to draw it. One layouter per drawn graph,
// so that opening a group re-places only the containers that changed.

import { representatives } from "../view/render.js";
import { visibleItems } from "../view/network.js";

/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("../core/groups.js").GroupTree} GroupTree */
/** @typedef {import("../layout/compound.js").CompoundLayouter} CompoundLayouter */
/** @typedef {import("../layout/geometry.js").Box} Box */
/** @typedef {import("../layout/index.js").Layout} Layout */
/** @typedef {import("../view/render.js").Net} Net */

/**
 * A graph with groups as the widget keeps it between redraws.
 * @typedef {object} Network
 * @property {GroupTree} tree
 * @property {CompoundLayouter} layouter
 * @property {Net} net the drawing now
 * @property {boolean} edgeGrads whether the weight edges show grads (kept across redraws)
 * @property {number} focus the group whose box takes the focus once drawn again, or -1
 */

/**
 * The drawing of `g` (which has a group tree) with the groups in `open` open: the net for
 * renderGraph and a Layout whose positions are the compound layout's (NaN for hidden nodes, the
 * box's corner for the node a closed box shows).
 * @param {ParsedGraph} g
 * @param {GroupTree} tree
 * @param {CompoundLayouter} layouter
 * @param {ReadonlySet<number>} open
 * @returns {{net: Net, layout: Layout}}
 */
export function netDrawing(g, tree, layouter, open) {
  const cl = layouter.layout(open);
  const visible = visibleItems(tree, g.size, open);
  const repNode = representatives(tree, visible, g.size);
  const left = Float64Array.from(cl.nodeLeft);
  const top = Float64Array.from(cl.nodeTop);
  for (const grp of visible.closed) {
    const o = repNode[grp];
    if (o < 0) continue;
    left[o] = cl.groupLeft[grp];
    top[o] = cl.groupTop[grp];
  }
  return {
    net: { tree, open: new Set(open), cl, visible, repNode },
    layout: { width: cl.width, height: cl.height, left, top, edges: [] },
  };
}
