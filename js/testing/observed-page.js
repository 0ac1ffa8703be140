// A page for tests of what the scene draws out of sight: its IntersectionObservers are the
// test's own (recorded, reporting only when the test says), and an MLP whose every input moves
// every card after it.
import { FEATURES } from "../widget.js";
import { createWidget } from "../widget/controller.js";
import { mount, newWindow } from "./harness.js";
import { mlp } from "./sample-graphs.js";

/**
 * @typedef {object} FakeObserver
 * @property {(entries: Array<{target: Element, isIntersecting: boolean}>) => void} callback
 * @property {{rootMargin?: string} | undefined} options
 * @property {Element[]} targets
 */

/**
 * A page whose IntersectionObservers are recorded and report only when the test says.
 * @returns {{win: import("./harness.js").DOMWindow, observers: FakeObserver[]}}
 */
export function pageWithObservers() {
  const win = newWindow();
  /** @type {FakeObserver[]} */
  const observers = [];
  class Observer {
    /**
     * @param {FakeObserver["callback"]} callback
     * @param {FakeObserver["options"]} options
     */
    constructor(callback, options) {
      /** @type {FakeObserver} */
      this.record = { callback, options, targets: [] };
      observers.push(this.record);
    }
    /** @param {Element} el */
    observe(el) {
      this.record.targets.push(el);
    }
    unobserve() {}
    disconnect() {
      this.record.targets = [];
    }
  }
  Object.assign(win, { IntersectionObserver: Observer });
  return { win, observers };
}

/** An MLP whose weights are not all zero, so that every input moves every card after it. */
export function weighted() {
  const graph = mlp(2, [8, 8, 1]);
  for (const node of graph.nodes) if (node.op === "" && node.id > 1) node.data = ((node.id * 7) % 5) / 3 - 0.6;
  return graph;
}

export const INPUTS = [
  { name: "x1", id: 0, value: 0.5, min: -2, max: 2, step: 0.01 },
  { name: "x2", id: 1, value: -0.5, min: -2, max: 2, step: 0.01 },
];

/**
 * The widget of the weighted MLP on a page with recorded observers, with the scene's cull
 * observer (the one with a root margin) and the chunks it watched at the first draw.
 */
export function mountWeighted() {
  const { win, observers } = pageWithObservers();
  const graph = weighted();
  const w = mount(win, (host) => createWidget(host, FEATURES), { graph, inputs: INPUTS });
  const cull = observers.find((o) => o.options?.rootMargin !== undefined);
  if (!cull) throw new Error("the scene observes no chunks against the window");
  const chunks = cull.targets.filter((el) => el.classList.contains("mgm-chunk"));
  return { win, w, graph, cull, chunks };
}
