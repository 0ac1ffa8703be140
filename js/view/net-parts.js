// The parts of a network's drawing (a graph with groups) that need no scene: which nodes each
// container draws, the top groups, a group's box shell, the node each closed box shows, the
// weight edges' paths and looks.

import { edgePath } from "../layout/geometry.js";
import { groupBox } from "./chunks.js";
import { SIGNS, tint } from "./grad-look.js";
import { escapeXml, fieldMarkup, round1 } from "./markup.js";
import { weightLook } from "./network.js";

/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("../core/groups.js").GroupTree} GroupTree */
/** @typedef {import("./grad-look.js").LookCodes} LookCodes */
/** @typedef {import("./network.js").Visible} Visible */
/** @typedef {import("./render.js").Net} Net */

/**
 * A network edge's path between its ends (x and y of the source's, then the target's).
 * @param {number[]} ends
 */
export function pathOf(ends) {
  return edgePath([
    { x: ends[0], y: ends[1] },
    { x: ends[2], y: ends[3] },
  ]);
}

/**
 * What colours the weight edges by the sign of `values` at their parameters, and sets their
 * width by its size relative to the largest drawn: attributes only, and only on the edges whose
 * value (or the largest) changed since the last call. A slider moves inputs, not weights: then
 * no edge's value changes and the call is one pass over the numbers, with no look computed.
 * Given `drawn`, the edges are taken as styled for those values and that largest already.
 * @param {ReadonlyArray<[SVGPathElement, number]>} edges
 * @param {{values: ArrayLike<number>, max: number}} [drawn]
 * @returns {((values: ArrayLike<number>) => void) & {max: () => number}}
 */
export function weightStyler(edges, drawn) {
  const seen = new Float64Array(edges.length); // each edge's value when last styled
  let seenMax = Number.NaN; // the largest then; NaN: none styled yet
  if (drawn) {
    for (let k = 0; k < edges.length; k++) seen[k] = drawn.values[edges[k][1]];
    seenMax = drawn.max;
  }
  /** @param {ArrayLike<number>} values */
  const style = (values) => {
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
  return Object.assign(style, { max: () => seenMax });
}

/** @type {WeakMap<Element, string>} each weight edge's look as drawn, to skip unchanged writes */
export const shownLooks = new WeakMap();

/**
 * The largest finite |value| of the edges' weights (0 if none).
 * @param {ReadonlyArray<{weight: number}>} edges
 * @param {ArrayLike<number>} values
 */
export function maxWeight(edges, values) {
  let max = 0;
  // indexed, no destructuring: a click that opens a neuron runs this once, on cold code
  for (let k = 0; k < edges.length; k++) {
    const weight = edges[k].weight;
    const v = weight >= 0 ? Math.abs(values[weight]) : 0;
    if (v > max && Number.isFinite(v)) max = v;
  }
  return max;
}

/**
 * Each container's drawn nodes (-1: the top), in id order.
 * @param {Net} net
 * @returns {Map<number, number[]>}
 */
export function ownNodes(net) {
  /** @type {Map<number, number[]>} */
  const own = new Map();
  for (const i of net.visible.nodes) {
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
export function groupShell(doc, g, net, grp, origin, data, grad, looks) {
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
export function topGroups(tree) {
  const top = [];
  for (let grp = 0; grp < tree.count; grp++) if (tree.parent[grp] < 0) top.push(grp);
  return top;
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
  let outputless = false;
  for (const grp of visible.closed) {
    repNode[grp] = tree.outputs[grp][0] ?? -1;
    if (repNode[grp] < 0) outputless = true;
  }
  if (!outputless) return repNode; // then every node need not be looked at
  for (let i = 0; i < size; i++) {
    const item = visible.rep[i];
    if (item >= size && repNode[item - size] < 0) repNode[item - size] = i;
  }
  return repNode;
}
