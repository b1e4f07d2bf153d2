// The assistant's evaluator in the browser: the same traversal and outcomes as
// leuven/assistant/engine.py (relevant_answers, evaluate), with json-logic-js.
// leuven/tests/test_assistant_js_agreement.py checks that both give identical
// results on every scenario and on generated answer combinations.
import jsonLogic from "json-logic-js";

export { jsonLogic };

// Truth as Python's bool(): empty arrays and objects are false, NaN is true.
export function truthy(value) {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return Boolean(value);
}

function isVisible(question, answers) {
  const condition = question.visible_if;
  if (condition === undefined || condition === null) return true;
  return truthy(jsonLogic.apply(condition, answers));
}

function isGiven(value) {
  return !(
    value === null ||
    value === undefined ||
    value === "" ||
    (Array.isArray(value) && value.length === 0)
  );
}

const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * The answers that count: given, and to questions visible given the others.
 * Questions are taken in order, so an answer to a question that a changed
 * earlier answer hides no longer counts.
 */
export function relevantAnswers(pkg, answers) {
  const given = answers || {};
  const kept = {};
  for (const question of pkg.questions || []) {
    const id = question.id;
    if (own(given, id) && isGiven(given[id]) && isVisible(question, kept)) {
      kept[id] = given[id];
    }
  }
  return kept;
}

/**
 * Where a session stands given `answers` (question id -> value):
 * {next: [question, ...], outcomes: [outcome, ...], trace: [rule id, ...],
 * complete: bool}. Only the answers to visible questions count.
 */
export function evaluate(pkg, answers) {
  const kept = relevantAnswers(pkg, answers);
  const next = (pkg.questions || []).filter(
    (q) => !own(kept, q.id) && isVisible(q, kept),
  );
  const byId = new Map();
  for (const outcome of pkg.outcomes || []) byId.set(outcome.id, outcome);
  const outcomes = [];
  const trace = [];
  (pkg.rules || []).forEach((rule, index) => {
    if (truthy(jsonLogic.apply(rule.if, kept))) {
      trace.push(rule.id || `rule-${index + 1}`);
      const outcome = byId.get(rule.then);
      if (outcome && !outcomes.includes(outcome)) outcomes.push(outcome);
    }
  });
  return { next, outcomes, trace, complete: next.length === 0 };
}

/** The visible questions in order given the answers (the path through a topic). */
export function path(pkg, answers) {
  const kept = relevantAnswers(pkg, answers);
  return (pkg.questions || []).filter((q) => isVisible(q, kept));
}

/** Question ids used with `var` in a JsonLogic expression. */
export function varsOf(logic, found = new Set()) {
  if (Array.isArray(logic)) {
    for (const item of logic) varsOf(item, found);
  } else if (logic && typeof logic === "object") {
    for (const [op, args] of Object.entries(logic)) {
      if (op === "var") {
        const name = Array.isArray(args) ? args[0] : args;
        if (typeof name === "string" && name) found.add(name.split(".")[0]);
      } else {
        varsOf(args, found);
      }
    }
  }
  return found;
}
