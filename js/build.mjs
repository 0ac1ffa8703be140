// Bundles widget.js and the modules it imports into micrograd_magic/static/widget.js: one
// minified ES module that anywidget loads as `_esm` and the exported page inlines.
// Fails when the bundle grows past the project's budget, so a heavy dependency cannot sneak in.

import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = resolve(here, "../micrograd_magic/static/widget.js");
const BUDGET_BYTES = 120 * 1024;

mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [resolve(here, "widget.js")],
  outfile,
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  legalComments: "none",
  banner: {
    js: "/* micrograd_magic graph widget (MIT License). */",
  },
  logLevel: "warning",
});
const bytes = statSync(outfile).size;
console.log(`${outfile}: ${(bytes / 1024).toFixed(1)} KB`);
if (bytes > BUDGET_BYTES) {
  console.error(`bundle is over its budget of ${BUDGET_BYTES / 1024} KB`);
  process.exit(1);
}
