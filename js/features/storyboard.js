// Printing: the "Storyboard" button shows one frame per position of backprop's step-through
// (`[data-frame="K"]`, K = 0 to the number of steps: the graph with the grads known after K
// steps, the step's caption underneath), each printed on its own page; and the whole graph is
// scaled to the paper's width while the page prints (the stylesheet's print rules hide the
// controls and the colours). While some grad is hidden (a quiz, a lesson) it shows nothing: the
// frames would tell. Opening or closing a box of a network keeps it open, its frames drawn again
// as the graph is now.

import { gradsAfterStep, stepDescription, stepSequence } from "../core/explain.js";
import { renderGraph } from "../view/render.js";

/** The width, in CSS pixels, a graph is scaled to fit when printed (A4 and Letter, margins off). */
export const PRINT_WIDTH = 680;

/** @type {import("../widget/controller.js").Feature} */
export const storyboardFeature = {
  name: "storyboard",
  create(ctx) {
    const { doc, root, scene, viewport } = ctx;
    const group = ctx.toolbar.group("Print");
    const button = ctx.toolbar.button("storyboard", "Storyboard", { title: "a frame per backprop step, ready to print" });
    group.append(button);
    /** @type {HTMLElement | null} */
    let board = null;
    let zoom = 1;

    function open() {
      if (scene.anyGradHidden()) return;
      const { g, data } = ctx.numbers;
      const total = stepSequence(g).length;
      board = doc.createElement("div");
      board.className = "mgm-storyboard";
      board.setAttribute("data-storyboard", "");
      const inputs = new Set(ctx.drawing.ids);
      for (let k = 0; k <= total; k++) {
        const frame = doc.createElement("figure");
        frame.className = "mgm-story-frame";
        frame.setAttribute("data-frame", String(k));
        const picture = renderGraph(doc, g, ctx.drawing.boxes, ctx.drawing.layout, inputs, data, gradsAfterStep(g, data, k), ctx.drawing.network?.net);
        picture.setScale(Math.min(1, PRINT_WIDTH / picture.width));
        const caption = doc.createElement("figcaption");
        caption.textContent = `${k} of ${total}. ${stepDescription(g, data, k).text}`;
        frame.append(picture.element, caption);
        board.append(frame);
      }
      root.append(board);
      root.setAttribute("data-storyboard-open", "");
    }

    function close() {
      board?.remove();
      board = null;
      root.removeAttribute("data-storyboard-open");
    }

    const win = doc.defaultView;
    const beforePrint = () => scene.setScale(Math.min(1, PRINT_WIDTH / scene.width));
    const afterPrint = () => viewport.setZoom(zoom);
    win?.addEventListener("beforeprint", beforePrint);
    win?.addEventListener("afterprint", afterPrint);
    return {
      actions: {
        storyboard() {
          if (!board) {
            open();
            // open() set it (the narrowing above does not know)
            /** @type {HTMLElement | null} */ (board)?.scrollIntoView?.({ block: "nearest" });
            return;
          }
          close();
        },
      },
      refresh(change) {
        // a quiz and a lesson say so with a selection change when what they hide changes
        if (change.selection) button.setAttribute("aria-disabled", String(scene.anyGradHidden()));
        // the frames show the numbers they were made with: new numbers make them anew
        if (board && change.numbers) {
          close();
          open();
        }
      },
      redrawn() {
        if (!board) return;
        close();
        open();
      },
      zoomed(scale) {
        zoom = scale;
      },
      destroy() {
        close();
        win?.removeEventListener("beforeprint", beforePrint);
        win?.removeEventListener("afterprint", afterPrint);
      },
    };
  },
};
