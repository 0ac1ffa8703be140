// The drawing of a graph with groups (schema 2) for a set of open groups: the compound layout
// (layout/compound.js) and what view/render.js needs to draw it. One layouter per drawn graph,
// so that opening a group re-places only the containers that changed.

import { representatives } from "../view/net-parts.js";
import { itemEdges, itemEdgesAfter, visibleItems } from "../view/network.js";

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
 * @param {Net | null} [was] the drawing before, if any: the item edges are worked out from its
 *   own, looking only at the groups that changed
 * @returns {{net: Net, layout: Layout}}
 */
export function netDrawing(g, tree, layouter, open, was = null) {
  const cl = layouter.layout(open);
  const visible = visibleItems(tree, g.size, open);
  const after = was ? itemEdgesAfter(g, tree, { rep: was.visible.rep, edges: was.edges }, visible.rep) : null;
  const edges = after ? after.edges : itemEdges(g, tree, visible.rep);
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
    net: { tree, open: new Set(open), cl, visible, repNode, edges, change: after && { came: after.came, went: after.went } },
    layout: { width: cl.width, height: cl.height, left, top, edges: [] },
  };
}

/**
 * Move the boxes smoothly from where they were (`was`) to where they are now (`now`): each box
 * starts where it was on screen and slides into place (FLIP), a box inside another only by
 * its move within it. `anchor` (a group id, or -1) is the box the redraw kept in place on screen
 * by scrolling; nothing moves with prefers-reduced-motion. Given `view` (the part of the drawing
 * on screen now, in its units), only the boxes whose slide crosses it slide and the others jump
 * into place at once: a sliding box is restyled, composited and painted apart while it moves,
 * and most of the boxes a big network moves are out of sight.
 * @param {Window} win
 * @param {(grp: number) => HTMLElement | undefined} groupElement
 * @param {GroupTree} tree
 * @param {import("../layout/compound.js").CompoundLayout} was
 * @param {import("../layout/compound.js").CompoundLayout} now
 * @param {number} anchor
 * @param {import("../view/render.js").Window2D | null} [view]
 */
export function slideBoxes(win, groupElement, tree, was, now, anchor, view = null) {
  if (!win.requestAnimationFrame || win.matchMedia?.("(prefers-reduced-motion: reduce)").matches) return;
  const dx = new Float64Array(tree.count);
  const dy = new Float64Array(tree.count);
  const kept = anchor >= 0 && !Number.isNaN(was.groupLeft[anchor] + now.groupLeft[anchor]);
  const sx = kept ? was.groupLeft[anchor] - now.groupLeft[anchor] : 0;
  const sy = kept ? was.groupTop[anchor] - now.groupTop[anchor] : 0;
  /** @type {HTMLElement[]} */
  const moved = [];
  for (let grp = 0; grp < tree.count; grp++) {
    const el = groupElement(grp);
    if (!el || Number.isNaN(was.groupLeft[grp])) continue;
    dx[grp] = was.groupLeft[grp] - now.groupLeft[grp] - sx;
    dy[grp] = was.groupTop[grp] - now.groupTop[grp] - sy;
    const p = tree.parent[grp];
    const x = dx[grp] - (p >= 0 ? dx[p] : 0);
    const y = dy[grp] - (p >= 0 ? dy[p] : 0);
    if (Math.abs(x) < 0.5 && Math.abs(y) < 0.5) continue;
    if (view && !crosses(now, grp, dx[grp], dy[grp], view)) continue;
    el.style.transition = ""; // a box that slid before jumps back first
    el.style.transform = `translate(${Math.round(x)}px,${Math.round(y)}px)`;
    moved.push(el);
  }
  if (!moved.length) return;
  // The next frame paints the boxes where they were, still: it styles their start transforms,
  // so the transition set a frame later has a start whether or not the click forced a style.
  // That frame shows the opened box at once; the boxes' layers and the slide's first paint come
  // in the frame after it, which is why the deferred work (view/later.js) waits one more frame.
  win.requestAnimationFrame(() =>
    win.requestAnimationFrame(() => {
      for (const el of moved) {
        el.style.transition = "transform 0.2s ease-out";
        el.style.transform = "";
      }
    }),
  );
}

/**
 * Whether group `grp`'s box, sliding by (`dx`, `dy`) to where `now` places it, crosses `view`:
 * the box that holds it at both ends of the slide meets it.
 * @param {import("../layout/compound.js").CompoundLayout} now
 * @param {number} grp
 * @param {number} dx
 * @param {number} dy
 * @param {import("../view/render.js").Window2D} view
 */
function crosses(now, grp, dx, dy, view) {
  const left = now.groupLeft[grp] + Math.min(0, dx);
  const top = now.groupTop[grp] + Math.min(0, dy);
  const right = now.groupLeft[grp] + now.groupWidth[grp] + Math.max(0, dx);
  const bottom = now.groupTop[grp] + now.groupHeight[grp] + Math.max(0, dy);
  return right > view.left && left < view.left + view.width && bottom > view.top && top < view.top + view.height;
}
