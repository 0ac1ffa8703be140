// The widget's CSS, scoped under .mgm-root and injected once per document (or shadow root).
//
// Colours come from JupyterLab's --jp-* variables, so the graph follows the light and dark
// themes; outside JupyterLab (an exported page) the fallbacks follow the system's colour scheme.
// Font sizes must match geometry.js's METRICS.

const STYLE_ID = "mgm-style-v1";

export const CSS = `
.mgm-root {
  --mgm-fb-fg: #1f2328; --mgm-fb-muted: #59636e; --mgm-fb-bg: #ffffff; --mgm-fb-panel: #f3f4f6;
  --mgm-fb-border: #9aa1a9; --mgm-fb-accent: #1565c0; --mgm-fb-bad: #c62828; --mgm-fb-bad-bg: #fdd;
  --mgm-fg: var(--jp-content-font-color1, var(--mgm-fb-fg));
  --mgm-muted: var(--jp-content-font-color2, var(--mgm-fb-muted));
  --mgm-bg: var(--jp-layout-color1, var(--mgm-fb-bg));
  --mgm-panel: var(--jp-layout-color2, var(--mgm-fb-panel));
  --mgm-border: var(--jp-content-font-color3, var(--mgm-fb-border));
  --mgm-edge: var(--jp-content-font-color3, var(--mgm-fb-border));
  --mgm-accent: var(--jp-brand-color1, var(--mgm-fb-accent));
  --mgm-bad: var(--jp-error-color1, var(--mgm-fb-bad));
  --mgm-bad-bg: var(--jp-rendermime-error-background, var(--mgm-fb-bad-bg));
  --mgm-mono: var(--jp-code-font-family, ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace);
  --mgm-ui: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  display: flex;
  flex-direction: column;
  gap: 10px;
  color: var(--mgm-fg);
  font-family: var(--mgm-ui);
  font-size: 13px;
}
@media (prefers-color-scheme: dark) {
  .mgm-root {
    --mgm-fb-fg: #e6edf3; --mgm-fb-muted: #9da7b3; --mgm-fb-bg: #161b22; --mgm-fb-panel: #21262d;
    --mgm-fb-border: #6e7681; --mgm-fb-accent: #58a6ff; --mgm-fb-bad: #ff7b72;
    --mgm-fb-bad-bg: rgba(248, 81, 73, 0.25);
  }
}
.mgm-sliders { display: flex; flex-wrap: wrap; gap: 6px 22px; }
.mgm-sliders:empty { display: none; }
.mgm-slider { display: flex; align-items: center; gap: 8px; }
.mgm-slider-name { font-family: var(--mgm-mono); font-weight: 600; min-width: 2ch; text-align: right; }
.mgm-slider input[type="range"] { width: 180px; margin: 0; accent-color: var(--mgm-accent); cursor: pointer; }
.mgm-slider-value {
  font-family: var(--mgm-mono); font-variant-numeric: tabular-nums; min-width: 7ch; text-align: right;
}
.mgm-viewport { overflow: auto; max-height: min(640px, 80vh); max-width: 100%; }
.mgm-frame { position: relative; overflow: hidden; }
.mgm-scene { position: absolute; left: 0; top: 0; transform-origin: 0 0; user-select: none; }
.mgm-edges { position: absolute; left: 0; top: 0; overflow: visible; pointer-events: none; }
.mgm-edge { fill: none; stroke: var(--mgm-edge); stroke-width: 1.2; }
.mgm-arrowhead { fill: var(--mgm-edge); }
.mgm-out-arrow { stroke: var(--mgm-accent); stroke-width: 2; fill: none; }
.mgm-out-arrowhead { fill: var(--mgm-accent); }
.mgm-out-text { font: 600 11px var(--mgm-ui); fill: var(--mgm-accent); }
.mgm-chunk { position: absolute; content-visibility: auto; contain: strict; } /* skipped off screen */
/* Chunks may overlap: only the nodes themselves take the pointer, not the empty parts of a chunk. */
.mgm-chunk, .mgm-svg { pointer-events: none; }
.mgm-svg { display: block; overflow: visible; }
.mgm-node { pointer-events: auto; }
.mgm-card { fill: var(--mgm-bg); stroke: var(--mgm-border); stroke-width: 1; }
.mgm-header { fill: var(--mgm-panel); }
.mgm-cell-grad { fill: transparent; }
.mgm-sep { stroke: var(--mgm-border); stroke-width: 1; fill: none; }
.mgm-op { fill: var(--mgm-panel); stroke: var(--mgm-border); stroke-width: 1; }
.mgm-op-text { font: 600 11px var(--mgm-mono); fill: var(--mgm-fg); text-anchor: middle; }
.mgm-stub { stroke: var(--mgm-border); stroke-width: 1.2; fill: none; }
.mgm-label { font: 600 12px var(--mgm-mono); fill: var(--mgm-fg); }
.mgm-caption { font: 10px var(--mgm-ui); fill: var(--mgm-muted); }
.mgm-value { font: 12px var(--mgm-mono); fill: var(--mgm-fg); text-anchor: end; font-variant-numeric: tabular-nums; }
.mgm-const .mgm-card { stroke-dasharray: 3 2; }
.mgm-const .mgm-value[data-field="data"] { fill: var(--mgm-muted); }
.mgm-input .mgm-card { stroke: var(--mgm-accent); stroke-width: 1.5; }
.mgm-input .mgm-header { fill: color-mix(in srgb, var(--mgm-accent) 16%, var(--mgm-bg)); }
.mgm-output .mgm-card { stroke: var(--mgm-accent); stroke-width: 2.5; }
.mgm-output .mgm-header { fill: color-mix(in srgb, var(--mgm-accent) 22%, var(--mgm-bg)); }
.mgm-node[data-nonfinite="true"] .mgm-card {
  fill: var(--mgm-bad-bg); stroke: var(--mgm-bad); stroke-width: 2; stroke-dasharray: 5 3;
}
.mgm-node[data-nonfinite="true"] .mgm-value { fill: var(--mgm-bad); font-weight: 700; }
.mgm-error {
  color: var(--mgm-bad); background: var(--mgm-bad-bg); border-radius: 4px; padding: 6px 10px;
  font-family: var(--mgm-mono); white-space: pre-wrap;
}
`;

/** Put the widget's stylesheet into the document (or shadow root) holding `el`, once. */
export function ensureStyle(el) {
  const rootNode = el.getRootNode();
  // A shadow root keeps its own styles; anything else (a document, or an element not attached
  // yet, as anywidget's el can be during render) uses the document's head.
  const inShadow = rootNode.nodeType === 11 && rootNode.host !== undefined;
  const root = inShadow ? rootNode : el.ownerDocument;
  if (root.getElementById(STYLE_ID)) return;
  const style = el.ownerDocument.createElement("style");
  style.id = STYLE_ID;
  style.textContent = CSS;
  (inShadow ? root : root.head).appendChild(style);
}
