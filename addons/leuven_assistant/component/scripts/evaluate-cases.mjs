// Evaluates cases read as JSON on stdin with the committed bundle and prints
// the results as JSON (used by leuven/tests/test_assistant_js_agreement.py).
//
// stdin:  {"packages": {name: package}, "cases": [{"topic": name, "answers": {...}}],
//          "logic": [{"logic": ..., "data": ...}], "official": bool}
// stdout: {"cases": [{"next": [ids], "outcomes": [ids], "trace": [...], "complete": bool}],
//          "logic": [{"value": ...} | {"undefined": true} | {"error": "..."}],
//          "official": [{"section", "index", "logic", "data", "expected", "js"}] | null}
import { evaluate, jsonLogic } from "../../static/component/leuven-assistant.js";
import { officialCases } from "../test/official-suite.mjs";

// {"log": x} writes with console.log: keep stdout for the JSON answer
console.log = (...args) => console.error(...args);

function apply(logic, data) {
  try {
    const value = jsonLogic.apply(logic, data);
    return value === undefined ? { undefined: true } : { value };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
const packages = input.packages || {};
const output = {
  cases: (input.cases || []).map(({ topic, answers }) => {
    try {
      const state = evaluate(packages[topic], answers);
      return {
        next: state.next.map((q) => q.id),
        outcomes: state.outcomes.map((o) => o.id),
        trace: state.trace,
        complete: state.complete,
      };
    } catch (error) {
      return { error: String(error.message || error) };
    }
  }),
  logic: (input.logic || []).map(({ logic, data }) => apply(logic, data)),
  official: null,
};
if (input.official) {
  const cases = officialCases();
  output.official =
    cases && cases.map((c) => ({ ...c, js: apply(c.logic, c.data) }));
}
process.stdout.write(JSON.stringify(output));
