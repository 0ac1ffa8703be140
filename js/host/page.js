// The exported page's entry point, bundled by build.mjs into micrograd_magic/static/host.js,
// which export.py inlines as the page's one module script: it runs host.js in the page.

import { startPage } from "./host.js";

startPage(window).catch((err) => {
  console.error("micrograd_magic: the page could not draw its widgets:", err);
});
