// The widget's CSS, scoped under .mgm-root and injected once per document (or shadow root).
//
// Colours come from JupyterLab's --jp-* variables, so the graph follows the light and dark
// themes; outside JupyterLab (an exported page) the fallbacks follow the system's colour scheme.
// The few colours JupyterLab has no variable for (gradient signs, selection, step) have a light
// and a dark set, chosen by JupyterLab's data-jp-theme-light where there is one, else by the
// system. Gradient signs use Okabe and Ito's colour-blind-safe bluish green and vermillion; the
// number's own sign says it in text too. Font sizes must match geometry.js's METRICS.

const STYLE_ID = "mgm-style-v2";

// The fallback colours of each scheme (JupyterLab's variables win where they exist).
const LIGHT_COLOURS = `--mgm-fb-fg: #1f2328; --mgm-fb-muted: #59636e; --mgm-fb-bg: #ffffff;
  --mgm-fb-panel: #f3f4f6; --mgm-fb-border: #9aa1a9; --mgm-fb-accent: #1565c0; --mgm-fb-bad: #c62828;
  --mgm-fb-bad-bg: #fdd; --mgm-pos: #009e73; --mgm-neg: #d55e00; --mgm-sel: #8250df; --mgm-step: #9a6700;`;
const DARK_COLOURS = `--mgm-fb-fg: #e6edf3; --mgm-fb-muted: #9da7b3; --mgm-fb-bg: #161b22;
  --mgm-fb-panel: #21262d; --mgm-fb-border: #6e7681; --mgm-fb-accent: #58a6ff; --mgm-fb-bad: #ff7b72;
  --mgm-fb-bad-bg: rgba(248, 81, 73, 0.25);
  --mgm-pos: #34c79a; --mgm-neg: #ff8a4c; --mgm-sel: #c297ff; --mgm-step: #e3b341;`;

export const CSS = `
.mgm-root {
  ${LIGHT_COLOURS}
  --mgm-fg: var(--jp-content-font-color1, var(--mgm-fb-fg));
  --mgm-muted: var(--jp-content-font-color2, var(--mgm-fb-muted));
  --mgm-bg: var(--jp-layout-color1, var(--mgm-fb-bg));
  --mgm-panel: var(--jp-layout-color2, var(--mgm-fb-panel));
  --mgm-border: var(--jp-content-font-color3, var(--mgm-fb-border));
  --mgm-edge: var(--jp-content-font-color3, var(--mgm-fb-border));
  --mgm-accent: var(--jp-brand-color1, var(--mgm-fb-accent));
  --mgm-bad: var(--jp-error-color1, var(--mgm-fb-bad));
  --mgm-bad-bg: var(--jp-rendermime-error-background, var(--mgm-fb-bad-bg));
  --mgm-soft: var(--jp-border-color2, #d0d7de);
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
    ${DARK_COLOURS}
  }
}
[data-jp-theme-light="false"] .mgm-root {
  --mgm-pos: #34c79a; --mgm-neg: #ff8a4c; --mgm-sel: #c297ff; --mgm-step: #e3b341;
}
[data-jp-theme-light="true"] .mgm-root {
  --mgm-pos: #009e73; --mgm-neg: #d55e00; --mgm-sel: #8250df; --mgm-step: #9a6700;
}
.mgm-sliders { display: flex; flex-wrap: wrap; gap: 6px 22px; }
.mgm-sliders:empty { display: none; }
.mgm-slider { display: flex; align-items: center; gap: 8px; }
.mgm-slider-name { font-family: var(--mgm-mono); font-weight: 600; min-width: 2ch; text-align: right; }
.mgm-slider input[type="range"] { width: 180px; margin: 0; accent-color: var(--mgm-accent); cursor: pointer; }
.mgm-slider-value {
  font-family: var(--mgm-mono); font-variant-numeric: tabular-nums; min-width: 7ch; text-align: right;
}
/* toolbar: step-through, legend, zoom */
.mgm-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 18px; }
.mgm-group { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 4px; }
.mgm-step-only { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 4px; }
.mgm-step-only[hidden], .mgm-step-caption[hidden] { display: none; }
.mgm-zoom-group { margin-left: auto; }
.mgm-button {
  display: inline-flex; align-items: center; gap: 5px; min-height: 26px; padding: 2px 9px; margin: 0;
  font: 12px var(--mgm-ui); color: var(--mgm-fg); background: var(--mgm-panel);
  border: 1px solid var(--mgm-soft); border-radius: 4px; cursor: pointer;
}
.mgm-button:hover { border-color: var(--mgm-accent); }
.mgm-button:focus-visible { outline: 2px solid var(--mgm-accent); outline-offset: 1px; }
.mgm-button[aria-disabled="true"] { opacity: 0.45; cursor: default; border-color: var(--mgm-soft); }
.mgm-zoom-group .mgm-button { min-width: 28px; justify-content: center; }
.mgm-icon { font-size: 11px; line-height: 1; fill: currentColor; flex: none; }
.mgm-zoom-group .mgm-icon { font-size: 15px; font-weight: 600; }
.mgm-zoom-level, .mgm-step-count {
  font: 12px var(--mgm-mono); color: var(--mgm-muted); text-align: center; font-variant-numeric: tabular-nums;
}
.mgm-zoom-level { min-width: 5ch; }
.mgm-step-count { padding: 0 4px; }
.mgm-legend { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; font-size: 12px; color: var(--mgm-muted); }
.mgm-legend-title { font-weight: 600; color: var(--mgm-fg); }
.mgm-key { display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; }
.mgm-swatch { display: inline-block; width: 16px; height: 11px; border-radius: 2px; box-sizing: border-box; }
.mgm-swatch[data-swatch="pos"] { background: color-mix(in srgb, var(--mgm-pos) 50%, var(--mgm-bg)); }
.mgm-swatch[data-swatch="neg"] { background: color-mix(in srgb, var(--mgm-neg) 50%, var(--mgm-bg)); }
.mgm-swatch[data-swatch="zero"] { background: var(--mgm-bg); border: 1px solid var(--mgm-soft); }
.mgm-swatch[data-swatch="nonfinite"] { background: var(--mgm-bad-bg); border: 1.5px dashed var(--mgm-bad); }
.mgm-ramp .mgm-swatch { width: 9px; border-radius: 0; }
.mgm-ramp .mgm-swatch[data-level="1"] { background: color-mix(in srgb, var(--mgm-pos) 14%, var(--mgm-bg)); margin-left: 2px; }
.mgm-ramp .mgm-swatch[data-level="2"] { background: color-mix(in srgb, var(--mgm-pos) 24%, var(--mgm-bg)); margin-left: -4px; }
.mgm-ramp .mgm-swatch[data-level="3"] { background: color-mix(in srgb, var(--mgm-pos) 36%, var(--mgm-bg)); margin-left: -4px; }
.mgm-ramp .mgm-swatch[data-level="4"] { background: color-mix(in srgb, var(--mgm-pos) 50%, var(--mgm-bg)); margin-left: -4px; }
.mgm-step-caption {
  border-left: 3px solid var(--mgm-step); border-radius: 0 4px 4px 0; padding: 6px 10px;
  background: color-mix(in srgb, var(--mgm-step) 9%, var(--mgm-bg));
}
.mgm-step-list { margin: 4px 0 0; padding-left: 18px; font: 12px/1.5 var(--mgm-mono); }
.mgm-step-list:empty { display: none; }
/* the graph, the full width of the cell, and below it the details panel: the panel costs the
   graph no width (a side panel kept a quarter of it for a one-line hint) */
.mgm-body { display: flex; flex-direction: column; gap: 10px; }
.mgm-main { min-width: 0; display: flex; flex-direction: column; gap: 6px; }
.mgm-viewport {
  max-width: 100%; max-height: min(640px, 80vh); position: relative;
  overflow: hidden; /* panned by dragging: a plain wheel scrolls the page, never the graph */
  border: 1px solid var(--mgm-soft); border-radius: 4px; cursor: grab; touch-action: pan-y;
}
.mgm-viewport[data-panning] { cursor: grabbing; }
.mgm-side {
  min-width: 0; max-height: min(480px, 60vh); overflow: auto;
  border: 1px solid var(--mgm-soft); border-radius: 4px;
}
.mgm-root .mgm-panel { font-family: var(--mgm-ui); padding: 8px 12px; }
/* JupyterLab floats every dt and dd of an output (20% / 80%): undo it for the panel's grid */
.mgm-root .mgm-panel .mgm-panel-values {
  display: grid; grid-template-columns: auto 1fr; gap: 0 10px; width: auto; overflow: visible; margin: 4px 0;
}
.mgm-root .mgm-panel .mgm-panel-values dt, .mgm-root .mgm-panel .mgm-panel-values dd {
  display: block; float: none; width: auto; margin: 0; padding: 0; font-weight: normal;
}
.mgm-root .mgm-panel .mgm-panel-values dt { color: var(--mgm-muted); }
.mgm-root .mgm-panel-title { font-family: var(--mgm-mono); }
.mgm-root .mgm-panel-definition, .mgm-root .mgm-panel-chain, .mgm-root .mgm-panel-list li,
.mgm-root .mgm-panel-values dd { font-family: var(--mgm-mono); font-size: 12px; }
.mgm-root .mgm-panel-list li { margin: 2px 0; }
.mgm-root .mgm-panel-heading { color: var(--mgm-muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; margin-top: 10px; }
.mgm-frame { position: relative; overflow: hidden; }
.mgm-scene { position: absolute; left: 0; top: 0; transform-origin: 0 0; user-select: none; }
.mgm-edges { position: absolute; left: 0; top: 0; overflow: visible; pointer-events: none; }
.mgm-edge { fill: none; stroke: var(--mgm-edge); }
.mgm-edge:not([stroke-width]) { stroke-width: 1.2; } /* a weight edge's width is its own */
.mgm-arrowhead { fill: var(--mgm-edge); }
.mgm-out-arrow { stroke: var(--mgm-accent); stroke-width: 2; fill: none; }
.mgm-out-arrowhead { fill: var(--mgm-accent); }
.mgm-out-text { font: 600 11px var(--mgm-ui); fill: var(--mgm-accent); }
.mgm-chunk { position: absolute; content-visibility: auto; contain: strict; } /* skipped off screen */
/* Chunks may overlap: only the nodes themselves take the pointer, not the empty parts of a chunk. */
.mgm-chunk, .mgm-svg { pointer-events: none; }
.mgm-svg { display: block; overflow: visible; }
.mgm-node { pointer-events: auto; cursor: pointer; outline: none; }
.mgm-node:focus-visible { outline: 2px solid var(--mgm-accent); outline-offset: 3px; }
.mgm-marks { position: absolute; left: 0; top: 0; overflow: visible; pointer-events: none; }
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
/* gradients at a glance: the grad row tinted by sign, deeper for a larger |grad|; zero is quiet.
   All on the row's own rect and its siblings (markup.js's nodeMarkup says why). */
.mgm-cell-grad[data-tint="pos1"] { fill: color-mix(in srgb, var(--mgm-pos) 14%, transparent); }
.mgm-cell-grad[data-tint="pos2"] { fill: color-mix(in srgb, var(--mgm-pos) 24%, transparent); }
.mgm-cell-grad[data-tint="pos3"] { fill: color-mix(in srgb, var(--mgm-pos) 36%, transparent); }
.mgm-cell-grad[data-tint="pos4"] { fill: color-mix(in srgb, var(--mgm-pos) 50%, transparent); }
.mgm-cell-grad[data-tint="neg1"] { fill: color-mix(in srgb, var(--mgm-neg) 14%, transparent); }
.mgm-cell-grad[data-tint="neg2"] { fill: color-mix(in srgb, var(--mgm-neg) 24%, transparent); }
.mgm-cell-grad[data-tint="neg3"] { fill: color-mix(in srgb, var(--mgm-neg) 36%, transparent); }
.mgm-cell-grad[data-tint="neg4"] { fill: color-mix(in srgb, var(--mgm-neg) 50%, transparent); }
.mgm-cell-grad[data-tint="zero"] ~ .mgm-value[data-field="grad"],
.mgm-cell-grad[data-tint="zero"] ~ .mgm-caption { fill: var(--mgm-muted); fill-opacity: 0.7; }
/* the selected node's paths to the output, drawn in overlays (render.js) */
.mgm-frame .mgm-edges[data-marked-path] { opacity: 0.4; }
/* edges whose new paths wait for the frames after an open or close (net-edges.js's drawNetEdges) */
.mgm-frame .mgm-edges[data-edges-moving] { opacity: 0.15; }
.mgm-mark-path { fill: none; stroke: var(--mgm-sel); stroke-width: 2.25; }
.mgm-mark-path-heads { fill: var(--mgm-sel); }
.mgm-mark-outline { fill: none; stroke: var(--mgm-sel); stroke-width: 2; }
.mgm-node[data-nonfinite="true"] .mgm-card {
  fill: var(--mgm-bad-bg); stroke: var(--mgm-bad); stroke-width: 2; stroke-dasharray: 5 3;
}
.mgm-node[data-nonfinite="true"] .mgm-value { fill: var(--mgm-bad); font-weight: 700; }
/* a backprop step: the node passing its grad on, and the operands receiving it */
.mgm-mark-step {
  fill: none; stroke: var(--mgm-step); stroke-width: 3; stroke-dasharray: 7 5;
  animation: mgm-flow 0.9s linear infinite; /* dashes run backwards, from the node to its operands */
}
.mgm-step-arrowhead { fill: var(--mgm-step); }
@keyframes mgm-flow { to { stroke-dashoffset: 12; } }
@media (prefers-reduced-motion: reduce) { .mgm-mark-step { animation: none; } }
.mgm-node[data-step-role] .mgm-card { stroke: var(--mgm-step); stroke-width: 3; }
.mgm-node[data-step-role="source"] .mgm-op { stroke: var(--mgm-step); stroke-width: 2; }
.mgm-node[data-step-role="target"] .mgm-cell-grad { stroke: var(--mgm-step); stroke-width: 1.5; }
/* the selected node */
.mgm-node[data-selected="true"] .mgm-card, .mgm-node[data-selected="true"] .mgm-op { stroke: var(--mgm-sel); stroke-width: 3; }
.mgm-node[data-selected="true"] .mgm-header { fill: color-mix(in srgb, var(--mgm-sel) 24%, var(--mgm-bg)); }
.mgm-error {
  color: var(--mgm-bad); background: var(--mgm-bad-bg); border-radius: 4px; padding: 6px 10px;
  font-family: var(--mgm-mono); white-space: pre-wrap;
}
/* gradient descent (features/descent.js) */
.mgm-descent { align-items: center; flex-wrap: wrap; gap: 6px; }
.mgm-descent-lr { width: 6em; font: inherit; }
.mgm-metric { font-family: var(--mgm-mono); font-size: 12px; min-width: 5em; }
.mgm-descent-chart { border: 1px solid var(--mgm-muted); border-radius: 3px; }
.mgm-descent-chart polyline { fill: none; stroke: var(--mgm-sel); stroke-width: 1.5; }
/* the training view (trainview/view.js) */
.mgm-metrics { display: flex; gap: 12px; margin: 4px 0; }
.mgm-trainview-status:empty { display: none; }
.mgm-trainview-panels { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.mgm-trainview-curves { display: flex; flex-direction: column; gap: 6px; }
.mgm-boundary { border: 1px solid var(--mgm-muted); border-radius: 3px; }
.mgm-curve, .mgm-network { border: 1px solid var(--mgm-muted); border-radius: 3px; }
.mgm-curve polyline { fill: none; stroke: var(--mgm-sel); stroke-width: 1.5; }
.mgm-curve-marker { stroke: var(--mgm-muted); stroke-dasharray: 2 2; }
.mgm-curve-title { font-size: 11px; fill: var(--mgm-muted); }
.mgm-network line[data-sign="pos"] { stroke: var(--mgm-pos); }
.mgm-network line[data-sign="neg"] { stroke: var(--mgm-neg); }
.mgm-network line[data-sign="zero"] { stroke: var(--mgm-muted); }
.mgm-network [data-sign="pos"]:not(line) { fill: var(--mgm-pos); }
.mgm-network [data-sign="neg"]:not(line) { fill: var(--mgm-neg); }
.mgm-network .mgm-network-input, .mgm-network [data-sign="zero"]:not(line) { fill: var(--mgm-muted); }
/* a grad that flowed through NaN or ∞ (features/nonfinite.js): a number that means nothing */
.mgm-node[data-grad-through-nonfinite="true"] .mgm-value[data-field="grad"] {
  fill: var(--mgm-bad); font-style: italic; text-decoration: line-through;
}
.mgm-node[data-grad-through-nonfinite="true"] .mgm-cell-grad { stroke: var(--mgm-bad); stroke-dasharray: 3 2; }
.mgm-root .mgm-panel-warning {
  color: var(--mgm-bad); background: var(--mgm-bad-bg); border-left: 3px solid var(--mgm-bad);
  padding: 4px 8px; margin: 6px 0;
}
/* large text for a lecture hall (features/textsize.js; the graph is scaled by the viewport) */
.mgm-root[data-text="large"] { font-size: 18px; }
.mgm-root[data-text="large"] .mgm-button, .mgm-root[data-text="large"] .mgm-zoom-level,
.mgm-root[data-text="large"] .mgm-legend, .mgm-root[data-text="large"] .mgm-step-list,
.mgm-root[data-text="large"] .mgm-panel-heading { font-size: 16px; }
.mgm-root[data-text="large"] .mgm-panel-definition, .mgm-root[data-text="large"] .mgm-panel-chain,
.mgm-root[data-text="large"] .mgm-panel-list li, .mgm-root[data-text="large"] .mgm-panel-values dd { font-size: 17px; }
.mgm-button[aria-pressed="true"] { border-color: var(--mgm-accent); background: color-mix(in srgb, var(--mgm-accent) 18%, var(--mgm-panel)); }
.mgm-root .mgm-panel-vanishing { border-left: 3px solid var(--mgm-step); padding: 4px 8px; margin: 6px 0; }
/* marimo's own theme wins over the system's: it marks its body light-theme or dark-theme and
   draws widgets in a shadow root (hence :host-context, in rules of their own so that a browser
   without it still reads the others). */
:host-context(body.dark-theme) .mgm-root { ${DARK_COLOURS} }
body.dark-theme .mgm-root { ${DARK_COLOURS} }
:host-context(body.light-theme) .mgm-root { ${LIGHT_COLOURS} }
body.light-theme .mgm-root { ${LIGHT_COLOURS} }
/* quiz mode: the answer box on a card, its verdict mark, the quiz panel */
.mgm-guess {
  box-sizing: border-box; width: 100%; height: 100%; margin: 0; padding: 0 3px;
  font: 11px var(--mgm-mono); border: 1px solid var(--mgm-sel); border-radius: 3px;
}
.mgm-verdict { font-size: 11px; text-anchor: end; }
.mgm-verdict[data-verdict="correct"] { fill: #1a7f37; }
.mgm-verdict[data-verdict="wrong"] { fill: var(--mgm-bad); }
.mgm-quiz .mgm-button { margin: 4px 6px 0 0; }
.mgm-quiz [hidden] { display: none; }
.mgm-root[data-quiz-open] .mgm-panel[data-panel] { display: none; }
/* a lesson's set-up: hidden parts, the caption, the compact size for slides */
.mgm-root[data-hide~="panel"] .mgm-side,
.mgm-root[data-hide~="step"] .mgm-step-group,
.mgm-root[data-hide~="step"] .mgm-step-caption,
.mgm-root[data-hide~="sliders"] .mgm-sliders,
.mgm-root [data-action="show-grads"][hidden] { display: none; }
.mgm-lesson-caption { font: 600 15px/1.3 system-ui, sans-serif; margin: 2px 0 6px; }
.mgm-slider input[data-locked] { opacity: 0.5; cursor: not-allowed; }
.mgm-root[data-compact] { font-size: 11px; }
.mgm-root[data-compact] .mgm-viewport { max-height: min(380px, 60vh); }
.mgm-root[data-compact] .mgm-side { flex-basis: 200px; max-height: min(380px, 60vh); }
.mgm-root[data-compact] .mgm-panel { font-size: 11px; }
/* the storyboard: one frame per backprop step */
.mgm-storyboard { margin-top: 8px; }
.mgm-story-frame { margin: 0 0 16px; break-inside: avoid; }
.mgm-story-frame .mgm-frame { position: relative; }
.mgm-story-frame figcaption { font: 13px/1.4 system-ui, sans-serif; margin-top: 4px; }
/* networks (a graph with groups): open groups are frames around their drawing, closed ones boxes */
.mgm-box { position: absolute; box-sizing: border-box; border: 1px solid var(--mgm-border); border-radius: 6px; }
.mgm-box-open { background: color-mix(in srgb, var(--mgm-panel) 35%, transparent); pointer-events: none; }
.mgm-box-closed, .mgm-box-header { pointer-events: auto; }
.mgm-box-closed { background: var(--mgm-bg); cursor: pointer; outline: none; font: 12px var(--mgm-mono); color: var(--mgm-fg); }
.mgm-box-closed:focus-visible, .mgm-box-header:focus-visible { outline: 2px solid var(--mgm-accent); outline-offset: 3px; }
.mgm-box[data-selected="true"] { border: 3px solid var(--mgm-sel); }
.mgm-box[data-step-role] { border: 3px solid var(--mgm-step); }
.mgm-box-header { display: block; width: 100%; height: 18px; margin: 0; padding: 0 6px; border: 0;
  border-bottom: 1px solid var(--mgm-border); border-radius: 5px 5px 0 0; background: var(--mgm-panel);
  color: var(--mgm-fg); font: 600 11px var(--mgm-ui); text-align: left; cursor: pointer; white-space: nowrap; overflow: hidden; }
.mgm-box-kind { color: var(--mgm-muted); font-weight: 400; }
.mgm-box-row { display: flex; justify-content: space-between; height: 16px; line-height: 16px; padding: 0 6px; }
.mgm-box-row .mgm-caption { font: 11px var(--mgm-ui); color: var(--mgm-muted); }
.mgm-box-grad[data-tint^="pos"] { background: color-mix(in srgb, var(--mgm-pos) 24%, transparent); }
.mgm-box-grad[data-tint^="neg"] { background: color-mix(in srgb, var(--mgm-neg) 24%, transparent); }
.mgm-box-grad[data-tint="nonfinite"] { background: var(--mgm-bad-bg, #fdd); }
.mgm-edge[data-sign="pos"] { stroke: var(--mgm-pos); }
.mgm-edge[data-sign="neg"] { stroke: var(--mgm-neg); }
/* a quiz on a network: a closed box's count of asked grads it hides */
.mgm-quiz-badge { position: absolute; top: 1px; right: 4px; font: 600 11px var(--mgm-ui); color: var(--mgm-accent); pointer-events: none; }

/* slider moves: see render.js's OWN_LAYER_EDGES, docs/architecture.md */
.mgm-edges-layer { will-change: opacity; }
.mgm-box-closed { contain: size layout style; }
/* printing: no controls, the whole graph, black on white */
@media print {
  .mgm-root .mgm-toolbar, .mgm-root .mgm-sliders, .mgm-root .mgm-guess-box,
  .mgm-root .mgm-button, .mgm-root .mgm-step-caption[hidden] { display: none !important; }
  .mgm-root .mgm-viewport { max-height: none; max-width: none; overflow: visible; }
  .mgm-root .mgm-side { max-height: none; overflow: visible; }
  .mgm-root .mgm-cell-grad { fill: none !important; }
  .mgm-root .mgm-value, .mgm-root .mgm-label, .mgm-root .mgm-caption, .mgm-root .mgm-op-text { fill: #000 !important; }
  .mgm-root .mgm-card, .mgm-root .mgm-op { stroke: #000 !important; }
  .mgm-root[data-storyboard-open] > :not(.mgm-storyboard) { display: none !important; }
  .mgm-story-frame + .mgm-story-frame { break-before: page; }
}
`;

/**
 * Put the widget's stylesheet into the document (or shadow root) holding `el`, once.
 * @param {HTMLElement} el
 */
export function ensureStyle(el) {
  const rootNode = el.getRootNode();
  // A shadow root keeps its own styles; anything else (a document, or an element not attached
  // yet, as anywidget's el can be during render) uses the document's head.
  const shadow = rootNode.nodeType === 11 && "host" in rootNode ? /** @type {ShadowRoot} */ (rootNode) : null;
  const doc = el.ownerDocument;
  if ((shadow ?? doc).getElementById(STYLE_ID)) return;
  const style = doc.createElement("style");
  style.id = STYLE_ID;
  style.textContent = CSS;
  (shadow ?? doc.head).appendChild(style);
}
