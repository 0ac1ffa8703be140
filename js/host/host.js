// The exported page's host: what anywidget gives the widget in a notebook, without a kernel.
//
// An exported page (micrograd_magic/export.py) holds the widget bundle as JSON text
// (#mgm-bundle), one state script per widget (`<script type="application/json" id=...>`) and a
// mount point `<div data-mgm-widget="that id">` for each. The page runs this module (built into
// micrograd_magic/static/host.js by build.mjs, see page.js) as an inline module script: it
// imports the bundle from a `blob:` URL (a page opened from file:// may import a blob it made),
// gives each widget a model that follows the anywidget front-end contract, renders it, and
// reports the page's height to a parent frame so that an <iframe> can fit it.

/**
 * What `createModel` returns: the front-end half of anywidget's model.
 * @typedef {object} PageModel
 * @property {(name: string) => any} get
 * @property {(name: string, value: unknown) => void} set
 * @property {(event: string, handler: (...args: any[]) => void) => void} on
 * @property {(event?: string | null, handler?: ((...args: any[]) => void) | null) => void} off
 * @property {() => void} save_changes
 * @property {(...args: unknown[]) => void} send
 */

/**
 * A widget definition as anywidget takes it (the bundle's default export).
 * @typedef {object} WidgetDefinition
 * @property {(context: {model: PageModel}) => unknown} [initialize]
 * @property {(context: {model: PageModel, el: HTMLElement}) => unknown} render
 */

/** @typedef {WidgetDefinition | (() => WidgetDefinition | Promise<WidgetDefinition>)} WidgetExport */
/** @typedef {(url: string) => Promise<{default: WidgetExport}>} ImportModule */
/** @typedef {Window & typeof globalThis} HostWindow a page's window, with its constructors */

/** The message type a page posts to its parent frame with its height in pixels. */
export const HEIGHT_MESSAGE = "micrograd-magic:height";

/**
 * A model object for `state` (a plain object, changed in place): `get set on off save_changes
 * send`, the part of anywidget's model a widget's front end uses. Change events fire
 * synchronously on `set`, as Backbone models do: `change:<name>` with the new value, then
 * `change`. Setting a value that is already there (`===`) fires nothing. `save_changes` and
 * `send` have no kernel to reach, so they do nothing.
 * @param {Record<string, unknown>} state
 * @returns {PageModel}
 */
export function createModel(state) {
  /** @type {Map<string, Set<(...args: any[]) => void>>} */
  const handlers = new Map();
  /**
   * @param {string} event
   * @param {...unknown} args
   */
  const emit = (event, ...args) => {
    for (const handler of [...(handlers.get(event) ?? [])]) handler(...args);
  };
  return {
    get: (name) => state[name],
    set(name, value) {
      if (state[name] === value) return;
      state[name] = value;
      emit(`change:${name}`, value);
      emit("change");
    },
    on(event, handler) {
      for (const name of event.split(" ")) {
        const set = handlers.get(name) ?? new Set();
        handlers.set(name, set);
        set.add(handler);
      }
    },
    off(event, handler) {
      if (!event) {
        handlers.clear();
        return;
      }
      for (const name of event.split(" ")) {
        if (!handler) handlers.delete(name);
        else handlers.get(name)?.delete(handler);
      }
    },
    save_changes() {},
    send() {},
  };
}

/**
 * Import an ES module from its source text through a `blob:` URL of window `win`, revoked once
 * the import has settled. `importModule(url)` does the import (the default, `import()`, is what
 * a browser needs; tests pass their own).
 * @template T
 * @param {HostWindow} win
 * @param {string} source
 * @param {(url: string) => Promise<T>} [importModule]
 * @returns {Promise<T>}
 */
export async function importSource(win, source, importModule = (url) => import(url)) {
  const url = win.URL.createObjectURL(new win.Blob([source], { type: "text/javascript" }));
  try {
    return await importModule(url);
  } finally {
    win.URL.revokeObjectURL(url);
  }
}

/**
 * Render every widget of document `doc` with `widget` (the bundle's default export, or a
 * function returning it, as anywidget allows): each `[data-mgm-widget]` element gets a model
 * of the JSON state in the script its attribute names. Returns the models, in page order.
 * @param {Document} doc
 * @param {WidgetExport} widget
 * @returns {Promise<PageModel[]>}
 */
export async function mountPage(doc, widget) {
  const definition = typeof widget === "function" ? await widget() : widget;
  const models = [];
  /** @type {NodeListOf<HTMLElement>} */
  const mounts = doc.querySelectorAll("[data-mgm-widget]");
  for (const el of mounts) {
    const id = el.dataset.mgmWidget ?? "";
    const script = doc.getElementById(id);
    if (!script) throw new Error(`no state script #${id} for a widget`);
    const state = JSON.parse(script.textContent ?? "");
    if (models.length === 0) readFragment(doc.location?.hash ?? "", state);
    const model = createModel(state);
    rememberQuiz(doc, id, model);
    if (models.length === 0) writeFragment(doc, model);
    if (definition.initialize) await definition.initialize({ model });
    await definition.render({ model, el });
    models.push(model);
  }
  return models;
}

/**
 * Take up a shared state from a URL fragment, `#x=1.5&y=-2&select=x&step=3`, into the first
 * widget's `state` (changed in place): slider values by input name (kept inside their ranges),
 * the selected node by label or id, the step-through position. Anything else is ignored.
 * @param {string} hash
 * @param {Record<string, any>} state
 */
export function readFragment(hash, state) {
  if (!hash || hash === "#") return;
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  if (Array.isArray(state.inputs)) {
    state.inputs = state.inputs.map((/** @type {Record<string, any>} */ s) => {
      const text = params.get(s.name);
      const value = text === null || text.trim() === "" ? NaN : Number(text);
      if (!Number.isFinite(value)) return s;
      return { ...s, value: Math.min(s.max, Math.max(s.min, value)) };
    });
  }
  const nodes = Array.isArray(state.graph?.nodes) ? state.graph.nodes : [];
  const select = params.get("select");
  if (select !== null) {
    const byLabel = nodes.filter((/** @type {{label?: string}} */ n) => n.label === select);
    const id = byLabel.length === 1 ? byLabel[0].id : Number(select);
    if (Number.isInteger(id) && id >= 0 && id < nodes.length) state.selected = id;
  }
  const step = params.get("step");
  if (step !== null && /^\d+$/.test(step)) state.step = Number(step);
}

/**
 * Keep the page's URL fragment saying the first widget's sliders, selection and step, so that
 * a copied link opens this very state (readFragment). The history is replaced, not added to.
 * @param {Document} doc
 * @param {PageModel} model
 */
export function writeFragment(doc, model) {
  const win = doc.defaultView;
  if (!win?.history?.replaceState) return;
  model.on("change", () => {
    const params = new URLSearchParams();
    for (const s of model.get("inputs") ?? []) params.set(s.name, String(s.value));
    const selected = model.get("selected");
    if (selected !== null && selected !== undefined) {
      const nodes = model.get("graph")?.nodes ?? [];
      const label = nodes[selected]?.label;
      const unique = label && nodes.filter((/** @type {{label?: string}} */ n) => n.label === label).length === 1;
      params.set("select", unique ? label : String(selected));
    }
    const step = model.get("step");
    if (step !== null && step !== undefined) params.set("step", String(step));
    try {
      win.history.replaceState(win.history.state, "", `#${params}`);
    } catch {
      // some file: pages refuse: the link then just opens the page as exported
    }
  });
}

/**
 * A quiz page remembers its progress in the browser's storage for that page: the saved
 * `quiz_progress` of widget `id` is taken up before it is drawn, and every change is saved.
 * Storage may be refused (private windows, some file: pages): the quiz then starts afresh.
 * @param {Document} doc
 * @param {string} id
 * @param {PageModel} model
 */
export function rememberQuiz(doc, id, model) {
  if (!model.get("quiz")) return;
  const key = `micrograd-magic:quiz:${doc.location?.pathname ?? ""}:${id}`;
  try {
    const storage = doc.defaultView?.localStorage;
    if (!storage) return;
    const saved = storage.getItem(key);
    if (saved !== null) model.set("quiz_progress", JSON.parse(saved));
    model.on("change:quiz_progress", (value) => {
      try {
        storage.setItem(key, JSON.stringify(value));
      } catch {
        // full or refused: the progress stays in the page until it is closed
      }
    });
  } catch {
    // no storage here: the quiz starts afresh every time
  }
}

/**
 * Post the height of `win`'s page to its parent frame, if it has one. The body's own height,
 * not the document's scrollHeight, which never drops below the frame's height and so could
 * only ever grow.
 * @param {HostWindow} win
 */
export function reportHeight(win) {
  if (win.parent === win) return;
  const height = Math.ceil(win.document.body.getBoundingClientRect().height);
  win.parent.postMessage({ type: HEIGHT_MESSAGE, height }, "*");
}

/**
 * Run the page in window `win`: import the bundle from #mgm-bundle, render every widget, keep
 * the parent frame told of the page's height, and mark `<html data-mgm-ready>` once all are
 * drawn (the hook tests wait for). Returns the models. `importModule` as for importSource.
 * @param {HostWindow} win
 * @param {ImportModule} [importModule]
 * @returns {Promise<PageModel[]>}
 */
export async function startPage(win, importModule = undefined) {
  const doc = win.document;
  const bundle = doc.getElementById("mgm-bundle");
  if (!bundle) throw new Error("this page holds no widget bundle (#mgm-bundle)");
  const module = await importSource(win, JSON.parse(bundle.textContent ?? ""), importModule);
  const models = await mountPage(doc, module.default);
  if (win.ResizeObserver) new win.ResizeObserver(() => reportHeight(win)).observe(doc.body);
  else reportHeight(win);
  doc.documentElement.dataset.mgmReady = "true";
  return models;
}
