// Larger text for a lecture hall, one button away: `data-action="text-large"` toggles the `text`
// model key between "normal" and "large" (Python: show(..., text="large")). Large draws the
// graph TEXT_LARGE times bigger (the viewport's width fit scales with it) and enlarges the
// sliders, captions and panel. Also tells the viewport which node a refit keeps in view: the
// selection.

/** How much larger "large" draws the graph. */
export const TEXT_LARGE = 1.5;

/** @param {unknown} value */
const isLarge = (value) => value === "large";

/** @type {import("../widget/controller.js").Feature} */
export const textSizeFeature = {
  name: "textsize",
  create(ctx) {
    const { toolbar, viewport } = ctx;
    const button = toolbar.button("text-large", "Large text", {
      iconText: "A",
      title: "Larger text and graph, for a projector",
    });
    toolbar.group("Text size", "mgm-text-group").append(button);
    viewport.keepInView(() => ctx.state.selected);
    let large = false;

    /** @param {boolean} on */
    function apply(on) {
      large = on;
      button.setAttribute("aria-pressed", String(on));
      ctx.root.setAttribute("data-text", on ? "large" : "normal");
      viewport.setTextScale(on ? TEXT_LARGE : 1);
    }

    return {
      actions: {
        "text-large": () => {
          apply(!large);
          ctx.model.save({ text: large ? "large" : "normal" });
        },
      },
      modelKeys: {
        text: (value) => apply(isLarge(value)),
      },
      start() {
        apply(isLarge(ctx.model.get("text")));
      },
    };
  },
};
