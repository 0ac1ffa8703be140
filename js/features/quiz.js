// Quiz mode: predict the gradient. The model's `quiz` key ({asked: [ids]}, the kernel's) names
// the nodes whose grads the student must find; until each is solved or revealed its grad shows
// "?" and is nowhere in the page (scene.hideGrads), the details panel and the step-through stay
// closed (they would tell), and the node's card holds an input (`input[data-guess="ID"]`).
// Enter checks the guess (core/quiz.js); the card's `[data-verdict]` says correct or wrong; the
// quiz panel ("side" slot) holds the progress (`[data-metric="solved"]`), the suggested order,
// the hint with blanks after a wrong answer, "Reveal" and "Reveal all". A slider move un-solves
// the nodes whose answers are no longer right. Progress goes to the model's `quiz_progress`.
//
// In a network (a graph with groups) only a drawn card takes an answer: a closed box shows how
// many asked grads it hides (`[data-quiz-inside]`), and the prompt for a hidden node says to open
// its box. Opening or closing a box keeps the feature, and with it the progress, verdicts and
// feedback; its `redrawn` hook puts the answer boxes and counts on what was drawn anew.

import { nodeName } from "../core/explain.js";
import { askedIds, hintText, isRight, parseGuess, suggestedOrder } from "../core/quiz.js";
import { METRICS } from "../layout/geometry.js";
import { make } from "../view/toolbar.js";

/** @typedef {import("../core/quiz.js").QuizEntry} QuizEntry */

const SVG_NS = "http://www.w3.org/2000/svg";
const XHTML_NS = "http://www.w3.org/1999/xhtml";
const VERDICT_MARKS = { correct: "✓", wrong: "✗", revealed: "👁", "": "" };

/** @type {import("../widget/controller.js").Feature} */
export const quizFeature = {
  name: "quiz",
  create(ctx) {
    const { doc, scene, numbers } = ctx;
    const found = askedIds(numbers.g, ctx.model.get("quiz"));
    if (found === null || found.length === 0) return {};
    const asked = found;
    const order = suggestedOrder(asked);
    /** @type {Map<number, QuizEntry>} each asked node's progress */
    const progress = new Map(asked.map((id) => [id, { id, solved: false, revealed: false, attempts: 0, answer: null }]));
    /** @type {Map<number, "" | "correct" | "wrong" | "revealed">} the verdict each card shows */
    const verdicts = new Map(asked.map((id) => [id, ""]));
    /** @type {Map<number, string>} the last feedback on each */
    const said = new Map();
    /** @type {Map<number, {input: Element, verdict: Element}>} the asked nodes drawn as cards */
    const cards = new Map();
    /** @type {Map<Element, {ids: number[], badge: Element}>} each closed box hiding asked nodes: those, and its count */
    const inside = new Map();

    const panel = make(doc, "section", "mgm-panel mgm-quiz");
    panel.setAttribute("data-quiz", "");
    panel.setAttribute("aria-live", "polite");
    panel.setAttribute("aria-label", "Quiz");
    const metric = make(doc, "div", "mgm-panel-title");
    metric.setAttribute("data-metric", "solved");
    const orderLine = make(doc, "p", "mgm-panel-note");
    const prompt = make(doc, "p", "mgm-panel-chain");
    const feedback = make(doc, "p", "mgm-panel-note");
    feedback.setAttribute("data-quiz-feedback", "");
    const hint = make(doc, "p", "mgm-panel-chain");
    hint.setAttribute("data-hint", "");
    const reveal = quizButton("reveal", "Reveal");
    const revealAll = quizButton("reveal-all", "Reveal all");
    panel.append(metric, orderLine, prompt, feedback, hint, reveal, revealAll);
    ctx.place("side", panel);

    /**
     * The answer boxes on the drawn asked cards, the counts on the closed boxes hiding the rest;
     * again after a new drawing, keeping those still on the element they were put on.
     */
    function attach() {
      const hadCards = new Map(cards);
      const hadBadges = new Map([...inside].map(([el, { badge }]) => [el, badge]));
      cards.clear();
      inside.clear();
      hiddenKey = null; // a new scene hides nothing yet
      for (const id of asked) {
        const el = scene.nodeElement(id);
        if (el.getAttribute("data-node-id") === String(id)) {
          const kept = hadCards.get(id);
          cards.set(id, kept?.input.parentNode === el ? kept : addToCard(id));
          continue;
        }
        const box = inside.get(el);
        if (box) box.ids.push(id);
        else {
          const kept = hadBadges.get(el);
          inside.set(el, { ids: [id], badge: kept?.parentNode === el ? kept : addBadge(el) });
        }
      }
    }

    /** The count of asked grads a closed box hides, in its corner. @param {Element} box */
    function addBadge(box) {
      const badge = make(doc, "span", "mgm-quiz-badge");
      badge.setAttribute("aria-hidden", "true");
      box.append(badge);
      return badge;
    }

    /** @param {string} action @param {string} text */
    function quizButton(action, text) {
      const b = /** @type {HTMLButtonElement} */ (make(doc, "button", "mgm-button", text));
      b.type = "button";
      b.setAttribute("data-action", action);
      return b;
    }

    /** The input and the verdict mark on node `id`'s card. @param {number} id */
    function addToCard(id) {
      const box = ctx.drawing.boxes[id];
      const node = scene.nodeElement(id);
      const rh = METRICS.rowHeight;
      const fo = doc.createElementNS(SVG_NS, "foreignObject");
      fo.setAttribute("x", String(box.cardX + METRICS.captionWidth));
      fo.setAttribute("y", String(box.headerHeight + rh + 1));
      fo.setAttribute("width", String(Math.max(24, box.cardWidth - METRICS.captionWidth - 3)));
      fo.setAttribute("height", String(rh - 2));
      fo.setAttribute("class", "mgm-guess-box");
      const input = /** @type {HTMLInputElement} */ (doc.createElementNS(XHTML_NS, "input"));
      input.setAttribute("data-guess", String(id));
      input.setAttribute("class", "mgm-guess");
      input.setAttribute("inputmode", "decimal");
      input.setAttribute("autocomplete", "off");
      input.setAttribute("data-lm-suppress-shortcuts", "true");
      input.setAttribute("aria-label", `your answer for the grad of ${nodeName(numbers.g, id)}, then Enter`);
      input.addEventListener("keydown", (event) => {
        event.stopPropagation(); // the graph's keys (arrows, Enter, Escape, + −) are typing here
        if (event.key === "Enter") answer(id, input.value);
      });
      for (const type of ["pointerdown", "mousedown", "click", "dblclick"]) {
        input.addEventListener(type, (event) => event.stopPropagation());
      }
      input.addEventListener("focus", () => {
        if (ctx.state.selected !== id) ctx.select(id);
      });
      fo.appendChild(input);
      const verdict = doc.createElementNS(SVG_NS, "text");
      verdict.setAttribute("class", "mgm-verdict");
      verdict.setAttribute("data-verdict", "");
      verdict.setAttribute("x", String(box.cardX + box.cardWidth - 3));
      verdict.setAttribute("y", String(Math.max(box.headerHeight, rh) / 2));
      verdict.setAttribute("dy", ".35em");
      node.append(fo, verdict);
      return { input: fo, verdict };
    }

    /** @param {number} id */
    const open = (id) => {
      const p = progress.get(id);
      return p !== undefined && !p.solved && !p.revealed;
    };
    /** @param {number} id */
    const known = (id) => !open(id);

    /**
     * @param {number} id
     * @param {string} text
     */
    function answer(id, text) {
      const p = progress.get(id);
      if (!p || !open(id)) return;
      const guess = parseGuess(text);
      if (guess === null) {
        said.set(id, "Type a number, then Enter.");
        draw();
        return;
      }
      p.attempts += 1;
      if (isRight(guess, numbers.grad[id])) {
        p.solved = true;
        p.answer = guess;
        verdicts.set(id, "correct");
        said.set(id, `Right: ${nodeName(numbers.g, id)}.grad is ${guess}.`);
      } else {
        verdicts.set(id, "wrong");
        said.set(id, "Not quite: that is not the grad. The hint below leaves blank what you have not found yet.");
      }
      changed();
    }

    /** @param {number} id */
    function revealOne(id) {
      const p = progress.get(id);
      if (!p || !open(id)) return;
      p.revealed = true;
      verdicts.set(id, "revealed");
      said.set(id, "Revealed.");
    }

    /** Whatever progress says: the marks, the hidden grads, the panel; then tell the model. */
    function changed() {
      draw();
      ctx.model.save({ quiz_progress: asked.map((id) => ({ ...progress.get(id) })) });
      ctx.refresh({ selection: true }); // the details panel and spoken labels may tell more now
    }

    /** @type {string | null} the open ids the scene hides now: it is told only of a change */
    let hiddenKey = null;
    function draw() {
      const key = asked.filter(open).join(" ");
      if (key !== hiddenKey) {
        const mask = new Uint8Array(numbers.g.size);
        for (const id of asked) if (open(id)) mask[id] = 1;
        scene.hideGrads(key ? mask : null);
        hiddenKey = key;
      }
      for (const id of asked) {
        const card = cards.get(id);
        if (!card) continue;
        if (!open(id)) card.input.setAttribute("display", "none");
        else card.input.removeAttribute("display");
        const v = verdicts.get(id) ?? "";
        card.verdict.setAttribute("data-verdict", v);
        card.verdict.textContent = VERDICT_MARKS[v];
      }
      for (const [box, { ids, badge }] of inside) {
        const count = ids.filter(open).length;
        badge.textContent = count ? `${count} ?` : "";
        if (count) box.setAttribute("data-quiz-inside", String(count));
        else box.removeAttribute("data-quiz-inside");
      }
      const solved = asked.filter((id) => progress.get(id)?.solved).length;
      metric.setAttribute("data-value", String(solved));
      metric.setAttribute("data-total", String(asked.length));
      const revealedCount = asked.filter((id) => progress.get(id)?.revealed).length;
      metric.textContent = `${solved} of ${asked.length} solved${revealedCount ? `, ${revealedCount} revealed` : ""}`;
      const todo = order.filter(open);
      ctx.root.toggleAttribute("data-quiz-open", todo.length > 0); // the stylesheet hides the details panel
      orderLine.textContent = todo.length
        ? `Suggested order (from the output back): ${todo.map((id) => nodeName(numbers.g, id)).join(", ")}`
        : "Every asked grad is found: click a node to see how it was computed.";
      revealAll.hidden = todo.length === 0;
      const id = ctx.state.selected;
      const asking = id !== null && open(id);
      prompt.textContent = asking
        ? `What is the grad of ${nodeName(numbers.g, id)}? ${cards.has(id) ? "Type it on its card and press Enter." : `It is in the closed box ${boxName(id)}: open it to answer on its card.`}`
        : todo.length ? `Click a node showing ? and type its grad on the card${inside.size ? "; open a box marked ? for more" : ""}.` : "";
      feedback.textContent = id !== null ? (said.get(id) ?? "") : "";
      const wrong = asking && verdicts.get(id) === "wrong";
      hint.textContent = wrong ? `Hint: ${hintText(numbers.g, numbers.data, numbers.grad, id, known)}` : "";
      reveal.hidden = !asking;
    }

    /** The short name of the closed box that hides node `id`. @param {number} id */
    function boxName(id) {
      const path = scene.nodeElement(id).getAttribute("data-group") ?? "";
      const tree = ctx.drawing.network?.tree;
      const grp = tree?.byPath.get(path);
      return grp === undefined || !tree ? path : tree.shorts[grp] || tree.kinds[grp];
    }

    /** A slider moved: an answer that no longer fits is open again. */
    function recheck() {
      let any = false;
      for (const id of asked) {
        const p = progress.get(id);
        if (!p?.solved || p.answer === null || isRight(p.answer, numbers.grad[id])) continue;
        p.solved = false;
        p.answer = null;
        verdicts.set(id, "");
        said.set(id, "The numbers changed: this answer is no longer right.");
        any = true;
      }
      return any;
    }

    /** Take up a progress list from the model (a reload, the kernel's word). @param {unknown} value */
    function adopt(value) {
      if (!Array.isArray(value)) return;
      for (const item of value) {
        const p = progress.get(item?.id);
        if (!p) continue;
        const solved = item.solved === true;
        const revealed = item.revealed === true;
        p.attempts = Number.isInteger(item.attempts) && item.attempts >= 0 ? item.attempts : 0;
        p.answer = typeof item.answer === "number" ? item.answer : null;
        if (solved === p.solved && revealed === p.revealed) continue; // our own save coming back
        p.solved = solved;
        p.revealed = revealed;
        verdicts.set(p.id, revealed ? "revealed" : solved ? "correct" : "");
      }
    }

    attach();
    draw();
    return {
      actions: {
        reveal() {
          const id = ctx.state.selected;
          if (id === null) return;
          revealOne(id);
          changed();
        },
        "reveal-all"() {
          for (const id of asked) revealOne(id);
          changed();
        },
      },
      refresh(change) {
        if (change.numbers && recheck()) {
          changed();
          return;
        }
        if (change.numbers || change.selection) draw();
      },
      modelKeys: {
        quiz_progress(value) {
          adopt(value);
          if (recheck()) changed();
          else draw();
        },
      },
      redrawn() {
        // a card drawn anew (its group opened or closed) gets its answer box again, a box that
        // now hides asked grads its count
        attach();
        draw();
      },
      start() {
        adopt(ctx.model.get("quiz_progress"));
        if (recheck()) changed();
        else {
          draw();
          ctx.refresh({ selection: true });
        }
      },
    };
  },
};
