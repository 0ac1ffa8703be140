// A lesson's set-up, from the model's `lesson` key (the kernel's): a caption above the widget,
// parts hidden (`data-hide` on the root: "panel", "step" and "sliders" by the stylesheet; "grad"
// through scene.hideGrads, with a "Show grads" button for the student), locked inputs (their
// sliders shown but disabled) and a compact size for slides (`data-compact`).

/** @type {import("../widget/controller.js").Feature} */
export const lessonFeature = {
  name: "lesson",
  create(ctx) {
    const lesson = ctx.model.get("lesson");
    if (lesson === null || typeof lesson !== "object") return {};
    const { root, doc, scene } = ctx;
    /** @param {unknown} list @returns {string[]} */
    const names = (list) => (Array.isArray(list) ? list.filter((s) => typeof s === "string") : []);
    const hide = names(lesson.hide);
    root.setAttribute("data-hide", hide.join(" "));
    root.toggleAttribute("data-compact", lesson.compact === true);
    /** @type {HTMLElement | null} */
    let caption = null;
    if (typeof lesson.caption === "string" && lesson.caption) {
      caption = doc.createElement("div");
      caption.className = "mgm-lesson-caption";
      caption.setAttribute("data-caption", "");
      caption.textContent = lesson.caption;
      root.prepend(caption);
    }
    for (const name of names(lesson.lock)) {
      const slider = /** @type {HTMLInputElement | undefined} */ (
        [...root.querySelectorAll("input[data-input]")].find((s) => s.getAttribute("data-input") === name)
      );
      if (!slider) continue;
      slider.disabled = true;
      slider.setAttribute("data-locked", "true");
      slider.title = "fixed by the lesson";
    }
    // A quiz hides its own grads and shows them as they are found: it takes precedence.
    if (hide.includes("grad") && !scene.anyGradHidden()) {
      const button = ctx.toolbar.button("show-grads", "Show grads");
      ctx.toolbar.group("Grads").append(button);
      scene.hideGrads(new Uint8Array(ctx.numbers.g.size).fill(1));
    }
    return {
      actions: {
        "show-grads"() {
          scene.hideGrads(null);
          root.querySelector('[data-action="show-grads"]')?.setAttribute("hidden", "");
          ctx.refresh({ selection: true }); // the panel and the step-through may tell them now
        },
      },
      destroy() {
        root.removeAttribute("data-hide");
        root.removeAttribute("data-compact");
        caption?.remove();
      },
    };
  },
};
