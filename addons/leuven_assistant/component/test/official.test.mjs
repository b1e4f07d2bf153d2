// The official JsonLogic test suite through the json-logic-js inside the bundle.
import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonLogic } from "../../static/component/leuven-assistant.js";
import { OFFICIAL_SUITE, officialCases } from "./official-suite.mjs";

const cases = officialCases();

test("the official JsonLogic suite is installed", () => {
  assert.ok(cases, `${OFFICIAL_SUITE} is missing: run \`npm ci\` in the component folder`);
  assert.ok(cases.length > 250, `only ${cases.length} cases`);
});

test("json-logic-js in the bundle passes the official JsonLogic suite", (t) => {
  if (!cases) return t.skip("official suite not installed (npm ci)");
  const failures = [];
  for (const { section, index, logic, data, expected } of cases) {
    let got;
    try {
      got = jsonLogic.apply(logic, data);
    } catch (error) {
      got = `error: ${error.message}`;
    }
    try {
      assert.deepStrictEqual(got, expected);
    } catch {
      failures.push(`#${index} (${section}) ${JSON.stringify(logic)} -> ${JSON.stringify(got)}`);
    }
  }
  assert.deepEqual(failures, []);
});
