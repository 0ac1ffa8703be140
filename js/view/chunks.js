// Where things lie in the drawing: the TILE x TILE squares whose nodes share one SVG chunk,
// a chunk's bounds and wrapper, a group's box, and whether two parts of the drawing meet.

/** @typedef {import("../layout/geometry.js").Box} Box */
/** @typedef {import("../layout/index.js").Layout} Layout */
/** @typedef {import("../layout/compound.js").CompoundLayout} CompoundLayout */

/**
 * A part of the drawing, in unscaled drawing coordinates.
 * @typedef {{left: number, top: number, width: number, height: number}} Window2D
 */

/** Side of the square of the drawing whose nodes share one SVG chunk, in unscaled pixels. */
export const TILE = 512;

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
export function chunkWrapper(doc, boxes, layout, ids, origin) {
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
export function chunkBounds(boxes, layout, ids, origin) {
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
 * Whether two parts of the drawing overlap, `b` grown by `margin` on every side.
 * @param {Window2D} a
 * @param {Window2D} b
 * @param {number} [margin]
 */
export function meets(a, b, margin = 0) {
  return (
    a.left < b.left + b.width + margin &&
    b.left - margin < a.left + a.width &&
    a.top < b.top + b.height + margin &&
    b.top - margin < a.top + a.height
  );
}

/**
 * A drawn group's box in drawing coordinates.
 * @param {CompoundLayout} cl
 * @param {number} grp
 */
export function groupBox(cl, grp) {
  return { left: cl.groupLeft[grp], top: cl.groupTop[grp], width: cl.groupWidth[grp], height: cl.groupHeight[grp] };
}
