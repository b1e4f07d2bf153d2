// The bundle's evaluator on every scenario of every topic in leuven/assistant/topics.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { evaluate, relevantAnswers } from "../../static/component/leuven-assistant.js";

const here = dirname(fileURLToPath(import.meta.url));
export const TOPICS = join(here, "..", "..", "..", "..", "leuven", "assistant", "topics");
const topics = readdirSync(TOPICS)
  .filter((name) => name.endsWith(".json"))
  .map((name) => [name, JSON.parse(readFileSync(join(TOPICS, name), "utf8"))]);

test("there are topics with scenarios", () => {
  assert.ok(topics.length >= 4);
  for (const [name, pkg] of topics) assert.ok(pkg.scenarios.length > 0, name);
});

for (const [name, pkg] of topics) {
  test(`scenarios of ${name}`, () => {
    for (const scenario of pkg.scenarios) {
      const state = evaluate(pkg, scenario.answers);
      const got = state.outcomes.map((o) => o.id).sort();
      assert.deepEqual(got, [...scenario.expect].sort(), scenario.name);
      if (got.length) assert.ok(state.trace.length > 0, scenario.name);
    }
  });
}

test("answers to questions that became hidden stop counting", () => {
  const pkg = Object.fromEntries(topics)["bewonersparkeerkaart.json"];
  const answers = {
    woont_in_leuven: false,
    in_zone: true,
    voertuig: "eigen",
    kaarten_gezin: "geen",
  };
  assert.deepEqual(relevantAnswers(pkg, answers), { woont_in_leuven: false });
  const state = evaluate(pkg, answers);
  assert.deepEqual(
    state.outcomes.map((o) => o.id),
    ["geen_leuvenaar"],
  );
  assert.deepEqual(state.trace, ["niet-ingeschreven"]);
  assert.equal(state.complete, true);
});

test("empty answers do not count and the next question comes first", () => {
  const pkg = Object.fromEntries(topics)["bewonersparkeerkaart.json"];
  const state = evaluate(pkg, { woont_in_leuven: true, in_zone: "", voertuig: [] });
  assert.deepEqual(
    state.next.map((q) => q.id),
    ["in_zone"],
  );
  assert.equal(state.complete, false);
  assert.deepEqual(state.outcomes, []);
});
