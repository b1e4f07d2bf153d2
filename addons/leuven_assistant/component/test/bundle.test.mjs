// The committed bundle: its exports, its licence notice, its size and that it
// is what `npm run build` makes of src/ (when esbuild is installed).
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as bundle from "../../static/component/leuven-assistant.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BUNDLE = join(root, "..", "static", "component", "leuven-assistant.js");
const BUDGET = 30 * 1024;

test("the bundle exports the evaluator and json-logic-js", () => {
  assert.equal(typeof bundle.evaluate, "function");
  assert.equal(typeof bundle.relevantAnswers, "function");
  assert.equal(typeof bundle.jsonLogic.apply, "function");
  assert.equal(typeof bundle.LeuvenAssistant, "function");
});

test("the bundle keeps the MIT licence notice of json-logic-js", () => {
  const text = readFileSync(BUNDLE, "utf8");
  assert.match(text, /json-logic-js 2\.0\.5/);
  assert.match(text, /Copyright \(c\) 2015 Jeremy Wadhams/);
  assert.match(text, /Permission is hereby granted, free of charge/);
});

test("the bundle stays under 30 kB gzipped", () => {
  const size = gzipSync(readFileSync(BUNDLE), { level: 9 }).length;
  assert.ok(size < BUDGET, `${size} bytes gzipped`);
});

test("the committed bundle is the build of src/", async (t) => {
  if (!existsSync(join(root, "node_modules", "esbuild"))) {
    return t.skip("esbuild not installed (npm ci)");
  }
  const { bundle: build } = await import("../scripts/build.mjs");
  const out = join(mkdtempSync(join(tmpdir(), "leuven-assistant-")), "bundle.js");
  await build(out);
  assert.ok(
    readFileSync(out).equals(readFileSync(BUNDLE)),
    "leuven-assistant.js is stale: run `npm run build` and commit it",
  );
});
