// The anywidget entry point: the live computation graph with one slider per input, a details
// panel that explains the selected node's grad, a step-through of backprop, pan and zoom.
//
// The widget is the controller (widget/controller.js) running the features below, in this
// order (their toolbar groups, elements and hooks come in this order too). A new feature is a
// module in features/ exporting a Feature ({name, create(ctx) -> hooks}), added to this list;
// docs/architecture.md says how one plugs in.
//
// The same bundle runs in a notebook and in an exported page, whose in-page model (host/host.js)
// has no kernel behind it: all arithmetic happens here.

import { descentFeature } from "./features/descent.js";
import { detailsFeature } from "./features/details.js";
import { inputsFeature } from "./features/inputs.js";
import { keyboardFeature } from "./features/keyboard.js";
import { legendFeature } from "./features/legend.js";
import { lessonFeature } from "./features/lesson.js";
import { networkFeature } from "./features/network.js";
import { nonfiniteFeature } from "./features/nonfinite.js";
import { quizFeature } from "./features/quiz.js";
import { sceneFeature } from "./features/scene.js";
import { selectionFeature } from "./features/selection.js";
import { steppingFeature } from "./features/stepping.js";
import { storyboardFeature } from "./features/storyboard.js";
import { textSizeFeature } from "./features/textsize.js";
import { zoomFeature } from "./features/zoom.js";
import { createTrainView } from "./trainview/view.js";
import { createWidget } from "./widget/controller.js";

export { SYNC_DELAY_MS } from "./widget/model-sync.js";

/** @typedef {import("./widget/controller.js").Feature} Feature */
/** @typedef {import("./widget/model-sync.js").Model} Model */

/** @type {ReadonlyArray<Feature>} The widget's features, in order. */
export const FEATURES = Object.freeze([
  sceneFeature, // the data and grad on every node
  inputsFeature, // the sliders (top) and the `inputs` key
  steppingFeature, // the step-through's buttons (toolbar), caption (status) and `step` key
  zoomFeature, // the zoom buttons (toolbar) and keys
  legendFeature, // the gradient colours (main, under the graph)
  selectionFeature, // click, Enter, Escape, the path marks and the `selected` key
  detailsFeature, // the details panel (side)
  keyboardFeature, // arrow keys between nodes, spoken labels
  descentFeature, // gradient descent on the trainable inputs (toolbar): step, play, lr, chart
  nonfiniteFeature, // grads that flowed through NaN or ∞, marked on their cards
  textSizeFeature, // the large-text button (toolbar) and `text` key; the node a refit keeps in view
  quizFeature, // quiz mode: hidden grads, answers on the cards, the quiz panel (side)
  lessonFeature, // a lesson's set-up: caption, hidden parts, locked sliders, compact size
  storyboardFeature, // printing: the Storyboard button and its frames, the print-time fit
  networkFeature, // a graph with groups: boxes to open and close, open/close all, edge grads
]);

/**
 * anywidget's render: draw the widget (or the training view) for `model` into `el`; returns
 * the cleanup function.
 * @param {{model: Model, el: HTMLElement}} host
 * @returns {() => void}
 */
function render({ model, el }) {
  // A training view (train_view in Python) says so in its `kind` key.
  if (model.get("kind") === "trainview") return createTrainView({ model, el });
  return createWidget({ model, el }, FEATURES);
}

export default { render };
