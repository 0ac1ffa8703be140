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
//
// What more than one part of the scene reads or replaces lives in one object (scene-state.js),
// which renderGraph makes and hands to the parts with an interface of their own: number updates
// (numbers.js), marks (marks.js), a network's edges (net-edges.js). The markup is built in
// markup.js, where things lie in chunks.js.

import { maxAbsFiniteGrad } from "../core/explain.js";
import { edgePath } from "../layout/geometry.js";
import { chunkWrapper, groupBox, meets, tiles } from "./chunks.js";
import { lookCodes } from "./grad-look.js";
import {
  SVG_NS,
  chunk,
  describe,
  edgesMarkup,
  marker,
  outputMarkup,
  round1,
  svgLayer,
} from "./markup.js";
import { sceneMarks } from "./marks.js";
import { netEdgeLayer } from "./net-edges.js";
import { groupShell, ownNodes, topGroups } from "./net-parts.js";
import { numberUpdates } from "./numbers.js";
import { sceneState } from "./scene-state.js";

/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("../core/explain.js").GraphEdge} GraphEdge */
/** @typedef {import("../layout/geometry.js").Box} Box */
/** @typedef {import("../layout/index.js").Layout} Layout */
/** @typedef {import("./grad-look.js").LookCodes} LookCodes */
/** @typedef {import("../core/groups.js").GroupTree} GroupTree */
/** @typedef {import("../layout/compound.js").CompoundLayout} CompoundLayout */
/** @typedef {import("./network.js").Visible} Visible */
/** @typedef {import("./chunks.js").Window2D} Window2D */
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
 * A graph with groups as drawn (view/network.js): `layout` then holds the compound layout's
 * node positions (NaN for a hidden node, the box's corner for a closed box's output).
 * @typedef {object} Net
 * @property {GroupTree} tree
 * @property {ReadonlySet<number>} open the open groups' ids
 * @property {CompoundLayout} cl
 * @property {Visible} visible
 * @property {Int32Array} repNode each drawn closed group's node whose numbers it shows (its
 *   first output), -1 elsewhere
 * @property {import("./network.js").ItemEdge[]} edges the edges between the drawn items
 *   (view/network.js itemEdges)
 * @property {{came: import("./network.js").ItemEdge[], went: import("./network.js").ItemEdge[]} | null} change
 *   for a drawing worked out from the one drawn before it: the pairs of `edges` new since, and
 *   those gone (itemEdgesAfter); null: unknown
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

/** Room right of the layout for the output marker ("→ output"). */
const OUTPUT_MARK_WIDTH = 84;

/** The attributes of <html> and <body> through which hosts switch themes (JupyterLab, Sphinx). */
const THEME_ATTRIBUTES = ["class", "data-theme", "data-jp-theme-light", "data-jp-theme-name"];

/** From how many edges on, and below how many cards, the edge layer is composited on its own
 * (renderGraph). */
const OWN_LAYER_EDGES = 2000;

/** How far outside the visible window chunks stay rendered, in screen pixels (see cull). */
const CULL_MARGIN = 256;

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

  const element = doc.createElement("div");
  element.className = "mgm-frame";
  const scene = doc.createElement("div");
  scene.className = "mgm-scene";
  element.appendChild(scene);

  const edges = doc.createElementNS(SVG_NS, "svg");
  edges.setAttribute("class", "mgm-edges");
  edges.setAttribute("aria-hidden", "true");
  // A size that never changes (an empty one would draw nothing): the edges are drawn outside it
  // (overflow: visible), and a new size of an SVG has the browser check each of its thousands of
  // paths in the next frame's pre-paint (a network's drawing grows when a box opens).
  edges.setAttribute("width", "1");
  edges.setAttribute("height", "1");
  const uid = ++scenes;
  const state = sceneState({ doc, g, boxes, uid, element, edges }, layout, net, data, grad);
  const { nodeEls, dataEls, gradEls, cellEls, dataText, gradText, unfilled, marked } = state;
  const { shownData, shownGrad, shownSign, shownLevel, nonfinite } = state;
  const { drawNetEdges } = netEdgeLayer(state);
  if (!net) {
    for (const e of layout.edges) {
      state.edgeD[2 * e.to + e.which] = edgePath(e.points);
      state.edgeEnds[2 * e.to + e.which] = e.points[e.points.length - 1];
    }
    edges.innerHTML = edgesMarkup(layout, uid, state.edgeD);
    edges.querySelectorAll(".mgm-edge").forEach((el, k) => {
      const e = layout.edges[k];
      state.edgeEls[2 * e.to + e.which] = el;
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
  /** @type {IntersectionObserver | null} culls the chunks (see cull) */
  let observer = null;
  /** @type {LookCodes} the grads' looks that new markup is drawn with */
  let looks = lookCodes(grad);
  /** @type {number[]} the nodes whose numbers are drawn anew, to index */
  let fresh = [];
  let looksOf = state.given; // when `looks` was worked out
  let tabStop = g.output;
  // Parsing the cards' markup is most of a big network's first paint, and at the first scale
  // most chunks are far outside the window: those are drawn empty and filled later (fillChunk).
  const deferring = lazy && typeof doc.defaultView?.IntersectionObserver === "function";
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
    const { el, area } = chunkWrapper(doc, boxes, state.lay, ids, origin);
    parent.appendChild(el);
    /** @type {Chunk} */
    const c = { el, ids, shown: true, stale: false, container };
    chunks.add(c);
    unitByEl.set(el, c);
    for (const id of ids) chunkOf[id] = c;
    if (eager === undefined || (eager && meets(area, eager, CULL_MARGIN / scale)) || ids.includes(tabStop)) {
      drawCards(c, origin, state.lay);
    } else {
      unfilled.set(c, { origin, at: state.lay, area });
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
    if (looksOf !== state.given) {
      looks = lookCodes(state.lastGrad);
      looksOf = state.given;
    }
    const { el, ids } = c;
    el.appendChild(chunk(doc, g, boxes, at, inputIds, state.lastData, state.lastGrad, looks, ids, origin));
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
    const dn = /** @type {Net} */ (state.drawnNet);
    const box = groupShell(doc, g, dn, grp, origin, state.lastData, state.lastGrad, looks);
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
    const dn = /** @type {Net} */ (state.drawnNet);
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
    const at = { left: mine.map((i) => state.lay.left[i] - origin[0]), top: mine.map((i) => state.lay.top[i] - origin[1]) };
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
          state.lay.left[i] - origin[0] === layBefore.left[i] - originBefore[0] &&
          state.lay.top[i] - origin[1] === layBefore.top[i] - originBefore[1],
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
    const dn = state.drawnNet;
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
    state.drawnIds = [];
    for (const c of chunks) for (const id of c.ids) state.drawnIds.push(id);
    state.drawnIds.push(...boxIds);
    return shownFresh();
  }

  /** Show the state of the numbers of the nodes drawn anew (non-finite, hidden grads); returns them. */
  function shownFresh() {
    const max = maxAbsFiniteGrad(state.lastGrad);
    for (const i of fresh) {
      shownData[i] = state.lastData[i];
      shownGrad[i] = state.lastGrad[i];
      shownSign[i] = looks.sign[i];
      shownLevel[i] = looks.level[i];
      nonfinite[i] = 0;
      if (!Number.isFinite(state.lastData[i]) || !Number.isFinite(state.lastGrad[i])) {
        nonfinite[i] = 1;
        nodeEls[i].setAttribute("data-nonfinite", "true");
      }
      if (state.hidden?.[i]) updateNode(i, state.lastData[i], state.lastGrad[i], max);
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
    const cards = state.drawnIds.length - boxIds.length;
    const under = edges.childElementCount >= OWN_LAYER_EDGES || boxIds.length > 0;
    edges.classList.toggle("mgm-edges-layer", under && cards < OWN_LAYER_EDGES);
  }

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
  /** The drawing's size on every layer that has one (not the edges': see above). */
  function sized() {
    scene.style.width = `${width}px`;
    scene.style.height = `${height}px`;
    for (const layer of [marks, outlines]) {
      layer.setAttribute("width", String(width));
      layer.setAttribute("height", String(height));
    }
    setScale(scale);
  }
  sized();

  /** The chunks and the closed boxes, which update writes unit by unit. @returns {Unit[]} */
  function units() {
    return [...chunks, ...boxUnits.values()];
  }

  const { updateNode, update, writeUnit, flush, updateWeights, schedule } = numberUpdates(state, { fillChunk, units });

  /** A node's box in unscaled drawing coordinates (a hidden one's: its group's). @param {number} i */
  function nodeBox(i) {
    if (state.drawnNet && state.drawnNet.visible.rep[i] >= n) return groupBox(state.drawnNet.cl, state.drawnNet.visible.rep[i] - n);
    return { left: state.lay.left[i], top: state.lay.top[i], width: boxes[i].width, height: boxes[i].height };
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

  const { markNodes, markPath, markStep, hideGrads } = sceneMarks(state, {
    pathEdges,
    pathHeads,
    stepGroup,
    pathOutline,
    waiting,
    flush,
    updateNode,
  });

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
    const was = state.drawnNet;
    if (!was) throw new Error("setNet: this graph is drawn without groups");
    for (const key of state.pathEdgeKeys) state.edgeEls[key]?.removeAttribute("data-path");
    for (const key of state.stepEdgeKeys) state.edgeEls[key]?.removeAttribute("data-step-edge");
    state.pathEdgeKeys = [];
    state.stepEdgeKeys = [];
    const ownBefore = own;
    const layBefore = state.lay;
    const stopBefore = nodeEls[tabStop];
    state.drawnNet = next;
    state.lay = nextLayout;
    own = ownNodes(g, next);
    looks = lookCodes(state.lastGrad);
    looksOf = state.given;
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
    marks.querySelector("defs")?.insertAdjacentHTML("afterend", outputMarkup(g, boxes, state.lay, uid, next));
    for (const [attr, pairs] of [...marked]) if (attr !== "data-path") markNodes(attr, [...pairs]);
    markPath(...state.pathMarked); // marks data-path too
    markStep(state.stepMarked);
    const stop = nodeEls[tabStop];
    for (const el of [stopBefore, ...anew.map((i) => nodeEls[i])]) {
      if (el !== stop && el.getAttribute("tabindex") === "0") el.setAttribute("tabindex", "-1");
    }
    stop.setAttribute("tabindex", "0");
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
    gradHidden: (id) => state.hidden?.[id] === 1,
    anyGradHidden: () => state.hidden?.includes(1) ?? false,
    setEdgeGrads(grads) {
      if (grads === state.edgeGrads) return;
      state.edgeGrads = grads;
      updateWeights(state.lastData, state.lastGrad);
    },
    groupElement: (grp) => groupEls.get(grp),
    setNet,
  };
  return self;
}

/**
 * Whether an event target is an element (it may be the document, a window, or null).
 * @param {EventTarget | null} target
 * @returns {target is Element}
 */
function isElement(target) {
  return typeof (/** @type {Partial<Element> | null} */ (target))?.closest === "function";
}
