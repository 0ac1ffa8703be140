// Moving the keyboard focus between the nodes of a laid-out graph. Pure: no DOM.
//
// The graph is one tab stop (a roving tabindex); inside it the arrow keys move in layout order.
// The layout draws the graph left to right in columns, and all nodes of a rank share the x of their
// centre, so the ranks are columns: Up and Down move within a column, Left and Right to the
// neighbouring column's node nearest in height, Home and End to the first and last node.

/**
 * The columns of a layout, for moving the focus (see createNavigation).
 * @typedef {object} Navigation
 * @property {number[][]} columns node ids top to bottom, columns left to right
 * @property {Int32Array} column each node's column
 * @property {Int32Array} row each node's row within its column
 * @property {number[]} order ids in reading order
 * @property {Float64Array} cy each node's centre's y
 */

/**
 * The columns of a layout from each node's centre (`cx`, `cy`, indexed by node id): nodes whose
 * centres lie within half a pixel of each other horizontally share a column. Returns
 * {columns: [[ids top to bottom]] left to right, column: Int32Array, row: Int32Array, order: ids
 * in reading order (column by column, top to bottom)}.
 * @param {ArrayLike<number>} cx
 * @param {ArrayLike<number>} cy
 * @returns {Navigation}
 */
export function createNavigation(cx, cy) {
  const n = cx.length;
  const ids = Array.from({ length: n }, (_, i) => i);
  ids.sort((p, q) => cx[p] - cx[q] || cy[p] - cy[q] || p - q);
  /** @type {number[][]} */
  const columns = [];
  /** @type {number[]} */
  let current = [];
  let last = -Infinity;
  for (const id of ids) {
    if (columns.length === 0 || cx[id] - last > 0.5) {
      current = [];
      columns.push(current);
      // a column's x is that of its first node, so rounding noise cannot chain columns together
      last = cx[id];
    }
    current.push(id);
  }
  const column = new Int32Array(n);
  const row = new Int32Array(n);
  for (const [c, members] of columns.entries()) {
    members.sort((p, q) => cy[p] - cy[q] || p - q);
    members.forEach((id, r) => {
      column[id] = c;
      row[id] = r;
    });
  }
  return { columns, column, row, order: columns.flat(), cy: Float64Array.from(cy) };
}

/**
 * The node the focus moves to from node `id` on key `key` (a KeyboardEvent.key), or `id` itself
 * where the key leads nowhere (the edge of the drawing); null for keys that do not navigate.
 * @param {Navigation} nav
 * @param {number} id
 * @param {string} key
 * @returns {number | null}
 */
export function moveFocus(nav, id, key) {
  const { columns, column, row, order, cy } = nav;
  if (order.length === 0) return null;
  const members = columns[column[id]];
  switch (key) {
    case "ArrowUp":
      return members[Math.max(0, row[id] - 1)];
    case "ArrowDown":
      return members[Math.min(members.length - 1, row[id] + 1)];
    case "ArrowLeft":
    case "ArrowRight": {
      const c = column[id] + (key === "ArrowLeft" ? -1 : 1);
      if (c < 0 || c >= columns.length) return id;
      return nearest(columns[c], cy, cy[id]);
    }
    case "Home":
      return order[0];
    case "End":
      return order[order.length - 1];
    default:
      return null;
  }
}

/**
 * The member of a column (sorted by y) whose centre is nearest to `y`; the upper one on a tie.
 * @param {number[]} members
 * @param {Float64Array} cy
 * @param {number} y
 */
function nearest(members, cy, y) {
  let lo = 0;
  let hi = members.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cy[members[mid]] < y) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && y - cy[members[lo - 1]] <= cy[members[lo]] - y) return members[lo - 1];
  return members[lo];
}
