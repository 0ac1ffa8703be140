// The cards of a scene in chunks, and the group boxes around them: drawn (at once, or empty and
// filled when they come into sight, when one of their nodes is asked for, or in idle time),
// indexed into the scene state's arrays, brought to a new drawing of the groups (patch), and
// culled far outside the window.

import { maxAbsFiniteGrad } from "../core/explain.js";
import { chunkWrapper, groupBox, meets, tiles } from "./chunks.js";
import { lookCodes } from "./grad-look.js";
import { chunk, round1 } from "./markup.js";
import { groupShell, topGroups } from "./net-parts.js";

/** @typedef {import("../layout/index.js").Layout} Layout */
/** @typedef {import("./chunks.js").Window2D} Window2D */
/** @typedef {import("./render.js").Net} Net */
/** @typedef {import("./scene-state.js").SceneState} SceneState */

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
 * What the chunks call of the number updates (numbers.js).
 * @typedef {object} ChunkCalls
 * @property {(i: number, d: number, given: number, max: number) => void} updateNode
 * @property {(u: Unit) => void} writeUnit
 * @property {() => void} flush
 */

/** The attributes of <html> and <body> through which hosts switch themes (JupyterLab, Sphinx). */
const THEME_ATTRIBUTES = ["class", "data-theme", "data-jp-theme-light", "data-jp-theme-name"];

/** How far outside the visible window chunks stay rendered, in screen pixels (see cull). */
const CULL_MARGIN = 256;

/**
 * The chunks and boxes of a scene: `addChunk` and `patch` draw them, `indexed` indexes what
 * was drawn, `fillChunk`, `nodeElement`, `wake` and `show` draw waiting cards, `cull` follows
 * what is in sight.
 * @param {SceneState} state
 * @param {ChunkCalls} calls
 */
export function chunkScene(state, { updateNode, writeUnit, flush }) {
  const { doc, g, n, boxes, inputIds, unfilled, marked, nodeEls, dataEls, gradEls, cellEls, dataText, gradText } = state;
  const { shownData, shownGrad, shownSign, shownLevel, nonfinite } = state;
  /** @type {Set<Chunk>} the drawn chunks */
  const chunks = new Set();
  /** @type {WeakMap<Element, Unit>} chunks and closed boxes by their element */
  const unitByEl = new WeakMap();
  /** @type {Array<Chunk | undefined>} each drawn card's chunk */
  const chunkOf = new Array(n);
  /** @type {IntersectionObserver | null} culls the chunks (see cull) */
  let observer = null;
  /** @type {number[]} the nodes whose numbers are drawn anew, to index */
  let fresh = [];

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
    if (state.eager === undefined || (state.eager && meets(area, state.eager, CULL_MARGIN / state.scale)) || ids.includes(state.tabStop)) {
      drawCards(c, origin, state.lay);
      // Drawn in sight by a redraw: rendered at once. Under content-visibility: auto the browser
      // finds a new chunk in sight only after its first frame's pre-paint, and then styles,
      // lays out and pre-paints that frame again; the culling puts auto back when it reports.
      if (state.eager) el.style.contentVisibility = "visible";
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
    if (state.looksOf !== state.given) {
      state.looks = lookCodes(state.lastGrad);
      state.looksOf = state.given;
    }
    const { el, ids } = c;
    el.appendChild(chunk(doc, g, boxes, at, inputIds, state.lastData, state.lastGrad, state.looks, ids, origin));
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
    if (c.ids.includes(g.output) && state.tabStop !== g.output) nodeEls[g.output].setAttribute("tabindex", "-1");
    if (c.ids.includes(state.tabStop)) nodeEls[state.tabStop].setAttribute("tabindex", "0");
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

  /** @type {Map<number, Unit>} closed group id -> its box as a unit (never culled: its numbers
   * wait while it is out of sight) */
  let boxUnits = new Map();
  /** @type {Map<number, HTMLElement>} drawn group id -> its box */
  const groupEls = new Map();
  /** @type {Int32Array | null} the representatives (Visible.rep) the hidden nodes were last indexed by */
  let indexedRep = null;

  /**
   * The box of drawn group `grp`, in a container whose corner is at `origin`: an open one
   * holds its child groups' boxes and its own nodes' chunks.
   * @param {number} grp
   * @param {[number, number]} origin
   * @returns {HTMLElement}
   */
  function drawBox(grp, origin) {
    const dn = /** @type {Net} */ (state.drawnNet);
    const box = groupShell(doc, g, dn, grp, origin, state.lastData, state.lastGrad, state.looks);
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
    const mine = state.own.get(c);
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
    const mine = state.own.get(c) ?? [];
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
      state.boxIds = [];
      /** @type {Map<number, Unit>} */
      const units = new Map();
      for (const grp of dn.visible.closed) {
        const o = dn.repNode[grp];
        const box = groupEls.get(grp);
        if (o < 0 || !box) continue;
        state.boxIds.push(o);
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
      // A hidden node whose box is the one it was indexed by keeps its element: a box is drawn
      // anew only when its group opens, closes or comes into sight, and each of those gives
      // the nodes in it another representative.
      const { rep } = dn.visible;
      const before = indexedRep;
      indexedRep = rep;
      for (let i = 0; i < n; i++) {
        const item = rep[i];
        if (item < n || (before !== null && before[i] === item)) continue;
        chunkOf[i] = undefined;
        if (dn.repNode[item - n] !== i) nodeEls[i] = /** @type {SVGGElement} */ (/** @type {unknown} */ (groupEls.get(item - n)));
      }
    }
    state.drawnIds = [];
    for (const c of chunks) for (const id of c.ids) state.drawnIds.push(id);
    state.drawnIds.push(...state.boxIds);
    return shownFresh();
  }

  /** Show the state of the numbers of the nodes drawn anew (non-finite, hidden grads); returns them. */
  function shownFresh() {
    const { lastData, lastGrad, looks } = state;
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
      if (state.hidden?.[i]) updateNode(i, lastData[i], lastGrad[i], max);
    }
    const done = fresh;
    fresh = [];
    return done;
  }

  /** The chunks and the closed boxes, which update writes unit by unit. @returns {Unit[]} */
  function units() {
    return [...chunks, ...boxUnits.values()];
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
      if (meets(/** @type {{area: Window2D}} */ (unfilled.get(c)).area, view, CULL_MARGIN / state.scale)) reveal(c);
    }
  }

  return { addChunk, patch, indexed, fillChunk, waiting, nodeElement, units, cull, wake, show, groupEls };
}
