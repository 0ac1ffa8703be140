// A widget in a DOM for Node tests: a jsdom window, the exported page's own model (host.js) and
// readers for what the widget draws. Used by widget.test.js (the whole widget, through its
// render) and widget/controller.test.js (the controller with features of the test's own).

import { JSDOM } from "jsdom";

import { createModel } from "../host/host.js";
import { xyz } from "./sample-graphs.js";

/** @typedef {import("../host/host.js").PageModel} PageModel */
/** @typedef {import("jsdom").DOMWindow} DOMWindow */
/** @typedef {(host: {model: PageModel, el: HTMLElement}) => () => void} Render */

/** The sliders of the xyz graph: z = x*y + x**2 at x = 2, y = 3. */
export const INPUTS = Object.freeze([
  Object.freeze({ name: "x", id: 0, value: 2, min: -5, max: 5, step: 0.05 }),
  Object.freeze({ name: "y", id: 1, value: 3, min: -10, max: 10, step: 0.1 }),
]);

/** A fresh page; pretendToBeVisual gives it requestAnimationFrame, as a tab that paints has. */
export function newWindow() {
  return new JSDOM("<!DOCTYPE html><html><head></head><body></body></html>", { pretendToBeVisual: true }).window;
}

/**
 * Render a widget of the xyz graph (or of `state`'s keys) into a new element of `win`'s page.
 * @param {DOMWindow} win
 * @param {Render} render
 * @param {Record<string, unknown>} [state] model keys over the defaults
 */
export function mount(win, render, state = {}) {
  const model = createModel({ graph: xyz(), inputs: INPUTS.map((s) => ({ ...s })), selected: null, step: null, ...state });
  const el = win.document.createElement("div");
  win.document.body.appendChild(el);
  const cleanup = render({ model, el });
  /** @param {string} selector */
  const one = (selector) => {
    const found = el.querySelector(selector);
    if (!found) throw new Error(`nothing matches ${selector}`);
    return /** @type {HTMLElement} */ (found);
  };
  /** @param {number} id */
  const node = (id) => one(`[data-node-id="${id}"]`);
  /** @type {(id: number, name: string) => string | null} */
  const field = (id, name) => node(id).querySelector(`[data-field="${name}"]`)?.textContent ?? null;
  return {
    model,
    el,
    cleanup,
    one,
    node,
    /** @param {number} id */
    data: (id) => field(id, "data"),
    /** @param {number} id */
    grad: (id) => field(id, "grad"),
    /** @param {string} name */
    slider: (name) => /** @type {HTMLInputElement} */ (one(`input[data-input="${name}"]`)),
    /** @param {string} action */
    button: (action) => one(`button[data-action="${action}"]`),
  };
}

/**
 * Move a slider to `value` with an `input` (during a drag) or `change` (its end) event.
 * @param {DOMWindow} win
 * @param {HTMLInputElement} slider
 * @param {number} value
 * @param {"input" | "change"} type
 */
export function move(win, slider, value, type) {
  slider.value = String(value);
  slider.dispatchEvent(new win.Event(type, { bubbles: true }));
}

/**
 * The next animation frame of `win`'s page: resolves once its callbacks (the widget's first)
 * have run. A slider's moves within one frame are drawn once; awaiting this draws the next at once.
 * @param {DOMWindow} win
 * @returns {Promise<void>}
 */
export function nextFrame(win) {
  return new Promise((resolve) => win.requestAnimationFrame(() => resolve()));
}

/**
 * @param {DOMWindow} win
 * @param {Element} target
 */
export function click(win, target) {
  target.dispatchEvent(new win.MouseEvent("click", { bubbles: true, cancelable: true }));
}

/**
 * A key pressed on `target`; returns whether the widget took it (called preventDefault).
 * @param {DOMWindow} win
 * @param {Element} target
 * @param {string} key
 * @param {KeyboardEventInit} [init]
 */
export function press(win, target, key, init = {}) {
  const event = new win.KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event.defaultPrevented;
}
