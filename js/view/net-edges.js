// A network's edge layer (renderGraph's net mode): its edges drawn for the groups open now, the
// elements of the edges that stay kept, and the kept edges that moved given their new paths over
// the frames that follow, those in sight first.

import { groupBox } from "./chunks.js";
import { later } from "./later.js";
import { SVG_NS, marker } from "./markup.js";
import { maxWeight, pathOf, shownLooks, weightStyler } from "./net-parts.js";
import { itemEdges, weightLook } from "./network.js";

/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("../layout/geometry.js").Box} Box */
/** @typedef {import("../layout/index.js").Layout} Layout */
/** @typedef {import("./chunks.js").Window2D} Window2D */
/** @typedef {import("./render.js").Net} Net */

/**
 * A network's drawn edge.
 * @typedef {object} NetEdge
 * @property {SVGPathElement} el
 * @property {number[]} ends its path's ends as drawn: x and y of the source's, then the target's
 * @property {number} weight the parameter whose edge it is, or -1
 */

/**
 * The scene's state that the edge layer reads and replaces: renderGraph's own variables, through
 * accessors.
 * @typedef {object} EdgeShared
 * @property {Document} doc
 * @property {ParsedGraph} g
 * @property {number} n
 * @property {Box[]} boxes
 * @property {Element} edges the edge layer
 * @property {number} uid
 * @property {Net | null} drawnNet
 * @property {boolean} edgeGrads
 * @property {ArrayLike<number>} lastGrad
 * @property {ArrayLike<number>} lastData
 * @property {string[]} edgeD path data by 2 * to + which
 * @property {import("../layout/geometry.js").Point[]} edgeEnds
 * @property {Element[]} edgeEls
 * @property {Layout} lay
 * @property {Array<[SVGPathElement, number]>} weightEls weight edges and their parameters
 * @property {(values: ArrayLike<number>) => void} styleWeights
 */

/** How far outside the part on screen a network's moved edges count as in sight (they get their
 * new paths first), in unscaled pixels. */
const EDGE_MARGIN = 256;

/** How long one frame's slice of a network's moved edges runs (their new paths set), in ms. */
const EDGE_SLICE_MS = 4;

/**
 * The edge layer of a network's scene: `drawNetEdges(view)` draws the edges for the drawing now
 * (`st.drawnNet` at `st.lay`), in `st.edges`.
 * @param {EdgeShared} st
 */
export function netEdgeLayer(st) {
  const { doc, g, n, boxes, edges, uid } = st;
  /** @type {Map<number, NetEdge>} a network's drawn edges by from * (size + groups) + to */
  const netEdges = new Map();
  /** @type {Map<NetEdge, number[]>} edges whose new ends wait until after the frame, in sight first */
  const staleEdges = new Map();
  const edgeJob = later(doc.defaultView, flushEdges);

  /**
   * A network's edges for the drawing now: one per pair of items (view/network.js), from the
   * right middle of the source's box to the left middle of the target's. Edges that were drawn
   * already keep their element (their ends move); the others come and go. Edges between two
   * drawn nodes keep their key (2 * to + which) in edgeD, edgeEls and edgeEnds for the path and
   * step marks. A kept edge whose ends moved gets its new path after the next frame, in slices
   * of a frame (view/later.js), those that lie in `view` first: a network's edges between two
   * layers all move when the first layer grows, and restyling thousands of paths would hold up
   * the frame that shows the opened box (the boxes slide meanwhile, and the edge layer is faded
   * while paths wait). Edges drawn anew and removed change at once.
   * @param {Window2D | null} [view]
   */
  function drawNetEdges(view = null) {
    const dn = /** @type {Net} */ (st.drawnNet);
    const list = itemEdges(g, dn.tree, dn.visible.rep);
    const values = st.edgeGrads ? st.lastGrad : st.lastData;
    const max = maxWeight(list, values);
    const span = n + dn.tree.count;
    st.edgeD = new Array(2 * n);
    st.edgeEnds = new Array(2 * n);
    st.edgeEls = new Array(2 * n);
    /** @param {number} item */
    const boxOf = (item) =>
      item < n ? { left: st.lay.left[item], top: st.lay.top[item], ...boxes[item] } : groupBox(dn.cl, item - n);
    const arrow = `mgm-arrow-${uid}`;
    const first = netEdges.size === 0;
    const parts = first ? ["<defs>", marker(arrow, "mgm-arrowhead", 7), "</defs>"] : [];
    /** @type {Array<[number, number, number, number[], string | null]>} the edges drawn anew: id, key, weight, ends, look */
    const added = [];
    /** @type {Set<number>} */
    const now = new Set();
    staleEdges.clear(); // every edge's ends are worked out again below
    /** @type {Array<[NetEdge, number[]]>} kept edges that moved out of sight: they wait the longest */
    const away = [];
    const [x0, y0, x1, y1] = view
      ? [view.left - EDGE_MARGIN, view.top - EDGE_MARGIN, view.left + view.width + EDGE_MARGIN, view.top + view.height + EDGE_MARGIN]
      : [-Infinity, -Infinity, Infinity, Infinity];
    for (const e of list) {
      const s = boxOf(e.from);
      const t = boxOf(e.to);
      const ends = [s.left + s.width, s.top + s.height / 2, t.left, t.top + t.height / 2];
      const key = e.from < n && e.to < n ? 2 * e.to + (g.a[e.to] === e.from ? 0 : 1) : -1;
      if (key >= 0) {
        st.edgeD[key] = pathOf(ends);
        st.edgeEnds[key] = { x: ends[2], y: ends[3] };
      }
      const id = e.from * span + e.to;
      now.add(id);
      const kept = netEdges.get(id);
      if (kept && kept.weight === e.weight) {
        const [sx, sy, tx, ty] = ends;
        if (sx !== kept.ends[0] || sy !== kept.ends[1] || tx !== kept.ends[2] || ty !== kept.ends[3]) {
          // a curve between its ends stays inside their box: off screen if that box is
          const off = Math.max(sx, tx) < x0 || Math.min(sx, tx) > x1 || Math.max(sy, ty) < y0 || Math.min(sy, ty) > y1;
          if (off) away.push([kept, ends]);
          else staleEdges.set(kept, ends);
        }
        if (key >= 0) st.edgeEls[key] = kept.el;
        continue;
      }
      kept?.el.remove();
      // A weight edge needs no arrowhead (weights flow left to right) and a marker on each of
      // thousands of edges is much of a network's style and layout time.
      let tail = ` marker-end="url(#${arrow})"`;
      let shown = null;
      if (e.weight >= 0) {
        const look = weightLook(values[e.weight], max);
        tail = ` data-weight="${e.weight}" data-sign="${look.sign}" stroke-width="${look.width}"`;
        shown = `${look.sign} ${look.width}`;
      }
      parts.push(`<path class="mgm-edge" data-from="${e.from}" data-to="${e.to}" d="${pathOf(ends)}"${tail}/>`);
      added.push([id, key, e.weight, ends, shown]);
    }
    for (const [id, kept] of netEdges) {
      if (now.has(id)) continue;
      kept.el.remove();
      netEdges.delete(id);
    }
    /** @type {Element[]} */
    let made = [];
    if (first) {
      edges.innerHTML = parts.join("");
      made = [...edges.querySelectorAll(".mgm-edge")];
    } else if (added.length) {
      const tmp = doc.createElementNS(SVG_NS, "svg");
      tmp.innerHTML = parts.join("");
      made = [...tmp.children];
      const frag = doc.createDocumentFragment();
      frag.append(...made);
      edges.appendChild(frag);
    }
    added.forEach(([id, key, weight, ends, shown], k) => {
      const el = /** @type {SVGPathElement} */ (made[k]);
      netEdges.set(id, { el, ends, weight });
      if (key >= 0) st.edgeEls[key] = el;
      if (shown !== null) shownLooks.set(el, shown);
    });
    st.weightEls = [];
    for (const e of netEdges.values()) if (e.weight >= 0) st.weightEls.push([e.el, e.weight]);
    st.styleWeights = weightStyler(st.weightEls);
    if (!first) st.styleWeights(values);
    for (const [e, d] of away) staleEdges.set(e, d);
    if (staleEdges.size) {
      edges.setAttribute("data-edges-moving", "true");
      edgeJob.schedule();
    } else {
      edges.removeAttribute("data-edges-moving");
      edgeJob.cancel();
    }
  }

  /**
   * Give the waiting edges their new paths in the order they wait: all of them, or those that
   * fit in EDGE_SLICE_MS. Returns whether some still wait.
   * @param {boolean} all
   */
  function flushEdges(all) {
    const clock = doc.defaultView?.performance ?? performance;
    const end = clock.now() + EDGE_SLICE_MS;
    let k = 0;
    for (const [e, ends] of staleEdges) {
      e.el.setAttribute("d", pathOf(ends));
      e.ends = ends;
      staleEdges.delete(e);
      if (!all && ++k % 64 === 0 && clock.now() >= end) break;
    }
    if (staleEdges.size) return true;
    edges.removeAttribute("data-edges-moving");
    return false;
  }

  return { drawNetEdges };
}
