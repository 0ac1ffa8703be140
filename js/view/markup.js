// The drawing's markup, built as strings (one parse per chunk instead of a createElement call per
// element): node cards, their numbers, the edge layer, the output's mark, outlines and markers,
// the tooltips, and the escaping they all share.

import { definitionText } from "../core/explain.js";
import { formatNumber } from "../core/format.js";
import { cardName, nodePathText } from "../core/names.js";
import { METRICS } from "../layout/geometry.js";
import { chunkBounds, groupBox } from "./chunks.js";
import { SIGNS, tint } from "./grad-look.js";

/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("../layout/geometry.js").Box} Box */
/** @typedef {import("../layout/index.js").Layout} Layout */
/** @typedef {import("./grad-look.js").LookCodes} LookCodes */
/** @typedef {import("./render.js").Net} Net */

export const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * The edge layer: one path per operand use (`ds` by 2 * to + which), with arrowheads.
 * @param {Layout} layout
 * @param {number} uid
 * @param {string[]} ds
 */
export function edgesMarkup(layout, uid, ds) {
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
export function outputMarkup(g, boxes, layout, uid, net) {
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
export function outlineMarkup(parts, box, left, top) {
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
export function roundedRect(x, y, w, h, r) {
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
export function svgLayer(doc, className, width, height) {
  const svg = doc.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", className);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("aria-hidden", "true");
  return svg;
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
export function chunk(doc, g, boxes, layout, inputIds, data, grad, looks, ids, origin) {
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
export function nodeMarkup(parts, g, box, layout, inputIds, data, grad, looks, i, origin) {
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
export function marker(id, cls, size, orient = "auto") {
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
export function valueMarkup(field, x, y, value) {
  return (
    `<text class="mgm-value" data-field="${field}" data-value="${String(value)}" x="${x}" y="${y}" dy=".35em">` +
    `${escapeXml(formatNumber(value))}</text>`
  );
}

/**
 * A closed box's number, as a card's (valueMarkup) but in HTML.
 * @param {string} field
 * @param {number} value
 */
export function fieldMarkup(field, value) {
  return `<span class="mgm-box-value" data-field="${field}" data-value="${String(value)}">${escapeXml(formatNumber(value))}</span>`;
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

/** @param {number} x */
export function round1(x) {
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
