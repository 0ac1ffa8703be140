// Quiz mode's logic, pure (no DOM): which grads are asked, whether a guess is right, the
// suggested order, and the hint (the chain-rule sum with the parts not yet known left blank).

import { chainRuleTerms, formatText } from "./explain.js";

/** A guess is right within this relative tolerance of the true grad ... */
export const QUIZ_RTOL = 1e-3;
/** ... or within this absolute one (near 0). */
export const QUIZ_ATOL = 1e-6;
/** What a hint writes for a grad the student has not found yet. */
export const BLANK = "▢";

/**
 * One asked node's progress, as the model's `quiz_progress` lists it.
 * @typedef {object} QuizEntry
 * @property {number} id
 * @property {boolean} solved answered right (and still right at the current values)
 * @property {boolean} revealed shown by "Reveal" or "Reveal all"
 * @property {number} attempts answers given
 * @property {number | null} answer the right answer given, to check again when a slider moves
 */

/**
 * A number typed by a student: "1.5", "-2", "−0.25" (the typographic minus), "3e-4"; null when
 * it is not a finite number.
 * @param {string} text
 * @returns {number | null}
 */
export function parseGuess(text) {
  const clean = text.trim().replaceAll("−", "-").replaceAll(",", ".");
  if (clean === "") return null;
  const x = Number(clean);
  return Number.isFinite(x) ? x : null;
}

/**
 * Whether `guess` is the grad `truth`: relative 1e-3, or absolute 1e-6 near 0.
 * @param {number} guess
 * @param {number} truth
 */
export function isRight(guess, truth) {
  if (!Number.isFinite(truth)) return Object.is(guess, truth);
  return Math.abs(guess - truth) <= Math.max(QUIZ_RTOL * Math.abs(truth), QUIZ_ATOL);
}

/**
 * The asked ids from the model's `quiz` key ({asked: [ids]}), checked against the graph;
 * null when the key holds no quiz.
 * @param {import("./engine.js").ParsedGraph} g
 * @param {unknown} quiz
 * @returns {number[] | null}
 */
export function askedIds(g, quiz) {
  if (quiz === null || typeof quiz !== "object" || !("asked" in quiz) || !Array.isArray(quiz.asked)) return null;
  const ids = quiz.asked.filter((id) => Number.isInteger(id) && id >= 0 && id < g.size);
  return [...new Set(ids)];
}

/**
 * The order to solve them in: from the output backwards (ids descending, since nodes come in
 * topological order), so each node comes after every user whose grad its own needs.
 * @param {ReadonlyArray<number>} asked
 * @returns {number[]}
 */
export function suggestedOrder(asked) {
  return [...asked].sort((a, b) => b - a);
}

/**
 * The hint for node `id`: its chain-rule sum, each user's grad written as a number where the
 * student knows it (`known(parent)`) and as a blank where not, e.g.
 * "∂o/∂x = ∂o/∂n·w = ▢·−0.5". The node's own grad never appears.
 * @param {import("./engine.js").ParsedGraph} g
 * @param {ArrayLike<number>} data
 * @param {ArrayLike<number>} grad
 * @param {number} id
 * @param {(id: number) => boolean} known
 * @returns {string}
 */
export function hintText(g, data, grad, id, known) {
  const chain = chainRuleTerms(g, data, grad, id);
  const lhs = chain.text.split(" = ")[0];
  if (chain.kind === "output") return `${lhs}: backprop starts here, with 1 by definition`;
  if (chain.kind === "unused") return chain.text.split(" = ").slice(1).join(" = ").replace(/^0: /, `${lhs}: `);
  const symbolic = chain.terms.map((t) => t.text.split(" = ")[0]);
  const numeric = chain.terms.map((t) => `${known(t.parent) ? formatText(t.parentGrad) : BLANK}·${formatText(t.local)}`);
  return `${lhs} = ${symbolic.join(" + ")} = ${numeric.join(" + ")}`;
}
