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
 * @property {(id: number) => string} describe the node's tooltip text
 * @property {(mask: Uint8Array | null) => void} hideGrads show "?" for the grads of the nodes
 *   whose entry is 1, with no number anywhere in their markup (a quiz asks them); null: none
 * @property {(id: number) => boolean} gradHidden whether node `id`'s grad shows "?"
 * @property {() => boolean} anyGradHidden
 * @property {(grads: boolean) => void} setEdgeGrads weight edges show the weights' grads
 *   (true) or the weights (false)
 * @property {(grp: number) => HTMLElement | undefined} groupElement a drawn group's box
 */

const SVG_NS = "http://www.w3.org/2000/svg";

/** Room right of the layout for the output marker ("→ output"). */
const OUTPUT_MARK_WIDTH = 84;

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
 * @returns {Scene}
 */
export function renderGraph(doc, g, boxes, layout, inputIds, data, grad, net = null) {
  const n = g.size;
  const looks = lookCodes(grad);
  const width = Math.ceil(layout.width + OUTPUT_MARK_WIDTH);
  const height = Math.ceil(layout.height);

  const element = doc.createElement("div");
  element.className = "mgm-frame";
  const scene = doc.createElement("div");
  scene.className = "mgm-scene";
  scene.style.width = `${width}px`;
  scene.style.height = `${height}px`;
  element.appendChild(scene);

  const edges = doc.createElementNS(SVG_NS, "svg");
  edges.setAttribute("class", "mgm-edges");
  edges.setAttribute("width", String(width));
  edges.setAttribute("height", String(height));
  edges.setAttribute("aria-hidden", "true");
  const uid = ++scenes;
  /** @type {string[]} path data by 2 * to + which */
  const edgeD = new Array(2 * n);
  /** @type {import("../layout/geometry.js").Point[]} */
  const edgeEnds = new Array(2 * n);
  for (const e of layout.edges) {
    edgeD[2 * e.to + e.which] = edgePath(e.points);
    edgeEnds[2 * e.to + e.which] = e.points[e.points.length - 1];
  }
  /** @type {Element[]} */
  const edgeEls = new Array(2 * n);
  /** @type {Array<[SVGPathElement, number]>} weight edges and their parameters */
  let weightEls = [];
  if (net) {
    weightEls = drawNetEdges(edges, g, net, boxes, layout, uid, edgeD, edgeEls, edgeEnds, data);
  } else {
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
  /** @type {HTMLElement[]} */
  const chunkEls = [];
  const chunkOf = new Int32Array(n).fill(-1); // node id -> index in chunkEls
  /** @type {number[][]} node ids by chunk */
  const chunkIds = [];
  /** @type {SVGGElement[]} */
  const nodeEls = new Array(n);
  /** @type {Element[]} */
  const dataEls = new Array(n);
  /** @type {Element[]} */
  const gradEls = new Array(n);
  /** @type {Element[]} */
  const cellEls = new Array(n); // the grad rows' backgrounds, tinted by data-tint
  /**
   * Draw nodes `ids` as one chunk into `parent`, whose top-left corner is at `origin` in
   * drawing coordinates, and index their elements.
   * @param {HTMLElement} parent
   * @param {number[]} ids
   * @param {[number, number]} origin
   */
  function addChunk(parent, ids, origin) {
    for (const id of ids) chunkOf[id] = chunkEls.length;
    const el = chunk(doc, g, boxes, layout, inputIds, data, grad, looks, ids, origin);
    chunkEls.push(parent.appendChild(el));
    chunkIds.push(ids);
    const cards = el.querySelectorAll("[data-node-id]");
    const datas = el.querySelectorAll('[data-field="data"]');
    const grads = el.querySelectorAll('[data-field="grad"]');
    const cells = el.querySelectorAll(".mgm-cell-grad");
    ids.forEach((id, k) => {
      nodeEls[id] = /** @type {SVGGElement} */ (cards[k]);
      dataEls[id] = datas[k];
      gradEls[id] = grads[k];
      cellEls[id] = cells[k];
    });
  }
  /** @type {number[]} the nodes whose numbers closed boxes show */
  const boxIds = [];
  /** @type {HTMLElement[]} their boxes */
  const boxEls = [];
  /** @type {Map<number, HTMLElement>} drawn group id -> its box */
  const groupEls = new Map();
  if (net) {
    drawGroups(doc, nodes, g, net, boxes, layout, addChunk, groupEls, data, grad, looks);
    for (const [grp, box] of groupEls) {
      const o = net.repNode[grp];
      if (o < 0 || net.open.has(grp)) continue;
      boxIds.push(o);
      boxEls.push(box);
      nodeEls[o] = /** @type {SVGGElement} */ (/** @type {unknown} */ (box));
      dataEls[o] = /** @type {Element} */ (box.querySelector('[data-field="data"]'));
      gradEls[o] = /** @type {Element} */ (box.querySelector('[data-field="grad"]'));
      cellEls[o] = /** @type {Element} */ (box.querySelector(".mgm-box-grad"));
    }
    // a hidden node's element is its box (selection, step marks and focus go there)
    const { rep } = net.visible;
    for (let i = 0; i < n; i++) {
      if (rep[i] >= n && !nodeEls[i]) {
        nodeEls[i] = /** @type {SVGGElement} */ (/** @type {unknown} */ (groupEls.get(rep[i] - n)));
      }
    }
  } else {
    for (const ids of tiles(boxes, layout)) addChunk(nodes, ids, [0, 0]);
  }
  /** @type {number[]} the nodes whose numbers are on screen: cards, then closed boxes' */
  const drawnIds = [...chunkIds.flat(), ...boxIds];
  // Thousands of edges under few cards (a closed network's weights) get a raster of their own
  // (style.js), not drawn again under every number a slider move changes. Fewer edges cost less
  // than another layer would; thousands of cards too make two huge layers, which cost more.
  const cards = drawnIds.length - boxIds.length;
  if (edges.childElementCount >= OWN_LAYER_EDGES && cards < OWN_LAYER_EDGES) edges.classList.add("mgm-edges-layer");
  // What a slider move rewrites, unit by unit: the chunks, then each closed box on its own. A
  // unit out of sight is rewritten later (update), a chunk also hidden from rendering (cull).
  const unitIds = [...chunkIds, ...boxIds.map((i) => [i])];
  const unitEls = [...chunkEls, ...boxEls];
  const unitOf = new Map(unitEls.map((el, u) => [el, u]));
  scene.appendChild(nodes);

  // Over the nodes: the outlines of the nodes on the path.
  const outlines = svgLayer(doc, "mgm-marks mgm-marks-top", width, height);
  outlines.innerHTML = '<path class="mgm-mark-outline"/>';
  const pathOutline = /** @type {Element} */ (outlines.firstElementChild);
  scene.appendChild(outlines);

  const dataText = dataEls.map((el) => /** @type {Text} */ (el.firstChild));
  const gradText = gradEls.map((el) => /** @type {Text} */ (el.firstChild));
  // What is on screen now, to skip unchanged writes.
  const shownData = Float64Array.from(data);
  const shownGrad = Float64Array.from(grad);
  const shownSign = looks.sign;
  const shownLevel = looks.level;
  const nonfinite = new Uint8Array(n);
  for (const i of drawnIds) {
    if (!Number.isFinite(data[i]) || !Number.isFinite(grad[i])) {
      nonfinite[i] = 1;
      nodeEls[i].setAttribute("data-nonfinite", "true");
    }
  }

  /** Scale the whole picture (edges and nodes) by `s`, through the scene's one transform. @param {number} s */
  function setScale(s) {
    scene.style.transform = s === 1 ? "" : `scale(${s})`;
    element.style.width = `${Math.ceil(width * s)}px`;
    element.style.height = `${Math.ceil(height * s)}px`;
  }
  setScale(1);

  // Which units are near the window (chunks: rendered, not culled): only their nodes are
  // rewritten at once on update; the others in slices after the frames that follow.
  const shown = new Uint8Array(unitEls.length).fill(1);
  const stale = new Uint8Array(unitEls.length); // units out of sight that show older numbers
  let cursor = 0; // the unit the next slice starts at
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

  /** @type {Uint8Array | null} the grads shown as "?" (hideGrads) */
  let hidden = null;
  let lastGrad = grad; // the grads last given, to write again when hideGrads changes
  let lastData = data;
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
    lastGrad = newGrad;
    lastData = newData;
    const max = maxAbsFiniteGrad(newGrad);
    pending = { data: newData, grad: newGrad, max };
    let deferred = false;
    for (let u = 0; u < unitIds.length; u++) {
      if (shown[u]) {
        writeUnit(u);
      } else {
        stale[u] = 1;
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

  /** Write the pending numbers into unit `u`'s nodes. @param {number} u */
  function writeUnit(u) {
    stale[u] = 0;
    if (pending === null) return;
    const { data: d, grad: gr, max } = pending;
    for (const i of unitIds[u]) updateNode(i, d[i], gr[i], max);
  }

  /** Bring every node up to date with the pending numbers now, if any. */
  function flush() {
    if (pending === null) return;
    for (let u = 0; u < unitIds.length; u++) if (stale[u]) writeUnit(u);
    cancelPending();
  }

  /**
   * One slice of the stale units, from where the last one stopped: while the idle period
   * `deadline` lasts, else SLICE_MS; the next one is scheduled as the first was.
   * @param {IdleDeadline} [deadline]
   */
  function slice(deadline) {
    stopSlices();
    const clock = win?.performance ?? performance;
    const end = clock.now() + SLICE_MS;
    const idle = deadline && !deadline.didTimeout ? deadline : null;
    const count = unitIds.length;
    for (let k = 0; k < count; k++) {
      const u = (cursor + k) % count;
      if (!stale[u]) continue;
      writeUnit(u);
      if (idle ? idle.timeRemaining() <= 0 : clock.now() >= end) {
        cursor = (u + 1) % count;
        schedule();
        return;
      }
    }
    cancelPending();
  }

  let edgeGrads = false;
  const styleWeights = weightStyler(weightEls);
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
    stale.fill(0);
    stopSlices();
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
   * too, for pages not painting).
   */
  function schedule() {
    if (frameRequest !== null || fallback !== null || idleRequest !== null) return;
    if (win?.requestIdleCallback) {
      idleRequest = win.requestIdleCallback(slice, { timeout: IDLE_WAIT_MS });
      return;
    }
    if (!win?.requestAnimationFrame) {
      flush();
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
    if (net && net.visible.rep[i] >= n) return groupBox(net.cl, net.visible.rep[i] - n);
    return { left: layout.left[i], top: layout.top[i], width: boxes[i].width, height: boxes[i].height };
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

  /** @type {Map<string, number[]>} attribute -> ids that carry it now */
  const marked = new Map();
  /**
   * Set attribute `attr` on exactly the nodes of `pairs` ([id, value] pairs), removing it from
   * the nodes that had it before.
   * @param {string} attr
   * @param {ReadonlyArray<[number, string]>} pairs
   */
  function markNodes(attr, pairs) {
    for (const id of marked.get(attr) ?? []) nodeEls[id].removeAttribute(attr);
    for (const [id, value] of pairs) nodeEls[id].setAttribute(attr, value);
    marked.set(attr, pairs.map(([id]) => id));
  }

  /** @type {number[]} */
  let pathEdgeKeys = [];
  /**
   * Highlight the paths from a node to the output: `nodes` (ids) and `edges` ({from, to, arg}:
   * the edge from operand `from` into operand slot `arg` of node `to`), replacing the previous
   * highlight. Their elements get data-path="true" (a hook for tests, styled by nothing).
   * @param {ReadonlyArray<number>} ids
   * @param {ReadonlyArray<GraphEdge>} list
   */
  function markPath(ids, list) {
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
      const item = net ? net.visible.rep[id] : id;
      if (item === id) outlineMarkup(rings, boxes[id], layout.left[id], layout.top[id]);
      else if (net && !ringed.has(item)) {
        ringed.add(item);
        const b = groupBox(net.cl, item - n);
        rings.push(roundedRect(b.left - 1, b.top - 1, b.width + 2, b.height + 2, 5));
      }
    }
    pathOutline.setAttribute("d", rings.join(""));
    if (list.length || ids.length) element.setAttribute("data-marked-path", "true");
    else element.removeAttribute("data-marked-path");
  }

  /** @type {number[]} */
  let stepEdgeKeys = [];
  /**
   * Draw the edges a backprop step sends grad along (same shape as markPath's), each with an
   * arrowhead at its operand's end; the base edges get data-step-edge="true".
   * @param {ReadonlyArray<GraphEdge>} list
   */
  function markStep(list) {
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
   * stay rendered: update only leaves their numbers for later). `content-visibility: auto` alone keeps every chunk
   * within half a page of the browser's viewport rendered, whatever clips it: on an MLP that is
   * many times the nodes actually seen, laid out again on every slider move. Returns a function
   * that stops it.
   * @param {Element} root
   */
  function cull(root) {
    const IO = doc.defaultView?.IntersectionObserver;
    if (!IO) return () => {};
    const observer = new IO(
      (entries) => {
        for (const e of entries) {
          const u = unitOf.get(/** @type {HTMLElement} */ (e.target)) ?? -1;
          if (u < 0) continue;
          if (e.isIntersecting && stale[u]) writeUnit(u); // up to date before it paints
          shown[u] = e.isIntersecting ? 1 : 0;
          if (u < chunkEls.length) chunkEls[u].style.contentVisibility = e.isIntersecting ? "" : "hidden";
        }
      },
      { root, rootMargin: `${CULL_MARGIN}px` },
    );
    for (const el of unitEls) observer.observe(el);
    // A graph once came back from a JupyterLab theme change and a scroll with its edges but no
    // node cards: every chunk stayed hidden, as if the observer never said they were visible
    // again. Observing anew makes it report every chunk afresh; do that whenever the theme
    // changes and whenever the window comes (back) into the browser's view.
    const recheck = () => {
      observer.disconnect();
      for (const el of unitEls) observer.observe(el);
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
      observer.disconnect();
      entering.disconnect();
      themes?.disconnect();
      scheme?.removeEventListener?.("change", recheck);
      flush();
      shown.fill(1);
    };
  }

  /** Make node `id`'s chunk rendered now (a hidden one cannot take the focus). @param {number} id */
  function wake(id) {
    const c = chunkOf[id];
    if (c < 0) return; // a closed box, never culled
    if (stale[c]) writeUnit(c);
    shown[c] = 1;
    chunkEls[c].style.contentVisibility = "";
  }

  let tabStop = g.output;
  /** Make node `id` the graph's one tab stop (a roving tabindex). @param {number} id */
  function setTabStop(id) {
    if (id === tabStop) return;
    nodeEls[tabStop].setAttribute("tabindex", "-1");
    nodeEls[id].setAttribute("tabindex", "0");
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
    for (const i of drawnIds) updateNode(i, shownData[i], lastGrad[i], max);
  }

  return {
    element,
    nodesElement: nodes,
    width,
    height,
    output: g.output,
    update,
    setScale,
    nodeBox,
    nodeElement: (id) => nodeEls[id],
    flush,
    nodeId,
    markNodes,
    markPath,
    markStep,
    setTabStop,
    cull,
    wake,
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
  };
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
 * Nodes `ids` as one <svg> over their bounding box, in a wrapper the browser may skip while it
 * is off screen. The viewBox keeps node coordinates those of the whole drawing.
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
 * @returns {HTMLElement}
 */
function chunk(doc, g, boxes, layout, inputIds, data, grad, looks, ids, origin) {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const i of ids) {
    left = Math.min(left, layout.left[i]);
    top = Math.min(top, layout.top[i]);
    right = Math.max(right, layout.left[i] + boxes[i].width);
    bottom = Math.max(bottom, layout.top[i] + boxes[i].height);
  }
  left = Math.floor(left) - 2;
  top = Math.floor(top) - 2;
  const w = Math.ceil(right) + 2 - left;
  const h = Math.ceil(bottom) + 2 - top;
  const wrapper = doc.createElement("div");
  wrapper.className = "mgm-chunk";
  wrapper.style.cssText = `left:${left - origin[0]}px;top:${top - origin[1]}px;width:${w}px;height:${h}px`;
  const svg = doc.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", "mgm-svg");
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h));
  svg.setAttribute("viewBox", `${left} ${top} ${w} ${h}`);
  /** @type {string[]} */
  const parts = [];
  for (const i of ids) nodeMarkup(parts, g, boxes[i], layout, inputIds, data, grad, looks, i);
  svg.innerHTML = parts.join("");
  wrapper.appendChild(svg);
  return wrapper;
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
 */
function nodeMarkup(parts, g, box, layout, inputIds, data, grad, looks, i) {
  const computed = g.ops[i] !== 0;
  const isOutput = i === g.output;
  let kind = "mgm-computed";
  if (!computed) kind = inputIds.has(i) ? "mgm-leaf mgm-input" : cardName(g, i) === null ? "mgm-leaf mgm-const" : "mgm-leaf";
  parts.push(
    `<g class="mgm-node ${kind}${isOutput ? " mgm-output" : ""}" role="button" data-node-id="${i}"`,
    ` data-label="${escapeXml(g.labels[i] ?? "")}"${isOutput ? ' data-output="true"' : ""}`,
    ` tabindex="${isOutput ? 0 : -1}" data-lm-suppress-shortcuts="true"`,
    ` data-grad-sign="${SIGNS[looks.sign[i]]}"`,
    ` transform="translate(${round1(layout.left[i])},${round1(layout.top[i])})">`,
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
 * The edges of a graph with groups into `svg`: one per pair of items (view/network.js), from
 * the right middle of the source's box to the left middle of the target's. Edges between two
 * drawn nodes keep their key (2 * to + which) in `edgeD`, `edgeEls` and `edgeEnds` for the path
 * and step marks. Returns the weight edges with their parameters.
 * @param {SVGSVGElement} svg
 * @param {ParsedGraph} g
 * @param {Net} net
 * @param {Box[]} boxes
 * @param {Layout} layout
 * @param {number} uid
 * @param {string[]} edgeD
 * @param {Element[]} edgeEls
 * @param {import("../layout/geometry.js").Point[]} edgeEnds
 * @param {ArrayLike<number>} values the weight edges' first numbers (the data)
 * @returns {Array<[SVGPathElement, number]>}
 */
function drawNetEdges(svg, g, net, boxes, layout, uid, edgeD, edgeEls, edgeEnds, values) {
  const n = g.size;
  const list = itemEdges(g, net.tree, net.visible.rep);
  const max = maxWeight(list, values);
  /** @param {number} item */
  const boxOf = (item) =>
    item < n ? { left: layout.left[item], top: layout.top[item], ...boxes[item] } : groupBox(net.cl, item - n);
  const arrow = `mgm-arrow-${uid}`;
  const parts = ["<defs>", marker(arrow, "mgm-arrowhead", 7), "</defs>"];
  /** @type {number[]} each drawn edge's key, -1 for an edge with a group box at either end */
  const keys = [];
  for (const e of list) {
    const s = boxOf(e.from);
    const t = boxOf(e.to);
    const end = { x: t.left, y: t.top + t.height / 2 };
    const d = edgePath([{ x: s.left + s.width, y: s.top + s.height / 2 }, end]);
    const key = e.from < n && e.to < n ? 2 * e.to + (g.a[e.to] === e.from ? 0 : 1) : -1;
    if (key >= 0) {
      edgeD[key] = d;
      edgeEnds[key] = end;
    }
    keys.push(key);
    // A weight edge needs no arrowhead (weights flow left to right) and a marker on each of
    // thousands of edges is much of a network's style and layout time.
    let tail = ` marker-end="url(#${arrow})"`;
    if (e.weight >= 0) {
      const look = weightLook(values[e.weight], max);
      tail = ` data-weight="${e.weight}" data-sign="${look.sign}" stroke-width="${look.width}"`;
    }
    parts.push(`<path class="mgm-edge" data-from="${e.from}" data-to="${e.to}" d="${d}"${tail}/>`);
  }
  svg.innerHTML = parts.join("");
  /** @type {Array<[SVGPathElement, number]>} */
  const weights = [];
  svg.querySelectorAll(".mgm-edge").forEach((el, k) => {
    if (keys[k] >= 0) edgeEls[keys[k]] = el;
    const w = list[k].weight;
    if (w < 0) return;
    /** @type {[SVGPathElement, number]} */
    const edge = [/** @type {SVGPathElement} */ (el), w];
    const look = weightLook(values[w], max);
    shownLooks.set(edge, `${look.sign} ${look.width}`);
    weights.push(edge);
  });
  return weights;
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
      if (shownLooks.get(edge) === key) return;
      shownLooks.set(edge, key);
      edge[0].setAttribute("data-sign", look.sign);
      edge[0].setAttribute("stroke-width", String(look.width));
    });
  };
}

/** Each weight edge's look as drawn, to skip unchanged writes (the markup drew the first). */
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
 * The drawn groups' boxes and the drawn nodes in `nodes`: each open group is an element holding
 * its header, its child groups' boxes and its own nodes' chunks (so an open neuron holds its
 * cards in the DOM as on screen); a closed group is a box with its header and its output's data
 * and grad. `addChunk` draws nodes into an element and indexes them.
 * @param {Document} doc
 * @param {HTMLElement} nodes
 * @param {ParsedGraph} g
 * @param {Net} net
 * @param {Box[]} boxes
 * @param {Layout} layout
 * @param {(parent: HTMLElement, ids: number[], origin: [number, number]) => void} addChunk
 * @param {Map<number, HTMLElement>} groupEls filled: drawn group id -> its box
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} grad
 * @param {LookCodes} looks
 */
function drawGroups(doc, nodes, g, net, boxes, layout, addChunk, groupEls, data, grad, looks) {
  const { tree, cl, open, visible, repNode } = net;
  const n = g.size;
  /** @type {Map<number, number[]>} container (-1: the top) -> its drawn nodes */
  const own = new Map();
  for (let i = 0; i < n; i++) {
    if (visible.rep[i] !== i) continue;
    const c = tree.nodeGroup[i];
    const list = own.get(c);
    if (list) list.push(i);
    else own.set(c, [i]);
  }
  const outputItem = visible.rep[g.output];
  /**
   * @param {HTMLElement} parent
   * @param {number} c the container: -1 or an open group
   * @param {[number, number]} origin
   */
  const fill = (parent, c, origin) => {
    for (const grp of c < 0 ? topGroups(tree) : tree.children[c]) {
      const b = groupBox(cl, grp);
      if (!visible.drawn[grp]) continue;
      const isOpen = open.has(grp);
      const box = doc.createElement("div");
      box.className = `mgm-box mgm-box-${isOpen ? "open" : "closed"}`;
      box.setAttribute("data-group", tree.paths[grp]);
      box.setAttribute("data-group-state", isOpen ? "open" : "closed");
      box.style.cssText = `left:${round1(b.left - origin[0])}px;top:${round1(b.top - origin[1])}px;width:${round1(b.width)}px;height:${round1(b.height)}px`;
      const title = `${tree.paths[grp] || "(model)"}: ${tree.kinds[grp]} (${isOpen ? "click its header to close" : "click to open"})`;
      box.title = title;
      const header = escapeXml(tree.shorts[grp] || tree.kinds[grp]);
      // a neuron's activation beside its kind: the op of its output when that op is unary
      const o = repNode[grp];
      const act = o >= 0 && g.ops[o] !== 0 && g.b[o] < 0 ? ` ${g.opNames[o]}` : "";
      const kind = escapeXml(tree.kinds[grp] + act);
      const toggle = `<button type="button" class="mgm-box-header" data-action="toggle-group" tabindex="-1" aria-expanded="${isOpen}">${header} <span class="mgm-box-kind">${kind}</span></button>`;
      if (isOpen) {
        box.innerHTML = toggle;
        fill(box, grp, [b.left, b.top]);
      } else {
        box.setAttribute("role", "button");
        box.tabIndex = outputItem === n + grp ? 0 : -1;
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
      }
      groupEls.set(grp, box);
      parent.appendChild(box);
    }
    const mine = own.get(c);
    if (mine) {
      for (const ids of tiles(mine.map((i) => boxes[i]), { left: mine.map((i) => layout.left[i]), top: mine.map((i) => layout.top[i]) })) {
        addChunk(
          parent,
          ids.map((k) => mine[k]),
          origin,
        );
      }
    }
  };
  fill(nodes, -1, [0, 0]);
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
