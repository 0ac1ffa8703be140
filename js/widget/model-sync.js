// The widget's link to its model: anywidget's model object in a notebook, or the exported page's
// in-page one (host/host.js). Reading keys, writing them back, following their changes, and
// the debounce that keeps a slider drag from writing to the kernel on every event.
//
// Writing may fail where there is no kernel (MyST's anywidget host throws "save_changes not
// implemented"); the page then simply keeps its own state.

/**
 * The part of anywidget's model object that the widget uses (the exported page's host gives
 * the same). Change events fire as `change:<key>` with the new value.
 * @typedef {object} Model
 * @property {(key: string) => any} get
 * @property {(key: string, value: unknown) => void} set
 * @property {(event: string, handler: (...args: any[]) => void) => void} on
 * @property {(event?: string | null, handler?: ((...args: any[]) => void) | null) => void} off
 * @property {() => void} save_changes
 */

/**
 * One slider, as the `inputs` key holds it (state.py's InputSpec): the leaf it moves, its range,
 * step and value.
 * @typedef {object} InputSpec
 * @property {string} name
 * @property {number} id the leaf's node id
 * @property {number} value
 * @property {number} min
 * @property {number} max
 * @property {number} step
 */

/**
 * @typedef {object} ModelSync
 * @property {(key: string) => any} get the model's value for `key` (unchecked: check it before use)
 * @property {(changes: Record<string, unknown>) => void} save write keys to the model and send them
 *   to the kernel; a host that cannot send them keeps them locally
 * @property {(key: string, handler: (value: any) => void) => () => void} follow run `handler`
 *   with the new value whenever the model's `key` changes; returns the function that stops it
 */

/** Quiet time during a drag after which the inputs are written to the model. */
export const SYNC_DELAY_MS = 150;

/**
 * The widget's view of `model`.
 * @param {Model} model
 * @returns {ModelSync}
 */
export function createModelSync(model) {
  return {
    get: (key) => model.get(key),
    save(changes) {
      try {
        for (const [key, value] of Object.entries(changes)) model.set(key, value);
        model.save_changes();
      } catch {
        // No kernel to tell (MyST's anywidget host throws here): the page keeps its own state.
      }
    },
    follow(key, handler) {
      const listener = () => handler(model.get(key));
      model.on(`change:${key}`, listener);
      return () => model.off(`change:${key}`, listener);
    },
  };
}

/**
 * @typedef {object} Debounce
 * @property {() => void} schedule run the function once `delay` ms pass without another schedule
 * @property {() => void} cancel forget a scheduled run
 */

/**
 * Run `fn` once calls to `schedule` have rested for `delay` ms (a slider drag writes its values
 * when it pauses, not on every event).
 * @param {() => void} fn
 * @param {number} [delay]
 * @returns {Debounce}
 */
export function createDebounce(fn, delay = SYNC_DELAY_MS) {
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return {
    schedule() {
      cancel();
      timer = setTimeout(() => {
        timer = null;
        fn();
      }, delay);
    },
    cancel,
  };
}
