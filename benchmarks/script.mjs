// What the Node benchmark scripts share: reading `--name value` options and the median.

/**
 * The value after `--name` on the command line, or `fallback` when it is not given.
 * @param {string} name
 * @param {string} fallback
 */
export function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/**
 * The median of `xs` (the mean of the middle two for an even count).
 * @param {number[]} xs
 */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
