"""Structural checks of a topic package (the full JSON Schema comes with the engine)."""

from .problems import Problem

REQUIRED_KEYS = ("id", "version", "title", "questions", "outcomes", "rules")


def structural_problems(package):
    """A list of human-readable problems; empty when the package is sound."""
    if not isinstance(package, dict):
        return [Problem("not_an_object", "the package must be a JSON object")]
    problems = [
        Problem("missing_key", "missing key '{key}'", key=key)
        for key in REQUIRED_KEYS
        if key not in package
    ]
    questions = package.get("questions") or []
    outcomes = package.get("outcomes") or []
    if "outcomes" in package and not outcomes:
        problems.append(Problem("no_outcome", "a topic needs at least one outcome"))
    question_ids = [q.get("id") for q in questions if isinstance(q, dict)]
    outcome_ids = [o.get("id") for o in outcomes if isinstance(o, dict)]
    for kind, ids in (("question", question_ids), ("outcome", outcome_ids)):
        if None in ids:
            problems.append(
                Problem("missing_id", "every {kind} needs an 'id'", kind=kind)
            )
        seen = set()
        for ident in ids:
            if ident in seen:
                problems.append(
                    Problem(
                        "duplicate_id",
                        "{kind} id '{ident}' is used twice",
                        kind=kind,
                        ident=ident,
                    )
                )
            seen.add(ident)
    for index, rule in enumerate(package.get("rules") or []):
        target = rule.get("then") if isinstance(rule, dict) else None
        if target not in outcome_ids:
            problems.append(
                Problem(
                    "rule_unknown_outcome",
                    "{rule} leads to unknown outcome '{outcome}'",
                    rule=f"rule {index + 1}",
                    outcome=target,
                )
            )
    return problems
