// A network's edge layer (renderGraph's net mode): its edges drawn for the groups open now, the
// elements of the edges that stay kept, and the kept edges that moved given their new paths over
// the frames that follow, those in sight first.

import { later } from "./later.js";
import { SVG_NS, marker } from "./markup.js";
import { maxWeight, pathOf, shownLooks, weightStyler } from "./net-parts.js";
import { weightLook } from "./network.js";

/** @typedef {import("./chunks.js").Window2D} Window2D */
/** @typedef {import("./render.js").Net} Net */
/** @typedef {import("./scene-state.js").SceneState} SceneState */

/**
 * A network's drawn edge.
 * @typedef {object} NetEdge
 * @property {SVGPathElement} el
 * @property {number[]} ends its path's ends as drawn: x and y of the source's, then the target's
 * @property {number} weight the parameter whose edge it is, or -1
 * @property {number} key 2 * to + which for an edge between two drawn nodes (the marks' key), or -1
 */

/** How far outside the part on screen a network's moved edges count as in sight (they get their
 * new paths first), in unscaled pixels. */
const EDGE_MARGIN = 256;

/** How long one frame's slice of a network's moved edges runs (their new paths set), in ms. */
const EDGE_SLICE_MS = 4;

/**
 * The edge layer of a network's scene: `drawNetEdges(view)` draws the edges for the drawing now
 * (`state.drawnNet` at `state.lay`), in `state.edges`, and puts the edges' elements, paths and
 * restyler in `state`; `edgeCount()` is how many it drew.
 * @param {SceneState} state
 */
export function netEdgeLayer(state) {
  const { doc, g, n, boxes, edges, uid } = state;
  /** @type {Map<number, NetEdge>} a network's drawn edges by from * (size + groups) + to */
  const netEdges = new Map();
  /** @type {Map<NetEdge, number[]>} edges whose new ends wait until after the frame, in sight first */
  const staleEdges = new Map();
  /** @type {Map<number, NetEdge>} the drawn edges between two drawn nodes (key >= 0), by id */
  const keyed = new Map();
  const edgeJob = later(doc.defaultView, flushEdges);
  /** @type {{left: ArrayLike<number>, top: ArrayLike<number>, cl: Net["cl"]} | null} where the last drawing put the items */
  let drawnAt = null;
  /** @type {number[] | null} the part in sight when the kept edges' ends wait to be worked out by the edge job (x0, y0, x1, y1), else null */
  let walkIn = null;

  /**
   * An edge's ends on the drawing now: the source's right middle, the target's left middle.
   * @param {Net} dn
   * @param {number} f
   * @param {number} to
   */
  function endsOf(dn, f, to) {
    const { groupLeft, groupTop, groupWidth, groupHeight } = dn.cl;
    const { left, top } = state.lay;
    return [
      f < n ? left[f] + boxes[f].width : groupLeft[f - n] + groupWidth[f - n],
      f < n ? top[f] + boxes[f].height / 2 : groupTop[f - n] + groupHeight[f - n] / 2,
      to < n ? left[to] : groupLeft[to - n],
      to < n ? top[to] + boxes[to].height / 2 : groupTop[to - n] + groupHeight[to - n] / 2,
    ];
  }

  /**
   * Record the path and end the marks draw for the edge with key `key` (2 * to + which).
   * @param {number} key
   * @param {number[]} ends
   */
  function recordForMarks(key, ends) {
    state.edgeD[key] = pathOf(ends);
    state.edgeEnds[key] = { x: ends[2], y: ends[3] };
  }

  /**
   * Remove the drawn edge `id` (from * (size + groups) + to), if any.
   * @param {number} id
   */
  function drop(id) {
    netEdges.get(id)?.el.remove();
    netEdges.delete(id);
    keyed.delete(id);
  }

  /**
   * A kept edge: queued for its new path if its ends moved (after those in `bounds`, x0, y0,
   * x1, y1, if it lies outside them: pushed to `away`), and its key's element for the marks.
   * @param {NetEdge} kept
   * @param {number[]} ends
   * @param {number} key
   * @param {number[]} bounds
   * @param {Array<[NetEdge, number[]]>} away
   */
  function keep(kept, ends, key, bounds, away) {
    const sx = ends[0];
    const sy = ends[1];
    const tx = ends[2];
    const ty = ends[3];
    const old = kept.ends;
    if (sx !== old[0] || sy !== old[1] || tx !== old[2] || ty !== old[3]) {
      // a curve between its ends stays inside their box: off screen if that box is
      const off = Math.max(sx, tx) < bounds[0] || Math.min(sx, tx) > bounds[2] || Math.max(sy, ty) < bounds[1] || Math.min(sy, ty) > bounds[3];
      if (off) away.push([kept, ends]);
      else staleEdges.set(kept, ends);
    }
    if (key >= 0) state.edgeEls[key] = kept.el;
  }

  /**
   * Work out the ends of the kept edges `which` (by id) on the drawing now: see `keep`; those
   * between two drawn nodes also get their key's path and end for the marks.
   * @param {Map<number, NetEdge>} which
   * @param {number[]} bounds
   * @param {Array<[NetEdge, number[]]>} away
   */
  function walkKept(which, bounds, away) {
    const dn = /** @type {Net} */ (state.drawnNet);
    const span = n + dn.tree.count;
    // forEach, and no destructuring: both go through the iterator protocol, which code that has
    // not been optimised yet pays for on every step
    which.forEach((kept, id) => {
      const f = Math.floor(id / span);
      const to = id - f * span;
      const ends = endsOf(dn, f, to);
      const key = kept.key;
      if (key >= 0) recordForMarks(key, ends);
      keep(kept, ends, key, bounds, away);
    });
  }

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
    const dn = /** @type {Net} */ (state.drawnNet);
    const list = dn.edges;
    const values = state.edgeGrads ? state.lastGrad : state.lastData;
    const max = maxWeight(list, values);
    const span = n + dn.tree.count;
    state.edgeD = new Array(2 * n);
    state.edgeEnds = new Array(2 * n);
    state.edgeEls = new Array(2 * n);
    const arrow = `mgm-arrow-${uid}`;
    const first = netEdges.size === 0;
    /** @type {string[]} */
    const parts = [];
    /** @type {Array<[number, number, number, number[], string | null]>} the edges drawn anew: id, key, weight, ends, look */
    const added = [];
    /** @type {Set<number>} */
    const now = new Set();
    /** @type {Array<[NetEdge, number[]]>} kept edges that moved out of sight: they wait the longest */
    const away = [];
    const bounds = view
      ? [view.left - EDGE_MARGIN, view.top - EDGE_MARGIN, view.left + view.width + EDGE_MARGIN, view.top + view.height + EDGE_MARGIN]
      : [-Infinity, -Infinity, Infinity, Infinity];
    // A redraw that knows which pairs went and came (itemEdgesAfter) looks up only those; the
    // kept edges are walked once for their ends, with no lookup by pair. When every edge was
    // where the drawing before put them (none waited) and some item moved, that walk is left to
    // the edge job, after the frame: a click that opens a neuron would run it on cold code over
    // thousands of kept edges, and the marks need only the kept edges between two drawn nodes now.
    const change = first ? null : dn.change;
    const wasAt = drawnAt;
    drawnAt = { left: state.lay.left, top: state.lay.top, cl: dn.cl };
    const consistent = walkIn === null && staleEdges.size === 0 && wasAt !== null;
    const moved = consistent && itemsMoved(/** @type {NonNullable<typeof wasAt>} */ (wasAt), drawnAt, dn.tree.count);
    walkIn = null;
    staleEdges.clear(); // every edge's ends are worked out again below (or by the job)
    // A weight edge that went lends its element to one of the same weight that came: opening a
    // neuron moves the ends of its weights' edges from its box to its cards. The layer of
    // thousands of paths then gains and loses no element in the click and is not painted again
    // in the frame that shows the box open; the lent path moves with the kept edges'.
    /** @type {Map<number, NetEdge[]>} the weight edges that went, by weight */
    const spare = new Map();
    if (change) {
      for (const e of change.went) {
        const id = e.from * span + e.to;
        const gone = netEdges.get(id);
        if (gone && gone.weight >= 0) {
          spare.set(gone.weight, [...(spare.get(gone.weight) ?? []), gone]);
          netEdges.delete(id);
          keyed.delete(id);
        } else drop(id);
      }
      if (consistent) {
        walkKept(keyed, bounds, away);
        if (moved) walkIn = bounds;
      } else walkKept(netEdges, bounds, away);
    }
    for (const e of change ? change.came : list) {
      const ends = endsOf(dn, e.from, e.to);
      const key = e.from < n && e.to < n ? 2 * e.to + (g.a[e.to] === e.from ? 0 : 1) : -1;
      if (key >= 0) recordForMarks(key, ends);
      const id = e.from * span + e.to;
      now.add(id);
      const kept = netEdges.get(id);
      if (kept && kept.weight === e.weight) {
        keep(kept, ends, key, bounds, away);
        continue;
      }
      kept?.el.remove();
      keyed.delete(id);
      const lent = e.weight >= 0 ? spare.get(e.weight)?.pop() : undefined;
      if (lent) {
        lent.el.setAttribute("data-from", String(e.from));
        lent.el.setAttribute("data-to", String(e.to));
        const drawn = { el: lent.el, ends: lent.ends, weight: e.weight, key };
        netEdges.set(id, drawn);
        if (key >= 0) keyed.set(id, drawn);
        keep(drawn, ends, key, bounds, away);
        continue;
      }
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
    if (!change) {
      netEdges.forEach((_, id) => {
        if (!now.has(id)) drop(id);
      });
    }
    for (const left of spare.values()) for (const e of left) e.el.remove();
    /** @type {Element[]} */
    let made = [];
    if (first) {
      // The first drawing's edges in one group, the few a redraw adds after it: styling and
      // laying out those, the browser steps over one child of the layer, not thousands.
      edges.innerHTML = `<defs>${marker(arrow, "mgm-arrowhead", 7)}</defs><g>${parts.join("")}</g>`;
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
      const drawn = { el, ends, weight, key };
      netEdges.set(id, drawn);
      if (key >= 0) {
        state.edgeEls[key] = el;
        keyed.set(id, drawn);
      }
      if (shown !== null) shownLooks.set(el, shown);
    });
    // the kept weight edges are drawn with these values: they need restyling only if the largest
    // changed (the edges drawn anew have their looks for it already)
    const styledMax = state.styleWeights.max();
    /** @type {Array<[SVGPathElement, number]>} */
    const weightEls = [];
    netEdges.forEach((e) => {
      if (e.weight >= 0) weightEls.push([e.el, e.weight]);
    });
    state.weightEls = weightEls;
    const same = !first && styledMax === max;
    state.styleWeights = weightStyler(weightEls, same ? { values, max } : undefined);
    if (!first && !same) state.styleWeights(values);
    for (const [e, d] of away) staleEdges.set(e, d);
    if (staleEdges.size || walkIn) {
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
    if (walkIn) {
      /** @type {Array<[NetEdge, number[]]>} */
      const away = [];
      walkKept(netEdges, walkIn, away);
      walkIn = null;
      for (const [e, d] of away) staleEdges.set(e, d);
    }
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

  return { drawNetEdges, edgeCount: () => netEdges.size };
}

/**
 * Whether some item is somewhere else in drawing `b` than in drawing `a` (a node's corner, a
 * group's box), the items hidden in both aside.
 * @param {{left: ArrayLike<number>, top: ArrayLike<number>, cl: Net["cl"]}} a
 * @param {{left: ArrayLike<number>, top: ArrayLike<number>, cl: Net["cl"]}} b
 * @param {number} groups
 */
function itemsMoved(a, b, groups) {
  const differ = (/** @type {ArrayLike<number>} */ p, /** @type {ArrayLike<number>} */ q, /** @type {number} */ size) => {
    for (let i = 0; i < size; i++) {
      const x = p[i];
      const y = q[i];
      if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return true; // hidden in both is no move
    }
    return false;
  };
  const n = a.left.length;
  return (
    differ(a.left, b.left, n) ||
    differ(a.top, b.top, n) ||
    differ(a.cl.groupLeft, b.cl.groupLeft, groups) ||
    differ(a.cl.groupTop, b.cl.groupTop, groups) ||
    differ(a.cl.groupWidth, b.cl.groupWidth, groups) ||
    differ(a.cl.groupHeight, b.cl.groupHeight, groups)
  );
}
