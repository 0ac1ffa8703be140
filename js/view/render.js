// The SVG picture of a laid-out graph, and its fast in-place update.
//
// Structure: one scene element (the single transform that scales the whole picture: the hook
// for pan and zoom) holding one static <svg> of edges, which a drag never touches, and the nodes
// as SVG too, split into small <svg> chunks, one per TILE x TILE square of the drawing. Each chunk
// sits in a wrapper with `content-visibility: auto`, so the browser lays out and paints only the
// chunks near the visible part of the graph. Chrome re-paints a whole <svg> when any text in it
// changes: with all the nodes of an MLP in one <svg>, a drag re-painted every node on every frame
// (even for a single changed number); in chunks it costs what the visible ones cost
// (docs/performance.md has the figures).
//
// The markup is built as strings (one parse per chunk instead of a createElement call per
// element), then the text nodes of every number are collected into arrays, so that
// `update(data, grad)` only rewrites text and a few attributes, and only where they changed.
//
// Highlights are drawn in overlays, never by restyling the big static layers: the selected
// node's paths to the output (up to every node and edge of an MLP) are one <path> of edges under
// the nodes and one <path> of node outlines over them, while the elements on the path get a
// `data-path` attribute that no style depends on, so marking a path through most of an MLP
// restyles none of its many thousand SVG elements. The few edges of a backprop step are drawn
// one by one, with arrowheads pointing back to the operands. Each node also carries its
// gradient's sign and a magnitude level (explain.js's gradientStyle), which colour its grad row.

import { definitionText, gradientStyle, maxAbsFiniteGrad } from "../core/explain.js";
import { formatNumber } from "../core/format.js";
import { cardName, nodePathText } from "../core/names.js";
import { METRICS, edgePath } from "../layout/geometry.js";
import { later } from "./later.js";
import { itemEdges, weightLook } from "./network.js";

/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("../core/explain.js").GraphEdge} GraphEdge */
/** @typedef {import("../layout/geometry.js").Box} Box */
/** @typedef {import("../layout/index.js").Layout} Layout */
/** @typedef {{sign: Uint8Array, level: Uint8Array}} LookCodes */
/** @typedef {import("../core/groups.js").GroupTree} GroupTree */
/** @typedef {import("../layout/compound.js").CompoundLayout} CompoundLayout */
/** @typedef {import("./network.js").Visible} Visible */
/**
 * Nodes drawn as one <svg> (see chunk).
 * @typedef {object} Chunk
 * @property {HTMLElement} el its wrapper
 * @property {number[]} ids
 * @property {boolean} shown near the window (rendered, not culled): its nodes are rewritten at
 *   once on update
 * @property {boolean} stale out of sight and showing older numbers than the last update's
 * @property {number} container the group whose own nodes they are (-1: the top, or a flat graph)
 */
/**
 * What a slider move rewrites as one: a chunk of cards, or a closed box (its one node).
 * @typedef {object} Unit
 * @property {HTMLElement} el
 * @property {number[]} ids
 * @property {boolean} shown
 * @property {boolean} stale
 */
/**
 * A network's drawn edge.
 * @typedef {object} NetEdge
 * @property {SVGPathElement} el
 * @property {number[]} ends its path's ends as drawn: x and y of the source's, then the target's
 * @property {number} weight the parameter whose edge it is, or -1
 */

/**
 * A graph with groups as drawn (view/network.js): `layout` then holds the compound layout's
 * node positions (NaN for a hidden node, the box's corner for a closed box's output).
 * @typedef {object} Net
 * @property {GroupTree} tree
 * @property {ReadonlySet<number>} open the open groups' ids
 * @property {CompoundLayout} cl
 * @property {Visible} visible
 * @property {Int32Array} repNode each drawn closed group's node whose numbers it shows (its
 *   first output), -1 elsewhere
 */

/**
 * A drawn graph (renderGraph): its elements and what changes them in place.
 * @typedef {object} Scene
 * @property {HTMLElement} element the root to put in a viewport
 * @property {HTMLElement} nodesElement the nodes' container (keyboard and focus events)
 * @property {number} width the drawing's size, unscaled
 * @property {number} height
 * @property {number} output the output node's id
 * @property {(data: ArrayLike<number>, grad: ArrayLike<number>) => void} update show new numbers
 * @property {(s: number) => void} setScale
 * @property {(id: number) => {left: number, top: number, width: number, height: number}} nodeBox
 *   a node's box in unscaled drawing coordinates
 * @property {(id: number) => SVGGElement} nodeElement a node's card, or for a hidden node the
 *   box of the closed group around it
 * @property {() => void} flush bring every node up to date with the pending numbers now
 * @property {(target: EventTarget | null) => number | null} nodeId the node an event target
 *   lies in, or null (the background)
 * @property {(attr: string, pairs: ReadonlyArray<[number, string]>) => void} markNodes set
 *   attribute `attr` on exactly these nodes ([id, value] pairs)
 * @property {(ids: ReadonlyArray<number>, edges: ReadonlyArray<GraphEdge>) => void} markPath
 *   highlight paths to the output
 * @property {(edges: ReadonlyArray<GraphEdge>) => void} markStep draw a backprop step's edges
 * @property {(id: number) => void} setTabStop make node `id` the graph's one tab stop
 * @property {(root: Element) => () => void} cull hide the chunks far outside `root`; returns
 *   the function that stops it
 * @property {(id: number) => void} wake make node `id`'s chunk rendered now
 * @property {(view: Window2D) => void} show draw at once the cards of the part of the drawing
 *   on screen (`view`, unscaled) that are not drawn yet (renderGraph's `lazy`)
 * @property {(id: number) => string} describe the node's tooltip text
 * @property {(mask: Uint8Array | null) => void} hideGrads show "?" for the grads of the nodes
 *   whose entry is 1, with no number anywhere in their markup (a quiz asks them); null: none
 * @property {(id: number) => boolean} gradHidden whether node `id`'s grad shows "?"
 * @property {() => boolean} anyGradHidden
 * @property {(grads: boolean) => void} setEdgeGrads weight edges show the weights' grads
 *   (true) or the weights (false)
 * @property {(grp: number) => HTMLElement | undefined} groupElement a drawn group's box
 * @property {(net: Net, layout: Layout, view?: Window2D | null) => void} setNet draw a network's
 *   groups open and closed as `net` says (same graph and tree), in place: what stays keeps its
 *   elements; edges that moved get their new paths after the next frame (in `view` first)
 */

const SVG_NS = "http://www.w3.org/2000/svg";

/** Room right of the layout for the output marker ("→ output"). */
const OUTPUT_MARK_WIDTH = 84;

/**
 * A part of the drawing, in unscaled drawing coordinates.
 * @typedef {{left: number, top: number, width: number, height: number}} Window2D
 */

/** How far outside the part on screen a network's moved edges count as in sight (they get their
 * new paths first), in unscaled pixels. */
const EDGE_MARGIN = 256;

/** How long one frame's slice of a network's moved edges runs (their new paths set), in ms. */
const EDGE_SLICE_MS = 4;

/** Side of the square of the drawing whose nodes share one SVG chunk, in unscaled pixels. */
export const TILE = 512;

/** The attributes of <html> and <body> through which hosts switch themes (JupyterLab, Sphinx). */
const THEME_ATTRIBUTES = ["class", "data-theme", "data-jp-theme-light", "data-jp-theme-name"];

/** From how many edges on, and below how many cards, the edge layer is composited on its own
 * (renderGraph). */
const OWN_LAYER_EDGES = 2000;

/** How long a slice of updates to the nodes out of sight runs when it cannot wait for idle
 * time, in ms (update). */
const SLICE_MS = 4;

/** The longest the nodes out of sight wait for idle time before a slice runs anyway, in ms. */
const IDLE_WAIT_MS = 200;

/** How far outside the visible window chunks stay rendered, in screen pixels (see cull). */
const CULL_MARGIN = 256;

/** data-grad-sign values by code (the codes kept per node to skip unchanged writes). */
const SIGNS = ["zero", "pos", "neg", "nonfinite"];
/** @type {Readonly<Record<string, number>>} */
const SIGN_CODES = { zero: 0, pos: 1, neg: 2, nonfinite: 3 };

/**
 * A gradient's look on its node: {sign, level} with level 0 (zero grad) to 4 (the largest
 * |grad|), gradientStyle's emphasis cut into four steps so that a drag rewrites few attributes.
 * @param {number} grad
 * @param {number} maxAbsGrad
 * @returns {{sign: "pos" | "neg" | "zero" | "nonfinite", level: number}}
 */
export function gradLook(grad, maxAbsGrad) {
  const { sign, emphasis } = gradientStyle(grad, maxAbsGrad);
  if (sign === "zero") return { sign, level: 0 };
  return { sign, level: Math.max(1, Math.min(4, Math.ceil(emphasis * 4 - 1e-9))) };
}

let scenes = 0; // makes marker ids unique when several widgets share a page

/**
 * Draw graph `g` (engine.parseGraph) with `boxes` (geometry.nodeBoxes) at `layout`
 * (layout.layoutGraph). `inputIds` is a Set of leaf ids that have a slider; `data` and `grad` are
 * the numbers shown first. Returns {element, nodesElement, width, height, output, update(data,
 * grad), setScale(s), nodeBox(id), nodeElement(id), nodeId(target), markNodes(attr, pairs),
 * markPath(ids, edges), markStep(edges), setTabStop(id), cull(root), wake(id), flush(),
 * describe(id)};
 * `element` is the root to put in a viewport.
 * @param {Document} doc
 * @param {ParsedGraph} g
 * @param {Box[]} boxes
 * @param {Layout} layout
 * @param {ReadonlySet<number>} inputIds
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} grad
 * @param {Net | null} [net] the groups, for a graph that has them
 * @param {{lazy?: boolean}} [options] lazy: draw the chunks as empty wrappers, their cards made
 *   when they come into sight (`show`, `cull`), when one of their nodes is asked for, and in
 *   idle time after the first paint (only where the page can tell what is in sight)
 * @returns {Scene}
 */
export function renderGraph(doc, g, boxes, layout, inputIds, data, grad, net = null, { lazy = false } = {}) {
  const n = g.size;
  let width = Math.ceil(layout.width + OUTPUT_MARK_WIDTH);
  let height = Math.ceil(layout.height);
  // The drawing now: setNet replaces them when groups open or close.
  let lay = layout;
  let drawnNet = net;
  let lastGrad = grad; // the numbers last given (new cards are drawn with them)
  let lastData = data;

  const element = doc.createElement("div");
  element.className = "mgm-frame";
  const scene = doc.createElement("div");
  scene.className = "mgm-scene";
  element.appendChild(scene);

  const edges = doc.createElementNS(SVG_NS, "svg");
  edges.setAttribute("class", "mgm-edges");
  edges.setAttribute("aria-hidden", "true");
  const uid = ++scenes;
  /** @type {string[]} path data by 2 * to + which */
  let edgeD = new Array(2 * n);
  /** @type {import("../layout/geometry.js").Point[]} */
  let edgeEnds = new Array(2 * n);
  /** @type {Element[]} */
  let edgeEls = new Array(2 * n);
  /** @type {Array<[SVGPathElement, number]>} weight edges and their parameters */
  let weightEls = [];
  let styleWeights = weightStyler(weightEls);
  let edgeGrads = false;
  /** @type {Map<number, NetEdge>} a network's drawn edges by from * (size + groups) + to */
  const netEdges = new Map();
  /** @type {Map<NetEdge, number[]>} edges whose new ends wait until after the frame, in sight first */
  const staleEdges = new Map();
  const edgeJob = later(doc.defaultView, flushEdges);
  if (!net) {
    for (const e of layout.edges) {
      edgeD[2 * e.to + e.which] = edgePath(e.points);
      edgeEnds[2 * e.to + e.which] = e.points[e.points.length - 1];
    }
    edges.innerHTML = edgesMarkup(layout, uid, edgeD);
    edges.querySelectorAll(".mgm-edge").forEach((el, k) => {
      const e = layout.edges[k];
      edgeEls[2 * e.to + e.which] = el;
    });
  }
  scene.appendChild(edges);

  // Under the nodes: the output's arrow, the path's edges, a step's edges (in that order).
  const marks = svgLayer(doc, "mgm-marks", width, height);
  marks.innerHTML =
    `<defs>${marker(`mgm-out-arrow-${uid}`, "mgm-out-arrowhead", 8)}` +
    `${marker(`mgm-step-arrow-${uid}`, "mgm-step-arrowhead", 9, "auto-start-reverse")}</defs>` +
    outputMarkup(g, boxes, layout, uid, net) +
    '<path class="mgm-mark-path"/><path class="mgm-mark-path-heads"/><g class="mgm-marks-step"></g>';
  const [pathEdges, pathHeads, stepGroup] = [...marks.children].slice(-3);
  scene.appendChild(marks);

  const nodes = doc.createElement("div");
  nodes.className = "mgm-nodes";
  nodes.setAttribute("role", "group");
  nodes.setAttribute(
    "aria-label",
    `computation graph with ${n} values: arrow keys move between them, Enter explains one, Escape clears`,
  );
  /** @type {Set<Chunk>} the drawn chunks */
  const chunks = new Set();
  /** @type {WeakMap<Element, Unit>} chunks and closed boxes by their element */
  const unitByEl = new WeakMap();
  /** @type {Array<Chunk | undefined>} each drawn card's chunk */
  const chunkOf = new Array(n);
  /** @type {SVGGElement[]} */
  const nodeEls = new Array(n);
  /** @type {Element[]} */
  const dataEls = new Array(n);
  /** @type {Element[]} */
  const gradEls = new Array(n);
  /** @type {Element[]} */
  const cellEls = new Array(n); // the grad rows' backgrounds, tinted by data-tint
  /** @type {Text[]} */
  const dataText = new Array(n);
  /** @type {Text[]} */
  const gradText = new Array(n);
  // What is on screen now, to skip unchanged writes.
  const shownData = new Float64Array(n);
  const shownGrad = new Float64Array(n);
  const shownSign = new Uint8Array(n);
  const shownLevel = new Uint8Array(n);
  const nonfinite = new Uint8Array(n);
  /** @type {IntersectionObserver | null} culls the chunks (see cull) */
  let observer = null;
  /** @type {LookCodes} the grads' looks that new markup is drawn with */
  let looks = lookCodes(grad);
  /** @type {number[]} the nodes whose numbers are drawn anew, to index */
  let fresh = [];
  let given = 0; // how many times numbers were given (update): the arrays may be the same, refilled
  let looksOf = given; // when `looks` was worked out
  let tabStop = g.output;
  // Parsing the cards' markup is most of a big network's first paint, and at the first scale
  // most chunks are far outside the window: those are drawn empty and filled later (fillChunk).
  const deferring = lazy && typeof doc.defaultView?.IntersectionObserver === "function";
  /**
   * @type {Map<Chunk, {origin: [number, number], at: Layout, area: Window2D}>} the chunks drawn
   * empty: their container's corner and the layout they were placed by, and where they are
   */
  const unfilled = new Map();
  /** @type {Window2D | null | undefined} where new chunks get their cards at once (and the cull
   * margin around it): undefined everywhere, null nowhere (but the tab stop's, which Tab must reach) */
  let eager = deferring ? null : undefined;

  /**
   * Index node `id`'s elements: its card (or closed box) and the fields in it.
   * @param {number} id
   * @param {Element} card
   * @param {Element} dataEl
   * @param {Element} gradEl
   * @param {Element} cell
   */
  function index(id, card, dataEl, gradEl, cell) {
    nodeEls[id] = /** @type {SVGGElement} */ (card);
    dataEls[id] = dataEl;
    gradEls[id] = gradEl;
    cellEls[id] = cell;
    dataText[id] = /** @type {Text} */ (dataEl.firstChild);
    gradText[id] = /** @type {Text} */ (gradEl.firstChild);
    fresh.push(id);
  }

  /**
   * Draw nodes `ids` as one chunk into `parent`, whose top-left corner is at `origin` in
   * drawing coordinates, and index their elements; `container` is the group they belong to
   * (-1: none, or a flat graph).
   * @param {HTMLElement} parent
   * @param {number[]} ids
   * @param {[number, number]} origin
   * @param {number} container
   */
  function addChunk(parent, ids, origin, container) {
    const { el, area } = chunkWrapper(doc, boxes, lay, ids, origin);
    parent.appendChild(el);
    /** @type {Chunk} */
    const c = { el, ids, shown: true, stale: false, container };
    chunks.add(c);
    unitByEl.set(el, c);
    for (const id of ids) chunkOf[id] = c;
    if (eager === undefined || (eager && meets(area, eager, CULL_MARGIN / scale)) || ids.includes(tabStop)) {
      drawCards(c, origin, lay);
    } else {
      unfilled.set(c, { origin, at: lay, area });
      c.shown = false;
      el.style.contentVisibility = "hidden"; // not styled by the frames until it is in sight
    }
    observer?.observe(el);
  }

  /**
   * Make chunk `c`'s cards, with the numbers given last, and index them.
   * @param {Chunk} c
   * @param {[number, number]} origin its container's corner
   * @param {Layout} at the layout it was placed by
   */
  function drawCards(c, origin, at) {
    if (looksOf !== given) {
      looks = lookCodes(lastGrad);
      looksOf = given;
    }
    const { el, ids } = c;
    el.appendChild(chunk(doc, g, boxes, at, inputIds, lastData, lastGrad, looks, ids, origin));
    const cards = el.querySelectorAll("[data-node-id]");
    const datas = el.querySelectorAll('[data-field="data"]');
    const grads = el.querySelectorAll('[data-field="grad"]');
    const cells = el.querySelectorAll(".mgm-cell-grad");
    ids.forEach((id, k) => {
      index(id, cards[k], datas[k], grads[k], cells[k]);
    });
  }

  /**
   * Draw an empty chunk's cards now as they would be drawn anew: the numbers, looks, marks,
   * hidden grads and tab stop of now.
   * @param {Chunk} c
   */
  function fillChunk(c) {
    const todo = unfilled.get(c);
    if (!todo) return;
    unfilled.delete(c);
    drawCards(c, todo.origin, todo.at);
    shownFresh();
    for (const [attr, on] of marked) {
      for (const id of c.ids) {
        const value = on.get(id);
        if (value !== undefined) nodeEls[id].setAttribute(attr, value);
      }
    }
    if (c.ids.includes(g.output) && tabStop !== g.output) nodeEls[g.output].setAttribute("tabindex", "-1");
    if (c.ids.includes(tabStop)) nodeEls[tabStop].setAttribute("tabindex", "0");
  }

  /** Whether node `id`'s card waits to be drawn. @param {number} id */
  function waiting(id) {
    const c = chunkOf[id];
    return c !== undefined && unfilled.has(c);
  }

  /** Node `id`'s card, drawn now if it was waiting. @param {number} id */
  function nodeElement(id) {
    const c = chunkOf[id];
    if (c) fillChunk(c);
    return nodeEls[id];
  }

  /** @param {Chunk} c */
  function dropChunk(c) {
    chunks.delete(c);
    unfilled.delete(c);
    observer?.unobserve(c.el);
    for (const id of c.ids) if (chunkOf[id] === c) chunkOf[id] = undefined;
  }

  /** @type {number[]} the nodes whose numbers closed boxes show */
  let boxIds = [];
  /** @type {Map<number, Unit>} closed group id -> its box as a unit (never culled: its numbers
   * wait while it is out of sight) */
  let boxUnits = new Map();
  /** @type {Map<number, HTMLElement>} drawn group id -> its box */
  const groupEls = new Map();
  /** @type {number[]} the nodes whose numbers are on screen: cards, then closed boxes' */
  let drawnIds = [];
  /** @type {Map<number, number[]>} container (-1: the top) -> its drawn nodes */
  let own = new Map();

  /**
   * The box of drawn group `grp`, in a container whose corner is at `origin`: an open one
   * holds its child groups' boxes and its own nodes' chunks.
   * @param {number} grp
   * @param {[number, number]} origin
   * @returns {HTMLElement}
   */
  function drawBox(grp, origin) {
    const dn = /** @type {Net} */ (drawnNet);
    const box = groupShell(doc, g, dn, grp, origin, lastData, lastGrad, looks);
    groupEls.set(grp, box);
    const b = groupBox(dn.cl, grp);
    if (dn.open.has(grp)) fill(box, grp, [b.left, b.top]);
    return box;
  }

  /**
   * Draw container `c`'s child groups and own nodes into `parent`.
   * @param {HTMLElement} parent
   * @param {number} c the container: -1 or an open group
   * @param {[number, number]} origin
   */
  function fill(parent, c, origin) {
    const dn = /** @type {Net} */ (drawnNet);
    for (const grp of c < 0 ? topGroups(dn.tree) : dn.tree.children[c]) {
      if (dn.visible.drawn[grp]) parent.appendChild(drawBox(grp, origin));
    }
    addOwn(parent, c, origin);
  }

  /**
   * Container `c`'s own drawn nodes as chunks in `parent`.
   * @param {HTMLElement} parent
   * @param {number} c
   * @param {[number, number]} origin
   */
  function addOwn(parent, c, origin) {
    const mine = own.get(c);
    if (!mine) return;
    // tiles of the container's own coordinates: they stay the same when the container moves
    const at = { left: mine.map((i) => lay.left[i] - origin[0]), top: mine.map((i) => lay.top[i] - origin[1]) };
    for (const ids of tiles(
      mine.map((i) => boxes[i]),
      at,
    )) {
      addChunk(
        parent,
        ids.map((k) => mine[k]),
        origin,
        c,
      );
    }
  }

  /**
   * Bring the groups' boxes and the cards to drawing `dn` (the old one: `was`, null at first):
   * boxes whose state is the same stay (moved where their container placed them elsewhere), a
   * box that opened or closed is drawn anew, a container's cards are drawn anew only when it
   * placed them elsewhere.
   * @param {HTMLElement} parent
   * @param {number} c the container: -1 or an open group
   * @param {Net | null} was
   * @param {Net} dn
   * @param {Map<number, number[]>} ownBefore
   * @param {Layout} layBefore
   * @param {[number, number]} origin the container's corner now
   * @param {[number, number]} originBefore and before
   */
  function patch(parent, c, was, dn, ownBefore, layBefore, origin, originBefore) {
    for (const grp of c < 0 ? topGroups(dn.tree) : dn.tree.children[c]) {
      if (!dn.visible.drawn[grp]) continue;
      const el = groupEls.get(grp);
      const isOpen = dn.open.has(grp);
      if (!el || !was || was.open.has(grp) !== isOpen) {
        if (el) forget(el);
        const box = drawBox(grp, origin);
        if (el) el.replaceWith(box);
        else parent.appendChild(box);
        continue;
      }
      const b = groupBox(dn.cl, grp);
      const o = groupBox(was.cl, grp);
      const style = el.style;
      if (round1(b.left - origin[0]) !== round1(o.left - originBefore[0])) style.left = `${round1(b.left - origin[0])}px`;
      if (round1(b.top - origin[1]) !== round1(o.top - originBefore[1])) style.top = `${round1(b.top - origin[1])}px`;
      if (round1(b.width) !== round1(o.width)) style.width = `${round1(b.width)}px`;
      if (round1(b.height) !== round1(o.height)) style.height = `${round1(b.height)}px`;
      if (isOpen) patch(el, grp, was, dn, ownBefore, layBefore, [b.left, b.top], [o.left, o.top]);
    }
    const mine = own.get(c) ?? [];
    const before = ownBefore.get(c) ?? [];
    const same =
      mine.length === before.length &&
      mine.every(
        (i, k) =>
          i === before[k] &&
          lay.left[i] - origin[0] === layBefore.left[i] - originBefore[0] &&
          lay.top[i] - origin[1] === layBefore.top[i] - originBefore[1],
      );
    if (same) return;
    for (const ch of [...chunks]) {
      if (ch.container === c && ch.el.parentNode === parent) {
        dropChunk(ch);
        ch.el.remove();
      }
    }
    addOwn(parent, c, origin);
  }

  /** A box leaves the drawing: forget it, the boxes and the chunks inside. @param {HTMLElement} el */
  function forget(el) {
    for (const [grp, box] of groupEls) if (el.contains(box)) groupEls.delete(grp);
    for (const ch of [...chunks]) if (el.contains(ch.el)) dropChunk(ch);
  }

  /**
   * After drawing: index the closed boxes (a box is the element of its hidden nodes), list
   * the drawn nodes and show their numbers' state (non-finite, hidden grads). Returns the nodes
   * drawn anew.
   */
  function indexed() {
    const dn = drawnNet;
    if (dn) {
      boxIds = [];
      /** @type {Map<number, Unit>} */
      const units = new Map();
      for (const grp of dn.visible.closed) {
        const o = dn.repNode[grp];
        const box = groupEls.get(grp);
        if (o < 0 || !box) continue;
        boxIds.push(o);
        const kept = boxUnits.get(grp);
        const unit = kept?.el === box ? kept : { el: box, ids: [o], shown: true, stale: false };
        units.set(grp, unit);
        if (unit !== kept) {
          unitByEl.set(box, unit);
          observer?.observe(box);
        }
        if (nodeEls[o] === /** @type {unknown} */ (box)) continue;
        index(
          o,
          box,
          /** @type {Element} */ (box.querySelector('[data-field="data"]')),
          /** @type {Element} */ (box.querySelector('[data-field="grad"]')),
          /** @type {Element} */ (box.querySelector(".mgm-box-grad")),
        );
      }
      for (const [grp, unit] of boxUnits) if (units.get(grp) !== unit) observer?.unobserve(unit.el);
      boxUnits = units;
      const { rep } = dn.visible;
      for (let i = 0; i < n; i++) {
        if (rep[i] < n) continue;
        chunkOf[i] = undefined;
        if (dn.repNode[rep[i] - n] !== i) nodeEls[i] = /** @type {SVGGElement} */ (/** @type {unknown} */ (groupEls.get(rep[i] - n)));
      }
    }
    drawnIds = [];
    for (const c of chunks) for (const id of c.ids) drawnIds.push(id);
    drawnIds.push(...boxIds);
    return shownFresh();
  }

  /** Show the state of the numbers of the nodes drawn anew (non-finite, hidden grads); returns them. */
  function shownFresh() {
    const max = maxAbsFiniteGrad(lastGrad);
    for (const i of fresh) {
      shownData[i] = lastData[i];
      shownGrad[i] = lastGrad[i];
      shownSign[i] = looks.sign[i];
      shownLevel[i] = looks.level[i];
      nonfinite[i] = 0;
      if (!Number.isFinite(lastData[i]) || !Number.isFinite(lastGrad[i])) {
        nonfinite[i] = 1;
        nodeEls[i].setAttribute("data-nonfinite", "true");
      }
      if (hidden?.[i]) updateNode(i, lastData[i], lastGrad[i], max);
    }
    const done = fresh;
    fresh = [];
    return done;
  }

  /**
   * Thousands of edges under few cards (a closed network's weights) get a raster of their own
   * (style.js), not drawn again under every number a slider move changes. So do the edges of a
   * network with closed boxes, however few: a move rewrites the numbers of every box in sight,
   * and the tiles under them were rastered again with every edge that crosses them (a network's
   * long weight edges cross most of them). Fewer edges under cards only cost less than another
   * layer would; thousands of cards too make two huge layers, which cost more.
   */
  function layerEdges() {
    const cards = drawnIds.length - boxIds.length;
    const under = edges.childElementCount >= OWN_LAYER_EDGES || boxIds.length > 0;
    edges.classList.toggle("mgm-edges-layer", under && cards < OWN_LAYER_EDGES);
  }

  /** @type {Uint8Array | null} the grads shown as "?" (hideGrads) */
  let hidden = null;
  if (net) {
    own = ownNodes(g, net);
    patch(nodes, -1, null, net, new Map(), layout, [0, 0], [0, 0]);
    drawNetEdges();
  } else {
    for (const ids of tiles(boxes, layout)) addChunk(nodes, ids, [0, 0], -1);
  }
  indexed();
  layerEdges();
  scene.appendChild(nodes);

  // Over the nodes: the outlines of the nodes on the path.
  const outlines = svgLayer(doc, "mgm-marks mgm-marks-top", width, height);
  outlines.innerHTML = '<path class="mgm-mark-outline"/>';
  const pathOutline = /** @type {Element} */ (outlines.firstElementChild);
  scene.appendChild(outlines);

  let scale = 1;
  /** Scale the whole picture (edges and nodes) by `s`, through the scene's one transform. @param {number} s */
  function setScale(s) {
    scale = s;
    scene.style.transform = s === 1 ? "" : `scale(${s})`;
    element.style.width = `${Math.ceil(width * s)}px`;
    element.style.height = `${Math.ceil(height * s)}px`;
  }
  /** The drawing's size on every layer that has one. */
  function sized() {
    scene.style.width = `${width}px`;
    scene.style.height = `${height}px`;
    for (const layer of [edges, marks, outlines]) {
      layer.setAttribute("width", String(width));
      layer.setAttribute("height", String(height));
    }
    setScale(scale);
  }
  sized();

  // Only the units near the window (chunks: rendered, not culled) are rewritten at once on
  // update; the others in slices after the frames that follow (see update).
  let cursor = 0; // where in the list of units the next slice starts
  const win = doc.defaultView;
  /** @type {{data: ArrayLike<number>, grad: ArrayLike<number>, max: number} | null} */
  let pending = null; // the numbers stale units are yet to show
  /** @type {number | null} */
  let frameRequest = null;
  /** @type {number | null} */
  let fallback = null;
  /** @type {MessageChannel | null} */
  let channel = null;
  /** @type {number | null} */
  let idleRequest = null;
  let idleTimed = false; // whether idleRequest has a timeout

  /** The chunks and the closed boxes, which update writes unit by unit. @returns {Unit[]} */
  function units() {
    return [...chunks, ...boxUnits.values()];
  }

  /**
   * Write node `i`'s numbers and looks, where they changed.
   * @param {number} i
   * @param {number} d
   * @param {number} given
   * @param {number} max
   */
  function updateNode(i, d, given, max) {
    let gr = given;
    if (!Object.is(d, shownData[i])) {
      shownData[i] = d;
      const s = formatNumber(d);
      if (dataText[i].data !== s) dataText[i].data = s;
      dataEls[i].setAttribute("data-value", String(d));
    }
    if (hidden?.[i]) {
      if (gradEls[i].hasAttribute("data-value")) {
        gradText[i].data = "?";
        gradEls[i].removeAttribute("data-value");
        nodeEls[i].setAttribute("data-grad-sign", "hidden");
        cellEls[i].setAttribute("data-tint", "hidden");
        shownSign[i] = 255; // matches no sign: the look is written again once shown
      }
      shownGrad[i] = NaN;
      gr = 0; // nothing below may tell the grad (non-finite marks included)
    } else if (!Object.is(gr, shownGrad[i]) || !gradEls[i].hasAttribute("data-value")) {
      shownGrad[i] = gr;
      const s = formatNumber(gr);
      if (gradText[i].data !== s) gradText[i].data = s;
      gradEls[i].setAttribute("data-value", String(gr));
    }
    const look = gradLook(gr, max);
    const sign = SIGN_CODES[look.sign];
    if (hidden?.[i]) {
      // the "?" look stays
    } else if (sign !== shownSign[i] || look.level !== shownLevel[i]) {
      if (sign !== shownSign[i]) nodeEls[i].setAttribute("data-grad-sign", look.sign);
      shownSign[i] = sign;
      shownLevel[i] = look.level;
      cellEls[i].setAttribute("data-tint", tint(sign, look.level));
    }
    const bad = Number.isFinite(d) && Number.isFinite(gr) ? 0 : 1;
    if (bad !== nonfinite[i]) {
      nonfinite[i] = bad;
      if (bad) nodeEls[i].setAttribute("data-nonfinite", "true");
      else nodeEls[i].removeAttribute("data-nonfinite");
    }
  }

  /**
   * Show new numbers: text and attributes only, and only where they changed. The nodes of the
   * units near the window (chunks and closed boxes) change now; those of the others in slices
   * when the page is idle (at the latest every IDLE_WAIT_MS, then about SLICE_MS long; where
   * the browser has no idle callbacks, one slice after each painted frame), so that a drag's
   * frames pay for what is seen only (a later update before they are done makes them show its
   * numbers instead). A unit coming into sight, or `flush`, brings its nodes up to date at once.
   * @param {ArrayLike<number>} newData
   * @param {ArrayLike<number>} newGrad
   */
  function update(newData, newGrad) {
    given++;
    lastGrad = newGrad;
    lastData = newData;
    const max = maxAbsFiniteGrad(newGrad);
    pending = { data: newData, grad: newGrad, max };
    let deferred = false;
    for (const u of units()) {
      if (unfilled.has(/** @type {Chunk} */ (u))) continue; // drawn with the numbers of when it is filled
      if (u.shown) {
        writeUnit(u);
      } else {
        u.stale = true;
        deferred = true;
      }
    }
    if (weightEls.length) updateWeights(newData, newGrad);
    if (!deferred) {
      cancelPending();
      return;
    }
    schedule();
  }

  /** Write the pending numbers into unit `u`'s nodes. @param {Unit} u */
  function writeUnit(u) {
    u.stale = false;
    if (pending === null) return;
    const { data: d, grad: gr, max } = pending;
    for (const i of u.ids) updateNode(i, d[i], gr[i], max);
  }

  /** Bring every node up to date with the pending numbers now, if any. */
  function flush() {
    if (pending === null) return;
    for (const u of units()) if (u.stale) writeUnit(u);
    cancelPending();
  }

  /**
   * One slice of the stale units, from where the last one stopped, then of the chunks still
   * empty: while the idle period `deadline` lasts, else SLICE_MS; the next one is scheduled as
   * the first was.
   * @param {IdleDeadline} [deadline]
   */
  function slice(deadline) {
    stopSlices();
    const clock = win?.performance ?? performance;
    const end = clock.now() + SLICE_MS;
    const idle = deadline && !deadline.didTimeout ? deadline : null;
    const all = units();
    const count = all.length;
    for (let k = 0; k < count; k++) {
      const u = all[(cursor + k) % count];
      if (!u.stale) continue;
      writeUnit(u);
      if (idle ? idle.timeRemaining() <= 0 : clock.now() >= end) {
        cursor = (cursor + k + 1) % count;
        schedule();
        return;
      }
    }
    cancelPending();
    for (const c of unfilled.keys()) {
      fillChunk(c);
      if (idle ? idle.timeRemaining() <= 0 : clock.now() >= end) break;
    }
    if (unfilled.size) schedule();
  }

  /**
   * Restyle the weight edges for new numbers: attributes only, where their look changed.
   * @param {ArrayLike<number>} d
   * @param {ArrayLike<number>} gr
   */
  function updateWeights(d, gr) {
    styleWeights(edgeGrads ? gr : d);
  }

  function cancelPending() {
    pending = null;
    for (const u of units()) u.stale = false;
    stopSlices();
    if (unfilled.size) schedule();
  }

  function stopSlices() {
    if (frameRequest !== null) win?.cancelAnimationFrame?.(frameRequest);
    if (fallback !== null) win?.clearTimeout(fallback);
    if (idleRequest !== null) win?.cancelIdleCallback?.(idleRequest);
    frameRequest = null;
    fallback = null;
    idleRequest = null;
  }

  /**
   * Run a slice when the page is idle, or else in a task right after the next frame (a timer
   * too, for pages not painting). Numbers still to show wait for idle time at most IDLE_WAIT_MS;
   * cards still to draw wait for it however long: forced into a drag, they would lengthen its
   * frames for nothing on screen.
   */
  function schedule() {
    if (idleRequest !== null && pending !== null && !idleTimed) stopSlices();
    if (frameRequest !== null || fallback !== null || idleRequest !== null) return;
    if (win?.requestIdleCallback) {
      idleTimed = pending !== null;
      idleRequest = win.requestIdleCallback(slice, idleTimed ? { timeout: IDLE_WAIT_MS } : {});
      return;
    }
    if (!win?.requestAnimationFrame) {
      flush();
      for (const c of [...unfilled.keys()]) fillChunk(c);
      return;
    }
    if (!channel && win.MessageChannel) {
      channel = new win.MessageChannel();
      channel.port1.onmessage = () => slice();
    }
    frameRequest = win.requestAnimationFrame(() => {
      frameRequest = null;
      if (channel) channel.port2.postMessage(null);
      else fallback ??= win.setTimeout(() => slice(), 0);
    });
    fallback = win.setTimeout(() => slice(), 100);
  }

  /** A node's box in unscaled drawing coordinates (a hidden one's: its group's). @param {number} i */
  function nodeBox(i) {
    if (drawnNet && drawnNet.visible.rep[i] >= n) return groupBox(drawnNet.cl, drawnNet.visible.rep[i] - n);
    return { left: lay.left[i], top: lay.top[i], width: boxes[i].width, height: boxes[i].height };
  }

  /**
   * The id of the node an event target lies in (a closed box: the node it shows), or null (the
   * background). @param {EventTarget | null} target
   */
  function nodeId(target) {
    const node = isElement(target) ? target.closest("[data-node-id], [data-rep]") : null;
    if (!node || !nodes.contains(node)) return null;
    return Number(node.getAttribute("data-node-id") ?? node.getAttribute("data-rep"));
  }

  /** @type {Map<string, Map<number, string>>} attribute -> the nodes that carry it now, and its values */
  const marked = new Map();
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
      const [id, value] = pairs[k];
      if (waiting(id) || done.has(nodeEls[id])) continue;
      done.add(nodeEls[id]);
      nodeEls[id].setAttribute(attr, value);
    }
    marked.set(attr, new Map(pairs));
  }

  /** @type {number[]} */
  let pathEdgeKeys = [];
  /** @type {[ReadonlyArray<number>, ReadonlyArray<GraphEdge>]} what markPath marks now */
  let pathMarked = [[], []];
  /**
   * Highlight the paths from a node to the output: `nodes` (ids) and `edges` ({from, to, arg}:
   * the edge from operand `from` into operand slot `arg` of node `to`), replacing the previous
   * highlight. Their elements get data-path="true" (a hook for tests, styled by nothing).
   * @param {ReadonlyArray<number>} ids
   * @param {ReadonlyArray<GraphEdge>} list
   */
  function markPath(ids, list) {
    pathMarked = [ids, list];
    markNodes("data-path", ids.map((id) => [id, "true"]));
    for (const key of pathEdgeKeys) edgeEls[key].removeAttribute("data-path");
    pathEdgeKeys = list.map((e) => 2 * e.to + e.arg).filter((key) => edgeEls[key]);
    const heads = [];
    for (const key of pathEdgeKeys) {
      edgeEls[key].setAttribute("data-path", "true");
      const { x, y } = edgeEnds[key];
      heads.push(`M${round1(x)},${round1(y)}l-8,-3.5v7z`); // edges enter their node heading right
    }
    pathEdges.setAttribute("d", pathEdgeKeys.map((key) => edgeD[key]).join(""));
    pathHeads.setAttribute("d", heads.join(""));
    /** @type {string[]} */
    const rings = [];
    /** @type {Set<number>} */
    const ringed = new Set(); // closed boxes already outlined
    for (const id of ids) {
      const item = drawnNet ? drawnNet.visible.rep[id] : id;
      if (item === id) outlineMarkup(rings, boxes[id], lay.left[id], lay.top[id]);
      else if (drawnNet && !ringed.has(item)) {
        ringed.add(item);
        const b = groupBox(drawnNet.cl, item - n);
        rings.push(roundedRect(b.left - 1, b.top - 1, b.width + 2, b.height + 2, 5));
      }
    }
    pathOutline.setAttribute("d", rings.join(""));
    if (list.length || ids.length) element.setAttribute("data-marked-path", "true");
    else element.removeAttribute("data-marked-path");
  }

  /** @type {number[]} */
  let stepEdgeKeys = [];
  /** @type {ReadonlyArray<GraphEdge>} what markStep marks now */
  let stepMarked = [];
  /**
   * Draw the edges a backprop step sends grad along (same shape as markPath's), each with an
   * arrowhead at its operand's end; the base edges get data-step-edge="true".
   * @param {ReadonlyArray<GraphEdge>} list
   */
  function markStep(list) {
    stepMarked = list;
    for (const key of stepEdgeKeys) edgeEls[key].removeAttribute("data-step-edge");
    stepEdgeKeys = list.map((e) => 2 * e.to + e.arg).filter((key) => edgeEls[key]);
    for (const key of stepEdgeKeys) edgeEls[key].setAttribute("data-step-edge", "true");
    stepGroup.innerHTML = stepEdgeKeys
      .map((key) => `<path class="mgm-mark-step" d="${edgeD[key]}" marker-start="url(#mgm-step-arrow-${uid})"/>`)
      .join("");
  }

  /**
   * Hide (content-visibility: hidden) the chunks more than CULL_MARGIN screen pixels outside
   * `root`, the window onto the drawing, and follow which closed boxes are that far out (they
   * stay rendered: update only leaves their numbers for later). `content-visibility: auto`
   * alone keeps every chunk within half a page of the browser's viewport rendered, whatever
   * clips it: on an MLP that is many times the nodes actually seen, laid out again on every
   * slider move. Returns a function that stops it.
   * @param {Element} root
   */
  function cull(root) {
    const IO = doc.defaultView?.IntersectionObserver;
    if (!IO) return () => {};
    const culling = new IO(
      (entries) => {
        for (const e of entries) {
          const u = unitByEl.get(e.target);
          const chunk = chunks.has(/** @type {Chunk} */ (u));
          if (!u || (!chunk && ![...boxUnits.values()].includes(u))) continue; // drawn no more
          if (e.isIntersecting && chunk) fillChunk(/** @type {Chunk} */ (u));
          if (e.isIntersecting && u.stale) writeUnit(u); // up to date before it paints
          u.shown = e.isIntersecting;
          if (chunk) u.el.style.contentVisibility = e.isIntersecting ? "" : "hidden";
        }
      },
      { root, rootMargin: `${CULL_MARGIN}px` },
    );
    observer = culling;
    for (const u of units()) culling.observe(u.el);
    // A graph once came back from a JupyterLab theme change and a scroll with its edges but no
    // node cards: every chunk stayed hidden, as if the observer never said they were visible
    // again. Observing anew makes it report every chunk afresh; do that whenever the theme
    // changes and whenever the window comes (back) into the browser's view.
    const recheck = () => {
      culling.disconnect();
      for (const u of units()) culling.observe(u.el);
    };
    const entering = new IO((entries) => {
      if (entries.some((e) => e.isIntersecting)) recheck();
    });
    entering.observe(root);
    const MO = doc.defaultView?.MutationObserver;
    const themes = MO ? new MO(recheck) : null;
    for (const el of [doc.documentElement, doc.body]) {
      if (el) themes?.observe(el, { attributes: true, attributeFilter: THEME_ATTRIBUTES });
    }
    const scheme = doc.defaultView?.matchMedia?.("(prefers-color-scheme: dark)");
    scheme?.addEventListener?.("change", recheck);
    return () => {
      culling.disconnect();
      observer = null;
      entering.disconnect();
      themes?.disconnect();
      scheme?.removeEventListener?.("change", recheck);
      flush();
      for (const c of chunks) c.shown = true;
    };
  }

  /** Make node `id`'s chunk rendered now (a hidden one cannot take the focus). @param {number} id */
  function wake(id) {
    const c = chunkOf[id];
    if (c) reveal(c); // else a closed box, never culled
  }

  /** Make chunk `c` drawn, up to date and rendered now. @param {Chunk} c */
  function reveal(c) {
    fillChunk(c);
    if (c.stale) writeUnit(c);
    c.shown = true;
    c.el.style.contentVisibility = "";
  }

  /**
   * Draw the empty chunks near `view` (the part of the drawing on screen, unscaled, as the
   * culling's margin grows it) now and render them: the first frame must show them.
   * @param {Window2D} view
   */
  function show(view) {
    for (const c of [...unfilled.keys()]) {
      if (meets(/** @type {{area: Window2D}} */ (unfilled.get(c)).area, view, CULL_MARGIN / scale)) reveal(c);
    }
  }

  /** Make node `id` the graph's one tab stop (a roving tabindex). @param {number} id */
  function setTabStop(id) {
    if (id === tabStop) return;
    nodeElement(tabStop).setAttribute("tabindex", "-1");
    nodeElement(id).setAttribute("tabindex", "0");
    tabStop = id;
  }

  /**
   * Show "?" for the grads of the nodes marked 1 in `mask` (null: none), at once on every node,
   * culled chunks included: a hidden grad must never reach the page.
   * @param {Uint8Array | null} mask
   */
  function hideGrads(mask) {
    hidden = mask;
    flush();
    const max = maxAbsFiniteGrad(lastGrad);
    for (const i of drawnIds) if (!waiting(i)) updateNode(i, shownData[i], lastGrad[i], max);
  }

  /**
   * Draw the groups as `next` says (some opened or closed) at `nextLayout`, in place: the
   * boxes and cards that stay keep their elements (moved where their container moved them),
   * the edges that stay keep theirs (their ends moved), and the marks, hidden grads, tab stop
   * and scale carry over.
   * @param {Net} next
   * @param {Layout} nextLayout
   * @param {Window2D | null} [view] the part of the drawing on screen once drawn (unscaled):
   *   edges that moved get their new ends after the next frame, those inside it (and a margin)
   *   first
   */
  function setNet(next, nextLayout, view = null) {
    const was = drawnNet;
    if (!was) throw new Error("setNet: this graph is drawn without groups");
    for (const key of pathEdgeKeys) edgeEls[key]?.removeAttribute("data-path");
    for (const key of stepEdgeKeys) edgeEls[key]?.removeAttribute("data-step-edge");
    pathEdgeKeys = [];
    stepEdgeKeys = [];
    const ownBefore = own;
    const layBefore = lay;
    const stopBefore = nodeEls[tabStop];
    drawnNet = next;
    lay = nextLayout;
    own = ownNodes(g, next);
    looks = lookCodes(lastGrad);
    looksOf = given;
    if (deferring && view) eager = view;
    patch(nodes, -1, was, next, ownBefore, layBefore, [0, 0], [0, 0]);
    if (deferring) eager = null;
    if (unfilled.size) schedule();
    const anew = indexed(); // the nodes drawn anew: their markup made some of them tab stops
    drawNetEdges(view);
    layerEdges();
    width = Math.ceil(nextLayout.width + OUTPUT_MARK_WIDTH);
    height = Math.ceil(nextLayout.height);
    self.width = width;
    self.height = height;
    sized();
    for (const el of marks.querySelectorAll(".mgm-out-arrow, .mgm-out-text")) el.remove();
    marks.querySelector("defs")?.insertAdjacentHTML("afterend", outputMarkup(g, boxes, lay, uid, next));
    for (const [attr, pairs] of [...marked]) markNodes(attr, [...pairs]);
    markPath(...pathMarked);
    markStep(stepMarked);
    const stop = nodeEls[tabStop];
    for (const el of [stopBefore, ...anew.map((i) => nodeEls[i])]) {
      if (el !== stop && el.getAttribute("tabindex") === "0") el.setAttribute("tabindex", "-1");
    }
    stop.setAttribute("tabindex", "0");
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
    const dn = /** @type {Net} */ (drawnNet);
    const list = itemEdges(g, dn.tree, dn.visible.rep);
    const values = edgeGrads ? lastGrad : lastData;
    const max = maxWeight(list, values);
    const span = n + dn.tree.count;
    edgeD = new Array(2 * n);
    edgeEnds = new Array(2 * n);
    edgeEls = new Array(2 * n);
    /** @param {number} item */
    const boxOf = (item) =>
      item < n ? { left: lay.left[item], top: lay.top[item], ...boxes[item] } : groupBox(dn.cl, item - n);
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
        edgeD[key] = pathOf(ends);
        edgeEnds[key] = { x: ends[2], y: ends[3] };
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
        if (key >= 0) edgeEls[key] = kept.el;
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
      if (key >= 0) edgeEls[key] = el;
      if (shown !== null) shownLooks.set(el, shown);
    });
    weightEls = [];
    for (const e of netEdges.values()) if (e.weight >= 0) weightEls.push([e.el, e.weight]);
    styleWeights = weightStyler(weightEls);
    if (!first) styleWeights(values);
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

  if (unfilled.size) schedule();

  /** @type {Scene} */
  const self = {
    element,
    nodesElement: nodes,
    width,
    height,
    output: g.output,
    update,
    setScale,
    nodeBox,
    nodeElement,
    flush,
    nodeId,
    markNodes,
    markPath,
    markStep,
    setTabStop,
    cull,
    wake,
    show,
    describe: (id) => describe(g, id, inputIds),
    hideGrads,
    gradHidden: (id) => hidden?.[id] === 1,
    anyGradHidden: () => hidden?.includes(1) ?? false,
    setEdgeGrads(grads) {
      if (grads === edgeGrads) return;
      edgeGrads = grads;
      updateWeights(lastData, lastGrad);
    },
    groupElement: (grp) => groupEls.get(grp),
    setNet,
  };
  return self;
}

/**
 * A network edge's path between its ends (x and y of the source's, then the target's).
 * @param {number[]} ends
 */
function pathOf(ends) {
  return edgePath([
    { x: ends[0], y: ends[1] },
    { x: ends[2], y: ends[3] },
  ]);
}

/**
 * The grad row's data-tint: "zero", "nonfinite", or the sign and level, e.g. "pos3".
 * @param {number} signCode
 * @param {number} level
 */
function tint(signCode, level) {
  const sign = SIGNS[signCode];
  return signCode === SIGN_CODES.zero || signCode === SIGN_CODES.nonfinite ? sign : `${sign}${level}`;
}

/**
 * Each node's grad look as codes: {sign: Uint8Array of SIGN_CODES, level: Uint8Array}.
 * @param {ArrayLike<number>} grad
 * @returns {LookCodes}
 */
function lookCodes(grad) {
  const max = maxAbsFiniteGrad(grad);
  const sign = new Uint8Array(grad.length);
  const level = new Uint8Array(grad.length);
  for (let i = 0; i < grad.length; i++) {
    const look = gradLook(grad[i], max);
    sign[i] = SIGN_CODES[look.sign];
    level[i] = look.level;
  }
  return { sign, level };
}

/**
 * The edge layer: one path per operand use (`ds` by 2 * to + which), with arrowheads.
 * @param {Layout} layout
 * @param {number} uid
 * @param {string[]} ds
 */
function edgesMarkup(layout, uid, ds) {
  const arrow = `mgm-arrow-${uid}`;
  const parts = ["<defs>", marker(arrow, "mgm-arrowhead", 7), "</defs>"];
  for (const e of layout.edges) {
    parts.push(
      `<path class="mgm-edge" data-from="${e.from}" data-to="${e.to}" d="${ds[2 * e.to + e.which]}" marker-end="url(#${arrow})"/>`,
    );
  }
  return parts.join("");
}

/**
 * The arrow and word that mark the output node.
 * @param {ParsedGraph} g
 * @param {Box[]} boxes
 * @param {Layout} layout
 * @param {number} uid
 * @param {Net | null} net
 */
function outputMarkup(g, boxes, layout, uid, net) {
  const o = g.output;
  const item = net ? net.visible.rep[o] : o;
  const b = item === o ? { left: layout.left[o], top: layout.top[o], ...boxes[o] } : groupBox(/** @type {Net} */ (net).cl, item - g.size);
  const x = round1(b.left + b.width);
  const y = round1(b.top + b.height / 2);
  return (
    `<path class="mgm-out-arrow" d="M${x + 4},${y}H${x + 24}" marker-end="url(#mgm-out-arrow-${uid})"/>` +
    `<text class="mgm-out-text" x="${x + 30}" y="${y}" dy=".35em">output</text>`
  );
}

/**
 * The outline of a node's card (and op pill) at (left, top), as path data, into `parts`.
 * @param {string[]} parts
 * @param {Box} box
 * @param {number} left
 * @param {number} top
 */
function outlineMarkup(parts, box, left, top) {
  parts.push(roundedRect(left + box.cardX - 1, top - 1, box.cardWidth + 2, box.height + 2, 5));
  if (box.opWidth) {
    const h = METRICS.opHeight + 2;
    parts.push(roundedRect(left - 0.5, top + box.height / 2 - h / 2, box.opWidth + 1, h, h / 2));
  }
}

/**
 * @param {number} x
 * @param {number} y
 * @param {number} w
 * @param {number} h
 * @param {number} r
 */
function roundedRect(x, y, w, h, r) {
  const [X, Y, W, H] = [round1(x), round1(y), round1(w), round1(h)];
  return (
    `M${X + r},${Y}h${round1(W - 2 * r)}a${r},${r} 0 0 1 ${r},${r}v${round1(H - 2 * r)}` +
    `a${r},${r} 0 0 1 ${-r},${r}h${round1(2 * r - W)}a${r},${r} 0 0 1 ${-r},${-r}` +
    `v${round1(2 * r - H)}a${r},${r} 0 0 1 ${r},${-r}z`
  );
}

/**
 * An empty absolutely placed <svg> layer over the whole drawing, invisible to the pointer and AT.
 * @param {Document} doc
 * @param {string} className
 * @param {number} width
 * @param {number} height
 */
function svgLayer(doc, className, width, height) {
  const svg = doc.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", className);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("aria-hidden", "true");
  return svg;
}

/**
 * The nodes grouped by the TILE x TILE square their centre falls in: lists of ids, tiles in
 * reading order (rows top to bottom), ids ascending within a tile.
 * @param {ReadonlyArray<{width: number, height: number}>} boxes
 * @param {{left: ArrayLike<number>, top: ArrayLike<number>}} layout
 * @returns {number[][]}
 */
export function tiles(boxes, layout) {
  /** @type {Map<number, number[]>} */
  const groups = new Map();
  for (let i = 0; i < boxes.length; i++) {
    const tx = Math.floor((layout.left[i] + boxes[i].width / 2) / TILE);
    const ty = Math.floor((layout.top[i] + boxes[i].height / 2) / TILE);
    const key = ty * 1e6 + tx;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  return Array.from(groups.entries())
    .sort(([p], [q]) => p - q)
    .map(([, ids]) => ids);
}

/**
 * The wrapper of nodes `ids`' chunk, over their bounding box, which the browser may skip while
 * it is off screen, and where it is in drawing coordinates.
 * @param {Document} doc
 * @param {Box[]} boxes
 * @param {Layout} layout
 * @param {number[]} ids
 * @param {[number, number]} origin the top-left corner of the wrapper's parent, in drawing
 *   coordinates
 * @returns {{el: HTMLElement, area: Window2D}}
 */
function chunkWrapper(doc, boxes, layout, ids, origin) {
  const { left, top, w, h } = chunkBounds(boxes, layout, ids, origin);
  const el = doc.createElement("div");
  el.className = "mgm-chunk";
  el.style.cssText = `left:${left}px;top:${top}px;width:${w}px;height:${h}px`;
  return { el, area: { left: left + origin[0], top: top + origin[1], width: w, height: h } };
}

/**
 * The bounding box of nodes `ids` in their container's own coordinates (so that the chunk is
 * the same wherever the container is), with a margin for the outlines.
 * @param {Box[]} boxes
 * @param {Layout} layout
 * @param {number[]} ids
 * @param {[number, number]} origin
 */
function chunkBounds(boxes, layout, ids, origin) {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const i of ids) {
    const x = layout.left[i] - origin[0];
    const y = layout.top[i] - origin[1];
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x + boxes[i].width);
    bottom = Math.max(bottom, y + boxes[i].height);
  }
  left = Math.floor(left) - 2;
  top = Math.floor(top) - 2;
  return { left, top, w: Math.ceil(right) + 2 - left, h: Math.ceil(bottom) + 2 - top };
}

/**
 * Nodes `ids` as one <svg> filling their chunk's wrapper (chunkWrapper). The viewBox keeps node
 * coordinates those of its container (the whole drawing, or a group's box).
 * @param {Document} doc
 * @param {ParsedGraph} g
 * @param {Box[]} boxes
 * @param {Layout} layout
 * @param {ReadonlySet<number>} inputIds
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} grad
 * @param {LookCodes} looks
 * @param {number[]} ids
 * @param {[number, number]} origin the top-left corner of the wrapper's parent, in drawing
 *   coordinates
 * @returns {SVGSVGElement}
 */
function chunk(doc, g, boxes, layout, inputIds, data, grad, looks, ids, origin) {
  const { left, top, w, h } = chunkBounds(boxes, layout, ids, origin);
  const svg = doc.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", "mgm-svg");
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h));
  svg.setAttribute("viewBox", `${left} ${top} ${w} ${h}`);
  /** @type {string[]} */
  const parts = [];
  for (const i of ids) nodeMarkup(parts, g, boxes[i], layout, inputIds, data, grad, looks, i, origin);
  svg.innerHTML = parts.join("");
  return svg;
}

/**
 * Whether two parts of the drawing overlap, `b` grown by `margin` on every side.
 * @param {Window2D} a
 * @param {Window2D} b
 * @param {number} [margin]
 */
function meets(a, b, margin = 0) {
  return (
    a.left < b.left + b.width + margin &&
    b.left - margin < a.left + a.width &&
    a.top < b.top + b.height + margin &&
    b.top - margin < a.top + a.height
  );
}

/**
 * One value node: the op pill (computed nodes), the card with label, data and grad. A button
 * for assistive technology (it selects the node), focusable by script and by the roving tab
 * stop, which starts on the output.
 * @param {string[]} parts
 * @param {ParsedGraph} g
 * @param {Box} box
 * @param {Layout} layout
 * @param {ReadonlySet<number>} inputIds
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} grad
 * @param {LookCodes} looks
 * @param {number} i
 * @param {[number, number]} origin the corner of the chunk's container, in drawing coordinates
 */
function nodeMarkup(parts, g, box, layout, inputIds, data, grad, looks, i, origin) {
  const computed = g.ops[i] !== 0;
  const isOutput = i === g.output;
  let kind = "mgm-computed";
  if (!computed) kind = inputIds.has(i) ? "mgm-leaf mgm-input" : cardName(g, i) === null ? "mgm-leaf mgm-const" : "mgm-leaf";
  parts.push(
    `<g class="mgm-node ${kind}${isOutput ? " mgm-output" : ""}" role="button" data-node-id="${i}"`,
    ` data-label="${escapeXml(g.labels[i] ?? "")}"${isOutput ? ' data-output="true"' : ""}`,
    ` tabindex="${isOutput ? 0 : -1}" data-lm-suppress-shortcuts="true"`,
    ` data-grad-sign="${SIGNS[looks.sign[i]]}"`,
    ` transform="translate(${round1(layout.left[i] - origin[0])},${round1(layout.top[i] - origin[1])})">`,
    `<title>${escapeXml(describe(g, i, inputIds))}</title>`,
  );
  const mid = box.height / 2;
  if (computed) {
    parts.push(
      `<rect class="mgm-op" x="0.5" y="${mid - METRICS.opHeight / 2}" width="${box.opWidth - 1}" height="${METRICS.opHeight}" rx="${METRICS.opHeight / 2}"/>`,
      `<text class="mgm-op-text" x="${box.opWidth / 2}" y="${mid}" dy=".35em">${escapeXml(box.op)}</text>`,
      `<path class="mgm-stub" d="M${box.opWidth},${mid}H${box.cardX}"/>`,
    );
  }
  const cx = box.cardX;
  const cw = box.cardWidth;
  const hh = box.headerHeight;
  const rh = METRICS.rowHeight;
  const pad = METRICS.pad;
  parts.push(`<rect class="mgm-card" x="${cx + 0.5}" y="0.5" width="${cw - 1}" height="${box.height - 1}" rx="4"/>`);
  if (box.label) {
    parts.push(
      `<path class="mgm-header" d="M${cx + 1},${hh}V4.5a3.5,3.5 0 0 1 3.5,-3.5H${cx + cw - 4.5}a3.5,3.5 0 0 1 3.5,3.5V${hh}Z"/>`,
      `<text class="mgm-label" x="${cx + pad}" y="${hh / 2 + 0.5}" dy=".35em">${escapeXml(box.label)}</text>`,
      `<path class="mgm-sep" d="M${cx},${hh + 0.5}H${cx + cw}"/>`,
    );
  }
  parts.push(
    // The grad row's background, tinted by the grad's sign and size. The tint is the rect's own
    // attribute (the node's data-grad-sign is a hook no style reads): a drag flips hundreds of
    // them on an MLP, and each then restyles one rect and its siblings, not a whole node.
    `<rect class="mgm-cell-grad" data-tint="${tint(looks.sign[i], looks.level[i])}" x="${cx + 1}" y="${hh + rh}" width="${cw - 2}" height="${rh - 1}" rx="3"/>`,
    `<path class="mgm-sep" d="M${cx},${hh + rh + 0.5}H${cx + cw}"/>`,
    `<text class="mgm-caption" x="${cx + pad}" y="${hh + rh / 2}" dy=".35em">data</text>`,
    valueMarkup("data", cx + cw - pad, hh + rh / 2, data[i]),
    `<text class="mgm-caption" x="${cx + pad}" y="${hh + 1.5 * rh}" dy=".35em">grad</text>`,
    valueMarkup("grad", cx + cw - pad, hh + 1.5 * rh, grad[i]),
    "</g>",
  );
}

/**
 * @param {string} id
 * @param {string} cls
 * @param {number} size
 * @param {string} [orient]
 */
function marker(id, cls, size, orient = "auto") {
  return (
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" ` +
    `markerWidth="${size}" markerHeight="${size}" orient="${orient}"><path class="${cls}" d="M0,0L10,5L0,10z"/></marker>`
  );
}

/**
 * @param {string} field
 * @param {number} x
 * @param {number} y
 * @param {number} value
 */
function valueMarkup(field, x, y, value) {
  return (
    `<text class="mgm-value" data-field="${field}" data-value="${String(value)}" x="${x}" y="${y}" dy=".35em">` +
    `${escapeXml(formatNumber(value))}</text>`
  );
}

/**
 * The tooltip of a node: what it is and how it was computed, in the panel's code notation
 * (explain.js), e.g. "z = a + b  (output)" or "x*y"; a parameter or module output starts with
 * its full path ("layers[0].neurons[3].w[1]: parameter").
 * @param {ParsedGraph} g
 * @param {number} i
 * @param {ReadonlySet<number>} inputIds
 * @returns {string}
 */
export function describe(g, i, inputIds) {
  const label = g.labels[i];
  const path = nodePathText(g, i);
  let text;
  if (g.ops[i] === 0) {
    if (inputIds.has(i)) text = `${label}: input (move its slider)`;
    else if (label !== null) text = `${label}: leaf`;
    else if (path !== null) text = `${path}: parameter`;
    else text = "leaf without a label (a constant or a parameter)";
  } else {
    const expr = definitionText(g, i, 1) ?? ""; // never null: the node is computed
    text = label !== null ? `${label} = ${expr}` : expr;
    if (path !== null) text = `${path}: ${text}`;
  }
  return i === g.output ? `${text}  (output)` : text;
}

/**
 * Whether an event target is an element (it may be the document, a window, or null).
 * @param {EventTarget | null} target
 * @returns {target is Element}
 */
function isElement(target) {
  return typeof (/** @type {Partial<Element> | null} */ (target))?.closest === "function";
}

/** @param {number} x */
function round1(x) {
  return Math.round(x * 10) / 10;
}

/**
 * Text safe inside XML markup, in content and in double-quoted attributes.
 * @param {unknown} text
 * @returns {string}
 */
export function escapeXml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A drawn group's box in drawing coordinates.
 * @param {CompoundLayout} cl
 * @param {number} grp
 */
function groupBox(cl, grp) {
  return { left: cl.groupLeft[grp], top: cl.groupTop[grp], width: cl.groupWidth[grp], height: cl.groupHeight[grp] };
}

/**
 * What colours the weight edges by the sign of `values` at their parameters, and sets their
 * width by its size relative to the largest drawn: attributes only, and only on the edges whose
 * value (or the largest) changed since the last call. A slider moves inputs, not weights: then
 * no edge's value changes and the call is one pass over the numbers, with no look computed.
 * @param {ReadonlyArray<[SVGPathElement, number]>} edges
 * @returns {(values: ArrayLike<number>) => void}
 */
function weightStyler(edges) {
  const seen = new Float64Array(edges.length); // each edge's value when last styled
  let seenMax = Number.NaN; // the largest then; NaN: none styled yet
  return (values) => {
    let max = 0;
    for (const edge of edges) {
      const v = Math.abs(values[edge[1]]);
      if (v > max && Number.isFinite(v)) max = v;
    }
    const fresh = max !== seenMax;
    seenMax = max;
    edges.forEach((edge, k) => {
      const value = values[edge[1]];
      if (!fresh && Object.is(value, seen[k])) return;
      seen[k] = value;
      const look = weightLook(value, max);
      const key = `${look.sign} ${look.width}`;
      if (shownLooks.get(edge[0]) === key) return;
      shownLooks.set(edge[0], key);
      edge[0].setAttribute("data-sign", look.sign);
      edge[0].setAttribute("stroke-width", String(look.width));
    });
  };
}

/** @type {WeakMap<Element, string>} each weight edge's look as drawn, to skip unchanged writes */
const shownLooks = new WeakMap();

/**
 * The largest finite |value| of the edges' weights (0 if none).
 * @param {ReadonlyArray<{weight: number}>} edges
 * @param {ArrayLike<number>} values
 */
function maxWeight(edges, values) {
  let max = 0;
  for (const { weight } of edges) {
    const v = weight >= 0 ? Math.abs(values[weight]) : 0;
    if (v > max && Number.isFinite(v)) max = v;
  }
  return max;
}

/**
 * Each container's drawn nodes (-1: the top), in id order.
 * @param {ParsedGraph} g
 * @param {Net} net
 * @returns {Map<number, number[]>}
 */
function ownNodes(g, net) {
  /** @type {Map<number, number[]>} */
  const own = new Map();
  for (let i = 0; i < g.size; i++) {
    if (net.visible.rep[i] !== i) continue;
    const c = net.tree.nodeGroup[i];
    const list = own.get(c);
    if (list) list.push(i);
    else own.set(c, [i]);
  }
  return own;
}

/**
 * Drawn group `grp`'s box in a container whose corner is at `origin`, without what an open
 * one holds: its header (the toggle), and for a closed one its output's data and grad.
 * @param {Document} doc
 * @param {ParsedGraph} g
 * @param {Net} net
 * @param {number} grp
 * @param {[number, number]} origin
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} grad
 * @param {LookCodes} looks
 * @returns {HTMLElement}
 */
function groupShell(doc, g, net, grp, origin, data, grad, looks) {
  const { tree, open, repNode, visible } = net;
  const b = groupBox(net.cl, grp);
  const isOpen = open.has(grp);
  const box = doc.createElement("div");
  box.className = `mgm-box mgm-box-${isOpen ? "open" : "closed"}`;
  box.setAttribute("data-group", tree.paths[grp]);
  box.setAttribute("data-group-state", isOpen ? "open" : "closed");
  box.style.cssText = `left:${round1(b.left - origin[0])}px;top:${round1(b.top - origin[1])}px;width:${round1(b.width)}px;height:${round1(b.height)}px`;
  box.title = `${tree.paths[grp] || "(model)"}: ${tree.kinds[grp]} (${isOpen ? "click its header to close" : "click to open"})`;
  const header = escapeXml(tree.shorts[grp] || tree.kinds[grp]);
  // a neuron's activation beside its kind: the op of its output when that op is unary
  const o = repNode[grp];
  const act = o >= 0 && g.ops[o] !== 0 && g.b[o] < 0 ? ` ${g.opNames[o]}` : "";
  const kind = escapeXml(tree.kinds[grp] + act);
  const toggle = `<button type="button" class="mgm-box-header" data-action="toggle-group" tabindex="-1" aria-expanded="${isOpen}">${header} <span class="mgm-box-kind">${kind}</span></button>`;
  if (isOpen) {
    box.innerHTML = toggle;
    return box;
  }
  box.setAttribute("role", "button");
  box.tabIndex = visible.rep[g.output] === g.size + grp ? 0 : -1;
  box.setAttribute("data-lm-suppress-shortcuts", "true");
  if (o >= 0) {
    box.setAttribute("data-rep", String(o));
    box.setAttribute("data-grad-sign", SIGNS[looks.sign[o]]);
    box.innerHTML =
      toggle +
      `<div class="mgm-box-row"><span class="mgm-caption">data</span>${fieldMarkup("data", data[o])}</div>` +
      `<div class="mgm-box-row mgm-box-grad" data-tint="${tint(looks.sign[o], looks.level[o])}"><span class="mgm-caption">grad</span>${fieldMarkup("grad", grad[o])}</div>`;
  } else {
    box.innerHTML = toggle;
  }
  return box;
}

/**
 * The groups with no parent, in id order.
 * @param {GroupTree} tree
 */
function topGroups(tree) {
  const top = [];
  for (let grp = 0; grp < tree.count; grp++) if (tree.parent[grp] < 0) top.push(grp);
  return top;
}

/**
 * A closed box's number, as a card's (valueMarkup) but in HTML.
 * @param {string} field
 * @param {number} value
 */
function fieldMarkup(field, value) {
  return `<span class="mgm-box-value" data-field="${field}" data-value="${String(value)}">${escapeXml(formatNumber(value))}</span>`;
}

/**
 * Each drawn closed group's node whose numbers it shows: its first output (else any node it
 * hides); -1 for the other groups.
 * @param {GroupTree} tree
 * @param {Visible} visible
 * @param {number} size
 * @returns {Int32Array}
 */
export function representatives(tree, visible, size) {
  const repNode = new Int32Array(tree.count).fill(-1);
  for (const grp of visible.closed) repNode[grp] = tree.outputs[grp][0] ?? -1;
  for (let i = 0; i < size; i++) {
    const item = visible.rep[i];
    if (item >= size && repNode[item - size] < 0) repNode[item - size] = i;
  }
  return repNode;
}
