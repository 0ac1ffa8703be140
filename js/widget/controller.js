// The widget's controller: it draws the model's graph and runs the features that make it live.
//
// A feature (js/features/) is one named piece of behaviour: the sliders, zoom, the
// step-through, selection, the details panel, keyboard navigation, the legend. For each drawn
// graph the controller calls every feature's `create(ctx)` in the order of the feature list
// (widget.js) and gets back its hooks (see Hooks below). The controller itself only:
// - draws the graph: parse it, lay it out (once per structure), and build the frame that every
//   feature shares (the scene, its viewport, the toolbar; widget/frame.js);
// - owns the shared state (the numbers, the selected node, the step position) and the commands
//   that change it (`select`, `setStep`, `refresh`), each of which tells every feature through
//   its `refresh` hook;
// - follows the model: a new graph structure or a new set of sliders draws everything again
//   (features are destroyed and created anew); new numbers for the same structure become a
//   refresh; other open groups (`open_groups`, setOpen) change the scene in place and tell the
//   features through their `redrawn` hook; every other key goes to the features that follow it
//   (`modelKeys`);
// - dispatches the user's input that several features share: a click on any `[data-action]`
//   button to the feature that declared that action, and a key on a focused node to each
//   feature's `nodeKey` until one takes it.
//
// Model keys (see docs/architecture.md): `graph` (schema-1 JSON, Python -> JS), `inputs`
// ([{name, id, value, min, max, step}], both ways), `selected` (a node id or null, both ways)
// and `step` (null in normal mode, else the number of backprop steps done, both ways).

import { checkLeaf, parseGraph } from "../core/engine.js";
import { nodeBoxes } from "../layout/geometry.js";
import { createCompoundLayout } from "../layout/compound.js";
import { layoutGraph } from "../layout/index.js";
import { openFromPaths, pathsOf } from "../view/network.js";
import { ensureStyle } from "../view/style.js";
import { createFrame } from "./frame.js";
import { createModelSync } from "./model-sync.js";
import { netDrawing, slideBoxes } from "./network.js";
import { createNumbers } from "./numbers.js";

/** @typedef {import("../core/engine.js").GraphJSON} GraphJSON */
/** @typedef {import("../core/engine.js").ParsedGraph} ParsedGraph */
/** @typedef {import("../layout/geometry.js").Box} Box */
/** @typedef {import("../layout/index.js").Layout} Layout */
/** @typedef {import("../view/render.js").Scene} Scene */
/** @typedef {import("../view/viewport.js").Viewport} Viewport */
/** @typedef {import("../view/toolbar.js").Toolbar} Toolbar */
/** @typedef {import("../view/controls.js").ZoomRoom} ZoomRoom */
/** @typedef {import("./model-sync.js").Model} Model */
/** @typedef {import("./model-sync.js").ModelSync} ModelSync */
/** @typedef {import("./model-sync.js").InputSpec} InputSpec */
/** @typedef {import("./numbers.js").Numbers} Numbers */
/** @typedef {import("./frame.js").Slot} Slot */
/** @typedef {import("./network.js").Network} Network */
/** @typedef {import("../layout/compound.js").CompoundLayouter} CompoundLayouter */

/**
 * What changed, for the `refresh` hook; several at once when one change implies another.
 * @typedef {object} Change
 * @property {boolean} [numbers] the data and grads (a slider moved, the kernel sent new numbers)
 * @property {boolean} [selection] the selected node
 * @property {boolean} [opening] the selection came with opening a box (its output): what only
 *   explains it may wait for the frame after the one that shows the box open
 * @property {boolean} [step] the step-through position, and with it the grads shown
 * @property {boolean} [inputs] a feature set the slider values (numbers.setValues, a training
 *   step): the sliders follow and the kernel is told once such changes rest
 */

/**
 * What a feature does for one drawn graph: what its `create(ctx)` returns. Every member is
 * optional; the controller calls each hook on the features in list order.
 * @typedef {object} Hooks
 * @property {(change: Change) => void} [refresh] the shared state changed: redraw what shows it
 *   (read it from ctx.numbers, ctx.state and ctx.shownGrad())
 * @property {Record<string, () => void>} [actions] handlers by `data-action`: a click on an
 *   enabled button with that action anywhere in the widget runs it (one feature per action)
 * @property {(event: KeyboardEvent, id: number) => boolean} [nodeKey] a key pressed on node
 *   `id` (which has the focus; keys with Alt, Ctrl or Meta never come here): return true when
 *   handled, and the controller stops the event
 * @property {Record<string, (value: any) => void>} [modelKeys] handlers by model key, run with
 *   the key's new value whenever the model's value changes (the kernel's word, a snap-back);
 *   check the value, the model may hold anything. `graph` and `inputs` come here only when
 *   the structure and the sliders stayed the same (otherwise everything is drawn again)
 * @property {(scale: number, room: ZoomRoom) => void} [zoomed] the viewport's scale changed
 * @property {() => void} [redrawn] the same graph was drawn again in place with other groups
 *   open (ctx.setOpen, the model's open_groups): the scene keeps its marks, hidden grads, tab
 *   stop and zoom, but nodes may have new elements and positions (ctx.drawing.layout)
 * @property {() => void} [start] every feature exists: take up the model's state (the
 *   selection and step of a re-displayed widget or an exported page)
 * @property {() => void} [destroy] the graph is going away (a new structure, or cleanup): stop
 *   timers and listeners outside the widget's own elements, which are removed for you
 */

/**
 * One feature of the widget: a name and what it does for each drawn graph.
 * @typedef {object} Feature
 * @property {string} name unique; says what the feature is in errors
 * @property {(ctx: Context) => Hooks} create
 */

/**
 * The graph on screen, as drawn.
 * @typedef {object} Drawing
 * @property {GraphJSON} json the model's `graph` (a new object with new numbers for the same
 *   structure replaces it)
 * @property {InputSpec[]} specs the sliders as built (names and leaves do not change)
 * @property {Int32Array} ids each slider's leaf id
 * @property {Box[]} boxes each node's box (layout/geometry.js)
 * @property {Layout} layout each node's position and the edges' routes
 * @property {Network | null} network the groups and how they are drawn, for a graph with groups
 *   (drawn as a network of boxes: widget/network.js); null for a flat graph
 */

/**
 * The selection and step position: what the user is looking at.
 * @typedef {object} State
 * @property {number | null} selected the selected node's id, or null
 * @property {number | null} step the step-through position (0..steps), or null outside step mode
 */

/**
 * Everything the features of one drawn graph share. Features read the state; they change it
 * only through the commands, which tell every feature.
 * @typedef {object} Context
 * @property {Document} doc
 * @property {HTMLElement} root the widget's element (`.mgm-root`)
 * @property {ModelSync} model the model's keys: get, save, follow
 * @property {Drawing} drawing
 * @property {Numbers} numbers the slider values, data and grads (numbers.g is the parsed graph)
 * @property {Readonly<State>} state
 * @property {Scene} scene the drawing of the nodes and edges (view/render.js)
 * @property {Viewport} viewport the pannable, zoomable window onto the scene
 * @property {Toolbar} toolbar add a group of buttons with toolbar.group and toolbar.button
 * @property {(slot: Slot, node: Node) => void} place put an element into the widget: "top"
 *   (above the toolbar), "status" (below it), "main" (under the graph), "side" (beside it)
 * @property {() => Float64Array} shownGrad the grads drawn now: the full pass, or in step mode
 *   those after the steps done so far
 * @property {(change: Change) => void} refresh tell every feature that the state changed
 *   (after changing ctx.numbers, say)
 * @property {(id: number | null, options?: {save?: boolean, opening?: boolean}) => void} select
 *   select node `id` (null: clear) and, unless `save` is false (a change that came from the
 *   model), tell the model; `opening`: the node is the output of a box being opened
 * @property {(step: number | null, options?: {save?: boolean}) => void} setStep go to step
 *   position `step` (null: normal mode), telling the model likewise
 * @property {(id: number, options?: {reveal?: boolean}) => void} focusNode move the keyboard
 *   focus to node `id`, the graph's tab stop from now on, scrolling it into view unless
 *   `reveal` is false
 * @property {(id: number) => void} reveal scroll node `id` into view if it is not
 * @property {(open: ReadonlySet<number>, options?: {anchor?: number}) => void} setOpen draw
 *   the graph's groups with those in `open` (ids) open and tell the model (open_groups): the
 *   scene changes in place and the features stay (their `redrawn` hook runs); the numbers,
 *   selection, step and zoom stay. The box of group `anchor` keeps its place on screen
 */

/** Width of one character of the 12 px monospace font, a little generous (0.6 em is typical). */
const CHAR_WIDTH = 7.3;

// Layouts by graph JSON object: two views of one model (the same widget displayed twice) lay
// out once.
/** @type {WeakMap<object, Layout>} */
const layouts = new WeakMap();
/** @type {WeakMap<object, CompoundLayouter>} likewise, the compound layouters of graphs with groups */
const layouters = new WeakMap();

/** Model keys whose change may mean a new drawing; the controller looks at them first. */
const STRUCTURAL_KEYS = new Set(["graph", "inputs"]);

/**
 * @typedef {object} Live
 * @property {Context} ctx
 * @property {Hooks[]} hooks in feature order
 * @property {Map<string, () => void>} actions
 * @property {Array<() => void>} unfollow
 * @property {() => void} destroyFrame
 */

/**
 * Render the widget for `model` into `el` with `features` (in this order); returns the
 * function that removes it (anywidget's render contract).
 * @param {{model: Model, el: HTMLElement}} host
 * @param {ReadonlyArray<Feature>} features
 * @returns {() => void}
 */
export function createWidget({ model, el }, features) {
  checkFeatures(features);
  ensureStyle(el);
  const doc = el.ownerDocument;
  const root = doc.createElement("div");
  root.className = "mgm-root";
  el.appendChild(root);
  const sync = createModelSync(model);
  /** @type {Live | null} the drawn graph and its features; null while showing an error */
  let live = null;

  function build() {
    teardown();
    root.replaceChildren();
    const json = sync.get("graph");
    /** @type {InputSpec[]} */
    const specs = sync.get("inputs") ?? [];
    let g;
    let ids;
    try {
      g = parseGraph(json);
      const parsed = g;
      ids = Int32Array.from(specs, (s) => {
        try {
          return checkLeaf(parsed, s.id);
        } catch (err) {
          throw new Error(`input '${s.name}': ${messageOf(err)}`);
        }
      });
    } catch (err) {
      const box = doc.createElement("div");
      box.className = "mgm-error";
      box.textContent = `micrograd_magic cannot draw this graph: ${messageOf(err)}`;
      root.appendChild(box);
      return;
    }
    const boxes = nodeBoxes(g, CHAR_WIDTH);
    const tree = g.groups?.count ? g.groups : null;
    let layout = layouts.get(json);
    /** @type {Network | null} */
    let network = null;
    if (tree) {
      let layouter = layouters.get(json);
      if (!layouter) {
        layouter = createCompoundLayout(g, tree, boxes);
        layouters.set(json, layouter);
      }
      const drawn = netDrawing(g, tree, layouter, openFromPaths(tree, sync.get("open_groups")));
      layout = drawn.layout;
      network = { tree, layouter, net: drawn.net, edgeGrads: false, focus: -1 };
    } else if (!layout) {
      layout = layoutGraph(g, boxes);
      layouts.set(json, layout);
    }
    const drawing = { json, specs, ids, boxes, layout, network };
    const numbers = createNumbers(g, ids, specs.map((s) => s.value));
    live = start(drawing, numbers);
  }

  /**
   * Build the frame and the features for a drawing, and take up the model's state.
   * @param {Drawing} drawing
   * @param {Numbers} numbers
   * @returns {Live}
   */
  function start(drawing, numbers) {
    /** @type {Hooks[]} */
    const hooks = [];
    const frame = createFrame(doc, root, drawing, numbers, {
      onZoom: (scale, room) => {
        for (const h of hooks) h.zoomed?.(scale, room);
      },
    });
    const { scene, viewport } = frame;
    /** @type {State} */
    const state = { selected: null, step: null };
    /** @type {Float64Array | null} the grads shown, until the next refresh */
    let shown = null;

    /** @param {Change} change */
    function refresh(change) {
      shown = null;
      for (const h of hooks) h.refresh?.(change);
    }

    /** @type {Context} */
    const ctx = {
      doc,
      root,
      model: sync,
      drawing,
      numbers,
      state,
      scene,
      viewport,
      toolbar: frame.toolbar,
      place: frame.place,
      shownGrad: () => {
        shown ??= numbers.gradsShown(state.step);
        return shown;
      },
      refresh,
      select(id, { save = true, opening = false } = {}) {
        if (id !== state.selected) {
          state.selected = id;
          refresh({ selection: true, opening });
        }
        if (save && sync.get("selected") !== id) sync.save({ selected: id });
      },
      setStep(step, { save = true } = {}) {
        state.step = step;
        refresh({ step: true });
        if (save && (sync.get("step") ?? null) !== step) sync.save({ step });
      },
      focusNode(id, { reveal = true } = {}) {
        scene.setTabStop(id);
        if (reveal) viewport.reveal(scene.nodeBox(id));
        scene.wake(id);
        const node = scene.nodeElement(id);
        if (node.ownerDocument.activeElement !== node) node.focus({ preventScroll: true });
      },
      reveal: (id) => viewport.reveal(scene.nodeBox(id)),
      setOpen: (open, { anchor = -1 } = {}) => redraw(open, anchor, true),
    };

    /** @type {Map<string, () => void>} */
    const actions = new Map();
    /** @type {Array<() => void>} */
    const unfollow = [];
    for (const feature of features) {
      const h = feature.create(ctx);
      hooks.push(h);
      for (const [action, handler] of Object.entries(h.actions ?? {})) {
        if (actions.has(action)) throw new Error(`feature '${feature.name}': action '${action}' is taken`);
        actions.set(action, handler);
      }
      for (const [key, handler] of Object.entries(h.modelKeys ?? {})) {
        if (!STRUCTURAL_KEYS.has(key)) unfollow.push(sync.follow(key, handler));
      }
    }
    scene.nodesElement.addEventListener("keydown", (event) => onNodeKey(hooks, scene, event));
    for (const h of hooks) h.start?.();
    viewport.startWhenSized();
    return { ctx, hooks, actions, unfollow, destroyFrame: frame.destroy };
  }

  function teardown() {
    if (!live) return;
    for (const stop of live.unfollow) stop();
    for (const h of [...live.hooks].reverse()) h.destroy?.();
    live.destroyFrame();
    live = null;
  }

  /** A new graph: same structure -> just new numbers; otherwise lay out and draw again. */
  function onModelGraph() {
    if (!live) return build();
    const json = sync.get("graph");
    let g;
    try {
      g = parseGraph(json);
    } catch {
      return build(); // shows the error
    }
    const { ctx } = live;
    if (!sameStructure(g, ctx.numbers.g)) return build();
    const layout = layouts.get(ctx.drawing.json);
    if (layout) layouts.set(json, layout);
    const layouter = layouters.get(ctx.drawing.json);
    if (layouter) layouters.set(json, layouter);
    ctx.drawing.json = json;
    ctx.numbers.setGraph(g);
    ctx.refresh({ numbers: true });
    for (const h of live.hooks) h.modelKeys?.graph?.(json);
  }

  /**
   * Draw the groups with those in `open` open, keeping the numbers, selection, step and zoom,
   * and the box of group `anchor` (if any) where it was on screen.
   * @param {ReadonlySet<number>} open
   * @param {number} anchor
   * @param {boolean} save tell the model
   */
  function redraw(open, anchor, save) {
    const network = live?.ctx.drawing.network;
    if (!live || !network) return;
    const { drawing, numbers, viewport, scene } = live.ctx;
    const now = network.net.open;
    if (open.size === now.size && [...open].every((grp) => now.has(grp))) return;
    const el = viewport.element;
    const scale = Number(el.getAttribute("data-zoom")) || 1;
    // every read of the page's layout before the first write, so that nothing forces a layout
    const anchorEl = anchor >= 0 ? scene.groupElement(anchor) : undefined;
    const r = anchorEl ? el.getBoundingClientRect() : undefined;
    const was = anchorEl?.getBoundingClientRect();
    let [left, top] = [el.scrollLeft, el.scrollTop];
    const [wide, high] = [el.clientWidth, el.clientHeight];
    const before = network.net.cl;
    const drawn = netDrawing(numbers.g, network.tree, network.layouter, open, network.net);
    network.net = drawn.net;
    drawing.layout = drawn.layout;
    const { cl } = drawn.net;
    const anchored = was && r && !Number.isNaN(cl.groupLeft[anchor]);
    if (anchored) {
      left = cl.groupLeft[anchor] * scale - (was.left - r.left);
      top = cl.groupTop[anchor] * scale - (was.top - r.top);
    }
    // the part of the drawing on screen once drawn (none known in a page that lays nothing out)
    // (where the browser will clamp the scroll: the drawing's size is known to within the
    // output mark, less than the scene's margin for edges)
    left = Math.max(0, Math.min(left, drawn.layout.width * scale - wide));
    top = Math.max(0, Math.min(top, drawn.layout.height * scale - high));
    const view = wide > 0 ? { left: left / scale, top: top / scale, width: wide / scale, height: high / scale } : null;
    scene.setNet(drawn.net, drawn.layout, view);
    // The slide's start before the scroll: writing the scroll forces the one style and layout
    // of the click, with the boxes at their start, so the focus in `redrawn` forces none.
    const win = doc.defaultView;
    if (win) slideBoxes(win, (grp) => scene.groupElement(grp), network.tree, before, cl, anchor, view);
    if (anchored) [el.scrollLeft, el.scrollTop] = [left, top];
    for (const h of live.hooks) h.redrawn?.();
    // after drawing: the model tells its own followers (this widget too) at once
    if (save) sync.save({ open_groups: pathsOf(network.tree, open) });
  }

  /** The model's open_groups changed (the kernel's word, a snap-back): draw them. @param {unknown} value */
  function onModelOpen(value) {
    const network = live?.ctx.drawing.network;
    if (network) redraw(openFromPaths(network.tree, value), -1, false);
  }

  /** Python set `inputs` (or rejected ours and sent its own back): the same sliders, or new ones. */
  function onModelInputs() {
    if (!live) return build();
    /** @type {InputSpec[]} */
    const specs = sync.get("inputs") ?? [];
    const { drawing } = live.ctx;
    const sameSliders =
      specs.length === drawing.specs.length &&
      specs.every((s, j) => s.name === drawing.specs[j].name && s.id === drawing.ids[j]);
    if (!sameSliders) return build();
    for (const h of live.hooks) h.modelKeys?.inputs?.(specs);
  }

  /** A click on an enabled `[data-action]` button runs the feature's handler for that action. @param {Event} event */
  function onClick(event) {
    const target = /** @type {Element | null} */ (event.target);
    const button = target?.closest?.("button[data-action]");
    if (!live || !button || !root.contains(button) || button.getAttribute("aria-disabled") === "true") return;
    live.actions.get(button.getAttribute("data-action") ?? "")?.();
  }

  const stopGraph = sync.follow("graph", onModelGraph);
  const stopInputs = sync.follow("inputs", onModelInputs);
  const stopOpen = sync.follow("open_groups", onModelOpen);
  root.addEventListener("click", onClick);
  build();

  return () => {
    stopGraph();
    stopInputs();
    stopOpen();
    teardown();
    root.remove();
  };
}

/**
 * A key on a focused node goes to each feature's nodeKey until one handles it.
 * @param {Hooks[]} hooks
 * @param {Scene} scene
 * @param {KeyboardEvent} event
 */
function onNodeKey(hooks, scene, event) {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const id = scene.nodeId(event.target);
  if (id === null) return;
  for (const h of hooks) {
    if (h.nodeKey?.(event, id)) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
  }
}

/**
 * Features need unique names; a list with a repeated one is a programming error.
 * @param {ReadonlyArray<Feature>} features
 */
function checkFeatures(features) {
  const names = new Set();
  for (const f of features) {
    if (names.has(f.name)) throw new Error(`two features are named '${f.name}'`);
    names.add(f.name);
  }
}

/**
 * Whether two parsed graphs have the same nodes, ops, operands, exponents and labels.
 * @param {ParsedGraph} g
 * @param {ParsedGraph} h
 */
export function sameStructure(g, h) {
  if (g.size !== h.size || g.output !== h.output) return false;
  for (let i = 0; i < g.size; i++) {
    if (g.ops[i] !== h.ops[i] || g.a[i] !== h.a[i] || g.b[i] !== h.b[i]) return false;
    if (!Object.is(g.k[i], h.k[i]) || g.labels[i] !== h.labels[i]) return false;
  }
  return true;
}

/** @param {unknown} err */
function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}
