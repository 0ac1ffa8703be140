// Pan and zoom of the graph: the window (`.mgm-viewport`) onto the scaled drawing.
//
// The drawing is scaled by the scene's one CSS transform (render.js's setScale); the viewport
// clips it (overflow: hidden) and pans by its scroll offsets. It is deliberately not a scroll
// container for the user: a plain mouse wheel or a two-finger swipe over the graph scrolls the
// notebook or page as everywhere else, instead of getting caught in a very tall MLP.
// Panning is a drag (mouse, pen, or one finger sideways), zooming is Ctrl/Cmd + wheel (which is
// also what a trackpad pinch sends in Chrome, Edge and Firefox), a pinch (two fingers, or
// Safari's gesture events), the +/− buttons or keys, and "fit" shows the whole graph.
//
// The arithmetic is in small pure functions (tested in Node); createViewport wires it to the DOM.

/**
 * @typedef {object} Viewport
 * @property {HTMLElement} element the window (`.mgm-viewport`) holding the scene
 * @property {(target: number, anchor?: Anchor) => void} setZoom
 * @property {(factor: number, anchor?: Anchor) => void} zoomBy
 * @property {() => void} fit show the whole graph, from its top-left corner
 * @property {(box: {left: number, top: number, width: number, height: number}) => void} reveal
 *   scroll a box (unscaled drawing coordinates) into view, if it is not already
 * @property {() => void} startWhenSized fit the window's width once it has one, and again
 *   whenever it changes until the user zooms
 * @property {(scale: number) => void} setTextScale draw everything `scale` times larger (the
 *   large text for a lecture hall), refitting the width
 * @property {(id: () => number | null) => void} keepInView the node that a refit keeps in view
 *   (the selection); the output when it gives null
 * @property {() => void} destroy
 */

/** @typedef {{x: number, y: number}} Anchor a point within the window */
/** @typedef {import("./controls.js").ZoomRoom} ZoomRoom */

/** @type {Readonly<{step: number, max: number, min: number, fitMax: number, initialMin: number}>} */
export const ZOOM = Object.freeze({
  step: 1.25, // one press of + or −
  max: 2.5,
  min: 0.1, // lowered further when the whole graph only fits at a smaller scale
  fitMax: 1, // "fit" never enlarges a small graph beyond its natural size
  initialMin: 0.7, // a wide graph shrinks to the window's width, but no further (readable)
});

/** Pointer travel, in pixels, past which a press is a drag (a pan) rather than a click. */
export const DRAG_THRESHOLD = 4;

/** Room, in screen pixels, kept around a node brought into view. */
const REVEAL_MARGIN = 24;

/**
 * The scale at which a drawing `width` wide fits a window `boxWidth` wide: at most its natural
 * size and never below a readable one (a wider graph scrolls instead), both times `textScale`.
 * @param {number} width
 * @param {number} boxWidth
 * @param {number} [textScale]
 * @returns {number}
 */
export function widthFitScale(width, boxWidth, textScale = 1) {
  const fits = width > 0 && boxWidth > 0 ? boxWidth / width : ZOOM.fitMax;
  return textScale * Math.max(ZOOM.initialMin, Math.min(ZOOM.fitMax, fits / textScale));
}

/**
 * The scale at which a width x height drawing fits a box, at most ZOOM.fitMax.
 * @param {number} width
 * @param {number} height
 * @param {number} boxWidth
 * @param {number} boxHeight
 * @returns {number}
 */
export function fitScale(width, height, boxWidth, boxHeight) {
  if (!(width > 0 && height > 0 && boxWidth > 0 && boxHeight > 0)) return ZOOM.fitMax;
  return Math.min(ZOOM.fitMax, boxWidth / width, boxHeight / height);
}

/**
 * `scale` clamped to the zoom range; the low end reaches down to `fit` for huge graphs.
 * @param {number} scale
 * @param {number} [fit]
 * @returns {number}
 */
export function clampZoom(scale, fit = ZOOM.min) {
  const lo = Math.min(ZOOM.min, fit);
  return Math.min(ZOOM.max, Math.max(lo, scale));
}

/**
 * The scroll offset along one axis that keeps the drawing point under `anchor` (a position
 * within the viewport) in place when the scale goes from `from` to `to`.
 * @param {number} scroll
 * @param {number} anchor
 * @param {number} from
 * @param {number} to
 * @returns {number}
 */
export function zoomScroll(scroll, anchor, from, to) {
  return ((scroll + anchor) * to) / from - anchor;
}

/**
 * A scroll offset clamped to what a `content`-long drawing in a `view`-long window allows.
 * @param {number} scroll
 * @param {number} content
 * @param {number} view
 * @returns {number}
 */
export function clampScroll(scroll, content, view) {
  return Math.max(0, Math.min(scroll, content - view));
}

/**
 * The scroll offset along one axis that brings the segment [start, start + size] (scaled
 * drawing pixels) into a window of length `view` now at `scroll`: unchanged when it is already
 * in view, else centred on it.
 * @param {number} scroll
 * @param {number} view
 * @param {number} start
 * @param {number} size
 * @param {number} [margin]
 * @returns {number}
 */
export function revealScroll(scroll, view, start, size, margin = REVEAL_MARGIN) {
  if (start - margin >= scroll && start + size + margin <= scroll + view) return scroll;
  return start + size / 2 - view / 2;
}

/**
 * The zoom factor for one wheel event (deltaY in pixels, lines or pages, as deltaMode says).
 * @param {number} deltaY
 * @param {number} [deltaMode]
 * @returns {number}
 */
export function wheelFactor(deltaY, deltaMode = 0) {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.min(2, Math.max(0.5, Math.exp(-pixels * 0.002)));
}

/**
 * Put `scene` (render.js's renderGraph result) into a pannable, zoomable window.
 * `onZoom(scale, {in, out})` is called whenever the scale changes (also kept in the window's
 * `data-zoom`), saying whether there is room to zoom in and out.
 * Returns {element, setZoom(s, anchor?), zoomBy(factor, anchor?), fit(), reveal(box),
 * startWhenSized(), setTextScale(s), keepInView(id), destroy()}; anchors are {x, y} within the window (default: its centre). A press that turns into a pan does not
 * reach the window's click listeners.
 * @param {Document} doc
 * @param {import("./render.js").Scene} scene
 * @param {{onZoom: (scale: number, room: ZoomRoom) => void}} options
 * @returns {Viewport}
 */
export function createViewport(doc, scene, { onZoom }) {
  const element = doc.createElement("div");
  element.className = "mgm-viewport";
  element.setAttribute("data-lm-suppress-shortcuts", "true");
  element.appendChild(scene.element);
  let scale = 1;
  /** @type {ResizeObserver | null} */
  let observer = null;
  const win = doc.defaultView;
  let textScale = 1;
  // the width fit follows the window until the user chooses a zoom of their own
  let userZoomed = false;
  let fittedWidth = 0;
  /** @type {() => number | null} */
  let kept = () => null;

  const fit = () => fitScale(scene.width, scene.height, element.clientWidth, element.clientHeight);

  /**
   * @param {number} target
   * @param {Anchor} [anchor]
   */
  function applyZoom(target, anchor) {
    const next = clampZoom(target, fit());
    if (next === scale) return;
    const ax = anchor?.x ?? element.clientWidth / 2;
    const ay = anchor?.y ?? element.clientHeight / 2;
    const left = zoomScroll(element.scrollLeft, ax, scale, next);
    const top = zoomScroll(element.scrollTop, ay, scale, next);
    scale = next;
    scene.setScale(next);
    element.setAttribute("data-zoom", String(next));
    element.scrollLeft = clampScroll(left, scene.width * next, element.clientWidth);
    element.scrollTop = clampScroll(top, scene.height * next, element.clientHeight);
    onZoom(next, { in: next < ZOOM.max, out: next > Math.min(ZOOM.min, fit()) });
  }

  /**
   * @param {number} factor
   * @param {Anchor} [anchor]
   */
  function zoomBy(factor, anchor) {
    setZoom(scale * factor, anchor);
  }

  /**
   * The user's zoom: from now on a resize of the window keeps it.
   * @param {number} target
   * @param {Anchor} [anchor]
   */
  function setZoom(target, anchor) {
    userZoomed = true;
    applyZoom(target, anchor);
  }

  /** Show the whole graph, from its top-left corner. */
  function fitAll() {
    setZoom(fit());
    element.scrollLeft = 0;
    element.scrollTop = 0;
  }

  /**
   * Scroll so that `box` (unscaled drawing coordinates) is in view, if it is not already.
   * @param {{left: number, top: number, width: number, height: number}} box
   */
  function reveal(box) {
    element.scrollLeft = clampScroll(
      revealScroll(element.scrollLeft, element.clientWidth, box.left * scale, box.width * scale),
      scene.width * scale,
      element.clientWidth,
    );
    element.scrollTop = clampScroll(
      revealScroll(element.scrollTop, element.clientHeight, box.top * scale, box.height * scale),
      scene.height * scale,
      element.clientHeight,
    );
  }

  /**
   * @param {MouseEvent} event
   * @returns {Anchor}
   */
  function local(event) {
    const r = element.getBoundingClientRect();
    return { x: event.clientX - r.left, y: event.clientY - r.top };
  }

  // --- wheel and gestures: zoom only with Ctrl/Cmd (or a pinch); never take a plain wheel ------
  /** @param {WheelEvent} event */
  function onWheel(event) {
    if (!(event.ctrlKey || event.metaKey)) return;
    event.preventDefault(); // the browser's own page zoom
    zoomBy(wheelFactor(event.deltaY, event.deltaMode), local(event));
  }
  let gestureStart = 1;
  /** @param {Event} event Safari's GestureEvent */
  function onGestureStart(event) {
    event.preventDefault();
    gestureStart = scale;
  }
  /** @param {Event} event Safari's GestureEvent: a scale, and a position like a mouse event's */
  function onGestureChange(event) {
    event.preventDefault();
    const gesture = /** @type {MouseEvent & {scale: number}} */ (event);
    setZoom(gestureStart * gesture.scale, local(gesture));
  }

  // --- drag to pan; two touch points pinch -----------------------------------------------------
  /** @type {Map<number, Anchor>} pointerId -> viewport-local position, touch and pen and mouse */
  const pointers = new Map();
  /** @type {{x: number, y: number, left: number, top: number, dragging: boolean, id: number} | null} the one pointer that may pan */
  let press = null;
  /** @type {{distance: number, scale: number, mid: Anchor} | null} */
  let pinch = null;
  let suppressClick = false;

  /** @param {PointerEvent} event */
  function onPointerDown(event) {
    const target = /** @type {Element} */ (event.target);
    if (event.button !== 0 || target.closest("button, input, a")) return;
    pointers.set(event.pointerId, local(event));
    if (pointers.size === 1) {
      const p = local(event);
      press = { ...p, left: element.scrollLeft, top: element.scrollTop, dragging: false, id: event.pointerId };
      suppressClick = false;
    } else if (pointers.size === 2) {
      press = null;
      pinch = pinchState();
    }
  }

  function pinchState() {
    const [a, b] = [...pointers.values()];
    return { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, scale, mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
  }

  /** @param {PointerEvent} event */
  function onPointerMove(event) {
    if (!pointers.has(event.pointerId)) return;
    const p = local(event);
    pointers.set(event.pointerId, p);
    if (pinch && pointers.size === 2) {
      const now = pinchState();
      setZoom((pinch.scale * now.distance) / pinch.distance, now.mid);
      element.scrollLeft -= now.mid.x - pinch.mid.x;
      element.scrollTop -= now.mid.y - pinch.mid.y;
      pinch.mid = now.mid;
      suppressClick = true;
      return;
    }
    if (!press || press.id !== event.pointerId) return;
    const dx = p.x - press.x;
    const dy = p.y - press.y;
    if (!press.dragging && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
    if (!press.dragging) {
      press.dragging = true;
      suppressClick = true;
      element.setAttribute("data-panning", "true");
      element.setPointerCapture?.(event.pointerId);
    }
    element.scrollLeft = press.left - dx;
    element.scrollTop = press.top - dy;
  }

  /** @param {PointerEvent} event */
  function onPointerEnd(event) {
    if (!pointers.delete(event.pointerId)) return;
    if (pointers.size < 2) pinch = null;
    if (press?.id === event.pointerId) {
      press = null;
      element.removeAttribute("data-panning");
    }
  }

  // A press that panned is no click: stop it before it selects or clears anything.
  /** @param {MouseEvent} event */
  function onClickCapture(event) {
    if (!suppressClick) return;
    suppressClick = false;
    event.stopImmediatePropagation();
    event.preventDefault();
  }

  element.addEventListener("wheel", onWheel, { passive: false });
  element.addEventListener("gesturestart", onGestureStart);
  element.addEventListener("gesturechange", onGestureChange);
  element.addEventListener("pointerdown", onPointerDown);
  element.addEventListener("pointermove", onPointerMove);
  element.addEventListener("pointerup", onPointerEnd);
  element.addEventListener("pointercancel", onPointerEnd);
  element.addEventListener("click", onClickCapture, true);

  /**
   * Fit the window's width: the whole graph at its natural size (times the text scale) when it
   * fits, else shrunk to the width down to a readable scale, scrolled so that the kept node (the
   * selection, else the output) is in view. The window's height then stays at least what it is,
   * so zooming out does not make the page below it jump.
   */
  function fitWidth() {
    const width = element.clientWidth;
    if (width === 0) return;
    fittedWidth = width;
    applyZoom(widthFitScale(scene.width, width, textScale));
    element.style.minHeight = "";
    element.style.minHeight = `${element.clientHeight}px`;
    reveal(scene.nodeBox(kept() ?? scene.output));
    // the first view is drawn in the frame that sizes the window, before it paints
    scene.show({
      left: element.scrollLeft / scale,
      top: element.scrollTop / scale,
      width: element.clientWidth / scale,
      height: element.clientHeight / scale,
    });
  }

  /** The first view once the window has a width, and a new fit whenever its width changes. */
  function startWhenSized() {
    if (typeof win?.ResizeObserver === "undefined") return;
    observer = new win.ResizeObserver(() => {
      if (!userZoomed && element.clientWidth !== fittedWidth) fitWidth();
    });
    observer.observe(element);
  }

  /** @param {number} next */
  function setTextScale(next) {
    if (next === textScale) return;
    textScale = next;
    userZoomed = false;
    fitWidth();
  }

  scene.setScale(1);
  element.setAttribute("data-zoom", "1");

  return {
    element,
    setZoom,
    zoomBy,
    fit: fitAll,
    reveal,
    startWhenSized,
    setTextScale,
    keepInView(id) {
      kept = id;
    },
    destroy() {
      if (observer) observer.disconnect();
      observer = null;
    },
  };
}
