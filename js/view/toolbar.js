// The widget's toolbar: labelled groups of buttons that features add, in feature order.
//
// Every button is a real <button> with a text label or an aria-label, a `data-action` (the
// controller runs the feature's handler for that action when it is clicked) and
// `data-lm-suppress-shortcuts`, so that JupyterLab's notebook shortcuts leave Enter and Space to
// it. An unavailable button is aria-disabled rather than disabled, so the keyboard focus stays on
// it; the controller ignores clicks on it.

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * @typedef {object} ButtonOptions
 * @property {string} [label] the accessible name, when the visible text is not enough
 * @property {string} [title] the tooltip
 * @property {string} [iconPath] an SVG path on a 12 x 12 grid drawn before the text (font glyphs
 *   like ⏮ are missing from many fonts)
 * @property {string} [iconText] a character drawn before the text instead
 */

/**
 * @typedef {object} Toolbar
 * @property {HTMLElement} element
 * @property {(label: string, className?: string) => HTMLElement} group a new labelled group
 *   (role=group) at the end of the toolbar; put buttons and readouts into it
 * @property {(action: string, text: string, options?: ButtonOptions) => HTMLButtonElement} button
 *   a new button for `action` (not yet placed: append it to a group)
 * @property {(action: string, on: boolean) => void} setEnabled
 */

/**
 * An empty toolbar.
 * @param {Document} doc
 * @returns {Toolbar}
 */
export function createToolbar(doc) {
  const element = make(doc, "div", "mgm-toolbar");
  /** @type {Map<string, HTMLButtonElement>} */
  const buttons = new Map();
  return {
    element,
    group(label, className = "") {
      const group = make(doc, "div", `mgm-group${className ? ` ${className}` : ""}`);
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", label);
      element.appendChild(group);
      return group;
    },
    button(action, text, { label, title, iconPath, iconText } = {}) {
      const b = /** @type {HTMLButtonElement} */ (make(doc, "button", "mgm-button"));
      b.type = "button";
      b.setAttribute("data-action", action);
      b.setAttribute("data-lm-suppress-shortcuts", "true");
      if (iconPath) {
        const svg = doc.createElementNS(SVG_NS, "svg");
        svg.setAttribute("class", "mgm-icon");
        svg.setAttribute("viewBox", "0 0 12 12");
        svg.setAttribute("width", "12");
        svg.setAttribute("height", "12");
        svg.setAttribute("aria-hidden", "true");
        const path = doc.createElementNS(SVG_NS, "path");
        path.setAttribute("d", iconPath);
        svg.appendChild(path);
        b.appendChild(svg);
      } else if (iconText) {
        const mark = make(doc, "span", "mgm-icon", iconText);
        mark.setAttribute("aria-hidden", "true");
        b.appendChild(mark);
      }
      if (text) b.appendChild(make(doc, "span", "mgm-button-text", text));
      if (label) b.setAttribute("aria-label", label);
      if (title) b.title = title;
      buttons.set(action, b);
      return b;
    },
    setEnabled(action, on) {
      const b = buttons.get(action);
      if (!b) return;
      if (on) b.removeAttribute("aria-disabled");
      else b.setAttribute("aria-disabled", "true");
    },
  };
}

/**
 * An element with a class and text.
 * @param {Document} doc
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function make(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
