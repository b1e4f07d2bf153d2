// custom-elements.json describes what the element really has.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { LeuvenAssistant } from "../../static/component/leuven-assistant.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "..", "static", "component", "custom-elements.json"), "utf8"));
const element = manifest.modules[0].declarations.find((d) => d.customElement);
const source = ["leuven-assistant.js", "styles.js"]
  .map((name) => readFileSync(join(root, "src", name), "utf8"))
  .join("\n");

test("the manifest lists the observed attributes", () => {
  assert.deepEqual(
    element.attributes.map((a) => a.name).sort(),
    [...LeuvenAssistant.observedAttributes].sort(),
  );
});

test("the manifest lists the events the element dispatches", () => {
  const emitted = [...source.matchAll(/emit\("([a-z-]+)"/g)].map((m) => m[1]);
  assert.deepEqual(element.events.map((e) => e.name).sort(), [...new Set(emitted)].sort());
});

test("the manifest lists the CSS custom properties and parts", () => {
  const properties = new Set(source.match(/--leuven-assistant-[a-z-]+/g));
  assert.deepEqual(element.cssProperties.map((p) => p.name).sort(), [...properties].sort());
  const parts = new Set(
    [...source.matchAll(/part: "([a-z -]+)"/g), ...source.matchAll(/"button button-primary"/g)]
      .flatMap((m) => (m[1] || "button button-primary").split(" ")),
  );
  for (const part of ["question", "legend", "help", "option", "button", "button-primary"]) {
    assert.ok(parts.has(part), part);
  }
  assert.deepEqual(element.cssParts.map((p) => p.name).sort(), [...parts].sort());
});

test("the OpenAPI document refers to the published topic package schema", () => {
  const api = JSON.parse(readFileSync(join(root, "..", "static", "component", "openapi.json"), "utf8"));
  assert.equal(api.openapi, "3.1.0");
  assert.equal(
    api.components.schemas.Topic.allOf[0].$ref,
    "/assistant/spec/topic-package.schema.json",
  );
  for (const path of [
    "/topics",
    "/topics/{id}",
    "/sessions",
    "/sessions/{token}/answers",
    "/sessions/{token}/handoff",
  ]) {
    assert.ok(api.paths[path], path);
  }
});
