// The shape of a value node and its edges, in pixels: pure arithmetic, no DOM, so that layout
// and drawing agree and Node tests can check it.
//
// A value node is a small card, with the op that computed it as a pill on its left:
//
//             ┌ z ──────────┐
//     (+) ──  │ data     10 │
//             │ grad      1 │
//             └─────────────┘
//
// (the label header only when the value has a label). Edges from the operands end on the pill
// (first operand on its upper half, second on its lower half, so "a - b" and "a / b" keep their
// order) and leave a card from the middle of its right side.

import { formatNumber } from "../core/format.js";
import { cardName } from "../core/names.js";
import { OPS } from "../core/ops-table.js";

/**
 * A node's box, relative to its top-left corner (see nodeBoxes).
 * @typedef {object} Box
 * @property {number} width
 * @property {number} height
 * @property {string} op the op pill's text ("" for a leaf)
 * @property {number} opWidth the pill's width (0 for a leaf)
 * @property {number} cardX where the card starts
 * @property {number} cardWidth
 * @property {string} label the label (or short path, names.js) as drawn ("" without one)
 * @property {number} headerHeight the label row's height (0 without a label)
 */

/** @typedef {{x: number, y: number}} Point */

/** Sizes shared by geometry and style (font sizes must match style.js). */
export const METRICS = Object.freeze({
  fontSize: 12, // monospace numbers and labels
  headerHeight: 19, // the label row
  rowHeight: 17, // the data row and the grad row
  pad: 8,
  captionWidth: 30, // "data" / "grad", in the smaller UI font, and a gap
  valueChars: 10, // "-1.235e-10" fits beside its caption
  labelMaxChars: 24, // longer labels are cut with "…" (the full one is in the tooltip)
  opHeight: 20,
  opMinWidth: 24,
  opGap: 10, // the stub between the op pill and the card
  portSpread: 5, // vertical offset of the two operand ports from the pill's centre
});

const PICTURES = new Map(OPS.map((op) => [op.name, op.picture]));

/**
 * How an op is written on its pill (the op table's picture text, as in the Graphviz picture):
 * the operator a student typed, or the function's name; "**" with its exponent formatted like
 * the numbers on the nodes.
 * @param {string} op
 * @param {number} [k] the exponent of "**"
 * @returns {string}
 */
export function opText(op, k = NaN) {
  const text = PICTURES.get(op) ?? op;
  return text.includes("{k}") ? text.replace("{k}", formatNumber(k)) : text;
}

/**
 * A label as drawn (cut to labelMaxChars with "…"); the full text goes to the tooltip.
 * @param {string | null | undefined} label
 * @returns {string}
 */
export function shownLabel(label) {
  if (label === null || label === undefined) return "";
  const chars = Array.from(label);
  if (chars.length <= METRICS.labelMaxChars) return label;
  return `${chars.slice(0, METRICS.labelMaxChars - 1).join("")}…`;
}

/**
 * The box of every node of a parsed graph, given the width of one monospace character.
 * Per node: width, height, the op pill's text and width, and the card's x offset, width and
 * header height (0 without a label), all relative to the node's top-left corner.
 * @param {import("../core/engine.js").ParsedGraph} g
 * @param {number} charWidth
 * @returns {Box[]}
 */
export function nodeBoxes(g, charWidth) {
  const m = METRICS;
  const valuesWidth = Math.ceil(2 * m.pad + m.captionWidth + m.valueChars * charWidth);
  const boxes = new Array(g.size);
  for (let i = 0; i < g.size; i++) {
    const computed = g.ops[i] !== 0;
    const op = computed ? opText(g.opNames[i], g.k[i]) : "";
    const opWidth = computed
      ? Math.max(m.opMinWidth, Math.ceil(Array.from(op).length * charWidth * 0.95 + 12))
      : 0;
    const cardX = computed ? opWidth + m.opGap : 0;
    const label = shownLabel(cardName(g, i)); // a parameter's or module output's short path
    const labelWidth = label ? Math.ceil(Array.from(label).length * charWidth + 2 * m.pad) : 0;
    const cardWidth = Math.max(valuesWidth, labelWidth);
    const headerHeight = label ? m.headerHeight : 0;
    boxes[i] = {
      width: cardX + cardWidth,
      height: headerHeight + 2 * m.rowHeight,
      op,
      opWidth,
      cardX,
      cardWidth,
      label,
      headerHeight,
    };
  }
  return boxes;
}

/**
 * Where the edge for operand `which` of a node enters it, relative to the node's top-left.
 * @param {{height: number}} box
 * @param {number} which
 * @param {number} arity
 * @returns {Point}
 */
export function inPort(box, which, arity) {
  const spread = arity === 2 ? (which === 0 ? -1 : 1) * METRICS.portSpread : 0;
  return { x: 0, y: box.height / 2 + spread };
}

/**
 * An SVG path through points: smooth, with horizontal tangents at every point, so that edges
 * leave and enter nodes horizontally (left-to-right reading) and bend gently between ranks.
 * @param {ReadonlyArray<Point>} points
 * @returns {string}
 */
export function edgePath(points) {
  let d = `M${r(points[0].x)},${r(points[0].y)}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1];
    const q = points[i];
    const mid = (q.x - p.x) / 2;
    d += `C${r(p.x + mid)},${r(p.y)} ${r(q.x - mid)},${r(q.y)} ${r(q.x)},${r(q.y)}`;
  }
  return d;
}

/** @param {number} x */
function r(x) {
  return Math.round(x * 10) / 10;
}
