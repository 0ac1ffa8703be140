// What the page calls a node: its label, or for an unlabelled parameter or module output of a
// schema-2 graph the short form of its path (`L1.N4.w2`) on the card and the full path as
// Python code reads it (`layers[0].neurons[3].w[1]`) in tooltips and the panel. The paths and
// short forms come from Python (micrograd_magic/groups.py); kernelPath is the twin of its
// kernel_path, pinned by tests/vectors/names.json.

/** @typedef {import("./engine.js").ParsedGraph} ParsedGraph */

/**
 * A dotted path as Python code reads it: `layers.0.neurons.3.w.1` -> `layers[0].neurons[3].w[1]`
 * (`#K` prefixes and class names stay as they are), as groups.py's kernel_path.
 * @param {string} path
 * @returns {string}
 */
export function kernelPath(path) {
  let out = "";
  for (const part of path ? path.split(".") : []) {
    const hash = part.indexOf("#");
    const index = hash < 0 ? part : part.slice(0, hash);
    const repeat = hash < 0 ? "" : part.slice(hash + 1);
    if (/^[0-9]+$/.test(index) && out) out += `[${index}]${repeat ? `#${repeat}` : ""}`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/**
 * A dotted path as the tooltip and the panel write it: the kernel form, with a `#K.` prefix
 * (one of several calls of the same model) written as "call #K".
 * @param {string} path
 * @returns {string}
 */
export function pathText(path) {
  const call = /^#([0-9]+)(?:\.|$)/.exec(path);
  if (!call) return kernelPath(path);
  const rest = kernelPath(path.slice(call[0].length));
  return rest ? `${rest} (call #${call[1]})` : `call #${call[1]}`;
}

/**
 * The name on node `i`'s card: its label, else its path's short form, else null. The top-level
 * module's own output (path "") has no short form and stays unnamed.
 * @param {ParsedGraph} g
 * @param {number} i
 * @returns {string | null}
 */
export function cardName(g, i) {
  const label = g.labels[i];
  if (label !== null && label !== undefined) return label;
  const short = g.groups?.nodeShort[i];
  return short ? short : null;
}

/**
 * Node `i`'s full path as tooltips write it (`layers[0].neurons[3].w[1]`), or null when it has
 * none (no groups, or neither a parameter nor a module output).
 * @param {ParsedGraph} g
 * @param {number} i
 * @returns {string | null}
 */
export function nodePathText(g, i) {
  const path = g.groups?.nodePath[i];
  return path ? pathText(path) : null;
}
