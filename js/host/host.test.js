// host.js: the exported page's model objects, its loader and its height reports, in a jsdom page.
import assert from "node:assert/strict";
import { test } from "node:test";

import { JSDOM } from "jsdom";

import { HEIGHT_MESSAGE, createModel, importSource, mountPage, reportHeight, startPage } from "./host.js";

/** @typedef {import("./host.js").HostWindow} HostWindow */
/** @typedef {import("./host.js").PageModel} PageModel */

/**
 * A stand-in (a jsdom window, or a few of a window's members) where the host wants a window.
 * @param {object} fake
 * @returns {HostWindow}
 */
function asWindow(fake) {
  return /** @type {HostWindow} */ (/** @type {unknown} */ (fake));
}

test("a model gets, sets and tells its listeners synchronously, as anywidget's does", () => {
  const state = { a: 1, b: [1, 2] };
  const model = createModel(state);
  /** @type {unknown[][]} */
  const heard = [];
  /** @param {unknown} value */
  const onA = (value) => heard.push(["a", value]);
  model.on("change:a", onA);
  model.on("change:b change", (...args) => heard.push(["b or any", ...args]));
  model.set("a", 2);
  assert.deepEqual(heard, [["a", 2], ["b or any"]]);
  assert.equal(model.get("a"), 2);
  assert.equal(state.a, 2, "the state object itself changes");
  heard.length = 0;
  model.set("a", 2);
  assert.deepEqual(heard, [], "setting the same value fires nothing");
  model.off("change:a", onA);
  model.set("a", 3);
  assert.deepEqual(heard, [["b or any"]]);
  model.off();
  model.set("b", [3]);
  assert.equal(heard.length, 1, "off() without arguments removes every listener");
  assert.equal(model.save_changes(), undefined);
  assert.equal(model.send({ any: "message" }), undefined);
});

test("a listener that removes itself while the event runs does not stop the others", () => {
  const model = createModel({ x: 0 });
  /** @type {string[]} */
  const calls = [];
  const first = () => {
    calls.push("first");
    model.off("change:x", first);
  };
  model.on("change:x", first);
  model.on("change:x", () => calls.push("second"));
  model.set("x", 1);
  model.set("x", 2);
  assert.deepEqual(calls, ["first", "second", "second"]);
});

/** A window with just the Blob and URL the loader uses, recording the blobs and URLs it made. */
function fakeWindow() {
  /** @type {FakeBlob[]} */
  const urls = [];
  /** @type {string[]} */
  const revoked = [];
  class FakeBlob {
    /**
     * @param {string[]} parts
     * @param {{type: string}} options
     */
    constructor(parts, options) {
      this.parts = parts;
      this.type = options.type;
    }
  }
  return {
    urls,
    revoked,
    Blob: FakeBlob,
    URL: {
      /** @param {FakeBlob} blob */
      createObjectURL(blob) {
        urls.push(blob);
        return `blob:fake/${urls.length}`;
      },
      /** @param {string} url */
      revokeObjectURL(url) {
        revoked.push(url);
      },
    },
  };
}

test("a module is imported from its source through a blob URL that is revoked after", async () => {
  const win = fakeWindow();
  const module = await importSource(asWindow(win), "export default 1;", async (url) => ({ url }));
  assert.equal(module.url, "blob:fake/1");
  assert.deepEqual(win.urls[0].parts, ["export default 1;"]);
  assert.equal(win.urls[0].type, "text/javascript");
  assert.deepEqual(win.revoked, ["blob:fake/1"]);
  await assert.rejects(
    importSource(asWindow(win), "broken", async () => {
      throw new SyntaxError("bad module");
    }),
    /bad module/,
  );
  assert.deepEqual(win.revoked, ["blob:fake/1", "blob:fake/2"], "revoked after a failure too");
});

const PAGE = `<!DOCTYPE html><html><body>
<div data-mgm-widget="mgm-state-0"></div>
<script type="application/json" id="mgm-state-0">{"graph": {"n": 1}, "selected": null}</script>
<div data-mgm-widget="mgm-state-1"></div>
<script type="application/json" id="mgm-state-1">{"graph": {"n": 2}, "selected": 0}</script>
<script type="application/json" id="mgm-bundle">"the bundle's source"</script>
</body></html>`;

/** A widget definition that records its calls. */
function recordingWidget() {
  /** @type {Array<[string, ...unknown[]]>} */
  const calls = [];
  return {
    calls,
    /** @param {{model: PageModel}} context */
    initialize: ({ model }) => calls.push(["initialize", model.get("graph").n]),
    /** @param {{model: PageModel, el: HTMLElement}} context */
    render: ({ model, el }) => {
      calls.push(["render", model.get("graph").n, el.dataset.mgmWidget]);
      el.textContent = `graph ${model.get("graph").n}`;
    },
  };
}

test("every widget of a page is rendered with a model of its own state", async () => {
  const { document } = new JSDOM(PAGE).window;
  const widget = recordingWidget();
  const models = await mountPage(document, widget);
  assert.deepEqual(widget.calls, [
    ["initialize", 1],
    ["render", 1, "mgm-state-0"],
    ["initialize", 2],
    ["render", 2, "mgm-state-1"],
  ]);
  assert.deepEqual(
    models.map((m) => m.get("selected")),
    [null, 0],
  );
  models[0].set("selected", 0);
  assert.equal(models[1].get("selected"), 0, "two models, two states");
  assert.equal(document.querySelector("[data-mgm-widget]")?.textContent, "graph 1");
});

test("a widget given as a function returning it is called first, as anywidget allows", async () => {
  const { document } = new JSDOM(PAGE).window;
  const widget = recordingWidget();
  await mountPage(document, async () => widget);
  assert.equal(widget.calls.filter(([what]) => what === "render").length, 2);
});

test("a mount point without its state script is an error that names it", async () => {
  const { document } = new JSDOM('<div data-mgm-widget="nowhere"></div>').window;
  await assert.rejects(mountPage(document, recordingWidget()), /no state script #nowhere/);
});

test("a page inside a frame reports its body's height to the parent, and only then", () => {
  /** @type {unknown[][]} */
  const posted = [];
  const { window } = new JSDOM("<body><p>hello</p></body>");
  window.document.body.getBoundingClientRect = () => window.DOMRect.fromRect({ height: 123.2 });
  /** @param {...unknown} args */
  const postMessage = (...args) => posted.push(args);
  const framed = { document: window.document, parent: { postMessage } };
  reportHeight(asWindow(framed));
  assert.deepEqual(posted, [[{ type: HEIGHT_MESSAGE, height: 124 }, "*"]]);
  /** @type {{document: Document, parent?: unknown}} */
  const top = { document: window.document };
  top.parent = top;
  reportHeight(asWindow(top));
  assert.equal(posted.length, 1);
});

test("starting a page imports the bundle, renders, reports the height and marks it ready", async () => {
  const { window } = new JSDOM(PAGE);
  const widget = recordingWidget();
  /** @type {string[]} */
  const imported = [];
  /** @type {Array<{type: string}>} */
  const posted = [];
  /** @param {{type: string}} message */
  const postMessage = (message) => posted.push(message);
  Object.defineProperty(window, "parent", { value: { postMessage } });
  // jsdom has no blob: URLs; the browser's own are exercised by tests/e2e/test_export_page.py
  window.URL.createObjectURL = () => "blob:jsdom/1";
  window.URL.revokeObjectURL = () => {};
  const models = await startPage(asWindow(window), async (url) => {
    imported.push(url);
    return { default: widget };
  });
  assert.equal(imported.length, 1);
  assert.match(imported[0], /^blob:/);
  assert.equal(models.length, 2);
  assert.equal(window.document.documentElement.dataset.mgmReady, "true");
  assert.deepEqual(posted.map((m) => m.type), [HEIGHT_MESSAGE], "jsdom has no ResizeObserver: one report");
});

test("a page without a bundle is an error, and is not marked ready", async () => {
  const { window } = new JSDOM("<body></body>");
  const nothing = async () => ({ default: recordingWidget() });
  await assert.rejects(startPage(asWindow(window), nothing), /no widget bundle/);
  assert.equal(window.document.documentElement.dataset.mgmReady, undefined);
});
