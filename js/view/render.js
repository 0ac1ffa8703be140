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
// which renderGraph makes and hands to the parts with an interface of their own: the cards in
// chunks and the group boxes, drawn lazily and culled (chunk-scene.js), number updates
// (numbers.js), marks (marks.js), a network's edges (net-edges.js). The markup is built in
// markup.js, where things lie in chunks.js.

import { edgePath } from "../layout/geometry.js";
import { chunkScene } from "./chunk-scene.js";
import { groupBox, tiles } from "./chunks.js";
import { lookCodes } from "./grad-look.js";
import { SVG_NS, describe, edgesMarkup, marker, outputMarkup, svgLayer } from "./markup.js";
import { sceneMarks } from "./marks.js";
import { netEdgeLayer } from "./net-edges.js";
import { ownNodes } from "./net-parts.js";
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
/** @typedef {import("./chunk-scene.js").Chunk} Chunk */
/** @typedef {import("./chunk-scene.js").Unit} Unit */

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

/** From how many edges on, and below how many cards, the edge layer is composited on its own
 * (renderGraph). */
const OWN_LAYER_EDGES = 2000;

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
  // Parsing the cards' markup is most of a big network's first paint, and at the first scale
  // most chunks are far outside the window: those are drawn empty and filled later (fillChunk).
  const deferring = lazy && typeof doc.defaultView?.IntersectionObserver === "function";
  const state = sceneState({ doc, g, boxes, inputIds, uid, edges }, layout, net, data, grad, deferring);
  const { nodeEls, unfilled, marked } = state;
  const { drawNetEdges, edgeCount } = netEdgeLayer(state);
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

  // The number updates fill waiting chunks and the chunks bring cards they draw up to date:
  // each calls the other's functions, the chunks' through arrows made before they exist.
  const numbers = numberUpdates(state, { fillChunk: (c) => fillChunk(c), units: () => units() });
  const { updateNode, update, flush, updateWeights, schedule } = numbers;
  const { addChunk, patch, indexed, fillChunk, waiting, nodeElement, units, cull, wake, show, groupEls } =
    chunkScene(state, numbers);

  /**
   * Thousands of edges under few cards (a closed network's weights) get a raster of their own
   * (style.js), not drawn again under every number a slider move changes. So do the edges of a
   * network with closed boxes, however few: a move rewrites the numbers of every box in sight,
   * and the tiles under them were rastered again with every edge that crosses them (a network's
   * long weight edges cross most of them). Fewer edges under cards only cost less than another
   * layer would; thousands of cards too make two huge layers, which cost more.
   */
  function layerEdges() {
    const cards = state.drawnIds.length - state.boxIds.length;
    const drawnEdges = net ? edgeCount() : edges.childElementCount;
    const under = drawnEdges >= OWN_LAYER_EDGES || state.boxIds.length > 0;
    edges.classList.toggle("mgm-edges-layer", under && cards < OWN_LAYER_EDGES);
  }

  if (net) {
    state.own = ownNodes(net);
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

  /** Scale the whole picture (edges and nodes) by `s`, through the scene's one transform. @param {number} s */
  function setScale(s) {
    state.scale = s;
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
    setScale(state.scale);
  }
  sized();

  /** A node's box in unscaled drawing coordinates (a hidden one's: its group's). @param {number} i */
  function nodeBox(i) {
    const dn = state.drawnNet;
    if (dn && dn.visible.rep[i] >= n) return groupBox(dn.cl, dn.visible.rep[i] - n);
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

  /** Make node `id` the graph's one tab stop (a roving tabindex). @param {number} id */
  function setTabStop(id) {
    if (id === state.tabStop) return;
    nodeElement(state.tabStop).setAttribute("tabindex", "-1");
    nodeElement(id).setAttribute("tabindex", "0");
    state.tabStop = id;
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
    const ownBefore = state.own;
    const layBefore = state.lay;
    const stopBefore = nodeEls[state.tabStop];
    state.drawnNet = next;
    state.lay = nextLayout;
    state.own = ownNodes(next);
    // the looks of the numbers given last, worked out again only if newer ones came since
    if (state.looksOf !== state.given) {
      state.looks = lookCodes(state.lastGrad);
      state.looksOf = state.given;
    }
    if (deferring && view) state.eager = view;
    patch(nodes, -1, was, next, ownBefore, layBefore, [0, 0], [0, 0]);
    if (deferring) state.eager = null;
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
    const stop = nodeEls[state.tabStop];
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
