// aria-busy for live regions that can change on every slider event (the details panel, the
// step caption): screen readers announce the numbers once they rest, not at every change.

/** How long after the last live change screen readers are let to announce the region. */
export const QUIET_MS = 500;

/**
 * A tracker for one live region: `changed(element, live)` after each update, where `live` means
 * the same content with new numbers (mark it busy until changes have rested for QUIET_MS) and
 * anything else is announced at once; `stop()` when the region goes away.
 * @returns {{changed: (element: Element, live: boolean) => void, stop: () => void}}
 */
export function busyWhileLive() {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Element | null} */
  let region = null;
  const quiet = () => {
    clearTimeout(timer);
    timer = undefined;
    region?.removeAttribute("aria-busy");
  };
  return {
    changed(element, live) {
      region = element;
      if (!live) {
        quiet();
        return;
      }
      element.setAttribute("aria-busy", "true");
      clearTimeout(timer);
      timer = setTimeout(quiet, QUIET_MS);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
