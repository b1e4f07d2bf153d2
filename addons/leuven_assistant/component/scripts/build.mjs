// Builds leuven-assistant.js: one minified ES module with json-logic-js inside.
// The bundle is committed (the Odoo server serves it); run `npm ci && npm run build`.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const jl = JSON.parse(
  readFileSync(join(root, "node_modules/json-logic-js/package.json"), "utf8"),
);
const licence = readFileSync(join(root, "node_modules/json-logic-js/LICENSE"), "utf8")
  .trim()
  .replaceAll("*/", "* /");
const banner = [
  `/*! <leuven-assistant> ${own.version} | Stad Leuven | ${own.license} */`,
  `/*! Includes json-logic-js ${jl.version} (https://github.com/jwadhams/json-logic-js):\n${licence}\n*/`,
].join("\n");

export async function bundle(outfile = join(root, "..", "static", "component", "leuven-assistant.js")) {
  return build({
    entryPoints: [join(root, "src/leuven-assistant.js")],
    outfile,
    bundle: true,
    format: "esm",
    minify: true,
    target: ["es2020"],
    legalComments: "inline",
    banner: { js: banner },
    charset: "utf8",
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundle(process.argv[2]);
}
