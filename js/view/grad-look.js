// How a gradient looks on its node: its sign and a magnitude level (explain.js's
// gradientStyle cut into four steps), as words for the markup and as codes kept per node, so that
// an update rewrites an attribute only where the look changed.

import { gradientStyle, maxAbsFiniteGrad } from "../core/explain.js";

/** @typedef {{sign: Uint8Array, level: Uint8Array}} LookCodes */

/** data-grad-sign values by code (the codes kept per node to skip unchanged writes). */
export const SIGNS = ["zero", "pos", "neg", "nonfinite"];
/** @type {Readonly<Record<string, number>>} */
export const SIGN_CODES = { zero: 0, pos: 1, neg: 2, nonfinite: 3 };

/**
 * A gradient's look on its node: {sign, level} with level 0 (zero grad) to 4 (the largest
 * |grad|), gradientStyle's emphasis cut into four steps so that a drag rewrites few attributes.
 * @param {number} grad
 * @param {number} maxAbsGrad
 * @returns {{sign: "pos" | "neg" | "zero" | "nonfinite", level: number}}
 */
export function gradLook(grad, maxAbsGrad) {
  const { sign, emphasis } = gradientStyle(grad, maxAbsGrad);
  if (sign === "zero") return { sign, level: 0 };
  return { sign, level: Math.max(1, Math.min(4, Math.ceil(emphasis * 4 - 1e-9))) };
}

/**
 * The grad row's data-tint: "zero", "nonfinite", or the sign and level, e.g. "pos3".
 * @param {number} signCode
 * @param {number} level
 */
export function tint(signCode, level) {
  const sign = SIGNS[signCode];
  return signCode === SIGN_CODES.zero || signCode === SIGN_CODES.nonfinite ? sign : `${sign}${level}`;
}

/**
 * Each node's grad look as codes: {sign: Uint8Array of SIGN_CODES, level: Uint8Array}.
 * @param {ArrayLike<number>} grad
 * @returns {LookCodes}
 */
export function lookCodes(grad) {
  const max = maxAbsFiniteGrad(grad);
  const sign = new Uint8Array(grad.length);
  const level = new Uint8Array(grad.length);
  for (let i = 0; i < grad.length; i++) {
    const look = gradLook(grad[i], max);
    sign[i] = SIGN_CODES[look.sign];
    level[i] = look.level;
  }
  return { sign, level };
}
