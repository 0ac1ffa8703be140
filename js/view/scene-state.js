// The state a drawn scene's parts share: renderGraph makes it once and hands the same object to
// the chunks (chunk-scene.js), the number updates (numbers.js), the marks (marks.js) and a
// network's edge layer (net-edges.js). Each part reads and replaces its fields, so every part
// sees what another part changed without accessors.

import { lookCodes } from "./grad-look.js";
import { weightStyler } from "./net-parts.js";

/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("../core/explain.js").GraphEdge} GraphEdge */
/** @typedef {import("../layout/geometry.js").Box} Box */
/** @typedef {import("../layout/geometry.js").Point} Point */
/** @typedef {import("../layout/index.js").Layout} Layout */
/** @typedef {import("./chunks.js").Window2D} Window2D */
/** @typedef {import("./chunk-scene.js").Chunk} Chunk */
/** @typedef {import("./grad-look.js").LookCodes} LookCodes */
/** @typedef {import("./render.js").Net} Net */

/**
 * What never changes while the scene lives: the graph and the scene's fixed elements.
 * @typedef {object} SceneFixed
 * @property {Document} doc
 * @property {ParsedGraph} g
 * @property {Box[]} boxes the nodes' card sizes
 * @property {ReadonlySet<number>} inputIds the leaves that have a slider
 * @property {number} uid makes marker ids unique when several scenes share a page
 * @property {Element} edges the edge layer (data-marked-path while a path is marked)
 */

/**
 * What changes while the scene lives. The arrays indexed by node id keep their identity (they
 * are refilled); the other fields are replaced as the drawing changes.
 * @typedef {object} SceneChanging
 * @property {number} n the number of nodes
 * @property {Layout} lay the drawing now (setNet replaces it)
 * @property {Net | null} drawnNet the groups as drawn now (null: a graph without groups)
 * @property {number[]} drawnIds the nodes whose numbers are on screen: cards, then closed boxes'
 * @property {number[]} boxIds the nodes whose numbers closed boxes show
 * @property {Map<number, number[]>} own container (-1: the top) -> its drawn nodes
 * @property {Window2D | null | undefined} eager where new chunks get their cards at once (and the
 *   cull margin around it): undefined everywhere, null nowhere (but the tab stop's, which Tab
 *   must reach)
 * @property {number} scale the drawing's scale on screen
 * @property {number} tabStop the graph's one tab stop (a roving tabindex)
 * @property {ArrayLike<number>} lastData the numbers last given (new cards are drawn with them)
 * @property {ArrayLike<number>} lastGrad
 * @property {number} given how many times numbers were given (the arrays may be the same,
 *   refilled)
 * @property {Uint8Array | null} hidden the grads shown as "?" (hideGrads)
 * @property {LookCodes} looks the grads' looks that new markup is drawn with
 * @property {number} looksOf when `looks` was worked out (the `given` of then)
 * @property {SVGGElement[]} nodeEls each drawn node's card, or the closed box that shows it
 * @property {Element[]} dataEls
 * @property {Element[]} gradEls
 * @property {Element[]} cellEls the grad rows' backgrounds, tinted by data-tint
 * @property {Text[]} dataText
 * @property {Text[]} gradText
 * @property {Float64Array} shownData what is on screen now, to skip unchanged writes
 * @property {Float64Array} shownGrad
 * @property {Uint8Array} shownSign
 * @property {Uint8Array} shownLevel
 * @property {Uint8Array} nonfinite
 * @property {Map<Chunk, {origin: [number, number], at: Layout, area: Window2D}>} unfilled the
 *   chunks drawn empty: their container's corner and the layout they were placed by, and where
 *   they are
 * @property {string[]} edgeD path data by 2 * to + which (a network's edge layer replaces it,
 *   and edgeEnds and edgeEls)
 * @property {Point[]} edgeEnds
 * @property {Element[]} edgeEls
 * @property {Array<[SVGPathElement, number]>} weightEls weight edges and their parameters
 * @property {ReturnType<typeof weightStyler>} styleWeights restyles weightEls
 * @property {boolean} edgeGrads weight edges show the weights' grads (true) or the weights
 * @property {Map<string, Map<number, string>>} marked attribute -> the nodes that carry it now,
 *   and its values (markNodes)
 * @property {number[]} pathEdgeKeys the edges marked on the path
 * @property {[ReadonlyArray<number>, ReadonlyArray<GraphEdge>]} pathMarked what markPath marks now
 * @property {number[]} stepEdgeKeys the edges a step marks
 * @property {ReadonlyArray<GraphEdge>} stepMarked what markStep marks now
 */

/** @typedef {SceneFixed & SceneChanging} SceneState */

/**
 * A new scene's state: graph `fixed.g` drawn at `layout` (with groups as `net` says), showing
 * `data` and `grad`, nothing marked and no edges yet; `deferring`: far chunks are drawn empty
 * and filled later.
 * @param {SceneFixed} fixed
 * @param {Layout} layout
 * @param {Net | null} net
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} grad
 * @param {boolean} deferring
 * @returns {SceneState}
 */
export function sceneState(fixed, layout, net, data, grad, deferring) {
  const n = fixed.g.size;
  /** @type {Array<[SVGPathElement, number]>} */
  const weightEls = [];
  return {
    ...fixed,
    n,
    lay: layout,
    drawnNet: net,
    drawnIds: [],
    boxIds: [],
    own: new Map(),
    eager: deferring ? null : undefined,
    scale: 1,
    tabStop: fixed.g.output,
    lastData: data,
    lastGrad: grad,
    given: 0,
    hidden: null,
    looks: lookCodes(grad),
    looksOf: 0,
    nodeEls: new Array(n),
    dataEls: new Array(n),
    gradEls: new Array(n),
    cellEls: new Array(n),
    dataText: new Array(n),
    gradText: new Array(n),
    shownData: new Float64Array(n),
    shownGrad: new Float64Array(n),
    shownSign: new Uint8Array(n),
    shownLevel: new Uint8Array(n),
    nonfinite: new Uint8Array(n),
    unfilled: new Map(),
    edgeD: new Array(2 * n),
    edgeEnds: new Array(2 * n),
    edgeEls: new Array(2 * n),
    weightEls,
    styleWeights: weightStyler(weightEls),
    edgeGrads: false,
    marked: new Map(),
    pathEdgeKeys: [],
    pathMarked: [[], []],
    stepEdgeKeys: [],
    stepMarked: [],
  };
}
