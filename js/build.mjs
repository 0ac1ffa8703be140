// Bundles the two pieces of JavaScript the Python package ships, into micrograd_magic/static/:
// - widget.js: widget.js and the modules it imports, one minified ES module that anywidget
//   loads as `_esm` and the exported page inlines;
// - host.js: page.js and host.js, the exported page's host (its model objects, the loader of
//   the widget bundle, height reporting), which the page inlines as its module script.
// Fails when a bundle grows past its budget, so a heavy dependency cannot sneak in.

import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(here, "../micrograd_magic/static");
const BUNDLES = [
  { entry: "widget.js", out: "widget.js", budgetBytes: 152 * 1024 },
  { entry: "host/page.js", out: "host.js", budgetBytes: 8 * 1024 },
];

mkdirSync(outdir, { recursive: true });
let over = false;
for (const { entry, out, budgetBytes } of BUNDLES) {
  const outfile = resolve(outdir, out);
  await build({
    entryPoints: [resolve(here, entry)],
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
  if (bytes > budgetBytes) {
    console.error(`${out} is over its budget of ${budgetBytes / 1024} KB`);
    over = true;
  }
}
if (over) process.exit(1);
