#!/usr/bin/env python3
"""Assistant engine benchmark: time per step (next question + outcomes) on a
generated topic of N questions, and the time to validate (prove) a generated
topic of N number questions. Pure Python, no Odoo, no network.

    .venv/bin/python bench/assistant_engine.py [--questions 50] [--runs 200]
        [--validations 20]
"""

import argparse
import os
import platform
import statistics
import time

from leuven.assistant import engine


def generated_topic(count):
    """A chain of yes/no questions, each shown when the previous was 'yes';
    a 'no' anywhere ends with outcome 'stop', all 'yes' with outcome 'done'."""
    questions = []
    for index in range(count):
        question = {
            "id": f"q{index}",
            "type": "yes_no",
            "label": {"nl": f"Vraag {index}"},
        }
        if index:
            question["visible_if"] = {"===": [{"var": f"q{index - 1}"}, True]}
        questions.append(question)
    stop = {"or": [{"===": [{"var": f"q{i}"}, False]} for i in range(count)]}
    done = {"===": [{"var": f"q{count - 1}"}, True]}
    return {
        "id": "bench",
        "version": "1.0.0",
        "title": {"nl": "Bench"},
        "questions": questions,
        "outcomes": [{"id": "stop", "title": {"nl": "Stop"}},
                     {"id": "done", "title": {"nl": "Klaar"}}],
        "rules": [{"id": "r-stop", "if": stop, "then": "stop"},
                  {"id": "r-done", "if": done, "then": "done"}],
    }  # fmt: skip


def numeric_topic(count, section=5):
    """N number questions in sections of ``section``: the first of a section
    is always asked, the next one when the previous answer is at least 10.
    An answer under 10 ends with 'afgewezen', 20 or more also gives 'premie',
    10 or more on the last question of every section 'goedgekeurd'. Sound:
    every complete answer set reaches an outcome."""
    questions, rules, lasts = [], [], []
    for index in range(count):
        qid = f"n{index}"
        question = {"id": qid, "type": "number", "label": {"nl": f"Getal {index}"}}
        if index % section:
            question["visible_if"] = {">=": [{"var": f"n{index - 1}"}, 10]}
        if index % section == section - 1 or index == count - 1:
            lasts.append(qid)
        questions.append(question)
        answered = {"!==": [{"var": qid}, None]}
        rules.append(
            {
                "id": f"laag-{index}",
                "then": "afgewezen",
                "if": {"and": [answered, {"<": [{"var": qid}, 10]}]},
            }
        )
        rules.append(
            {"id": f"hoog-{index}", "then": "premie", "if": {">=": [{"var": qid}, 20]}}
        )
    rules.append(
        {
            "id": "alles",
            "then": "goedgekeurd",
            "if": {"and": [{">=": [{"var": q}, 10]} for q in lasts]},
        }
    )
    return {
        "id": "bench-getallen",
        "version": "1.0.0",
        "title": {"nl": "Bench getallen"},
        "questions": questions,
        "outcomes": [{"id": o, "title": {"nl": o}}
                     for o in ("afgewezen", "premie", "goedgekeurd")],
        "rules": rules,
    }  # fmt: skip


def validation_timings(topic, runs):
    timings, problems = [], []
    for _ in range(runs):
        started = time.perf_counter()
        problems = engine.validate(topic)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--validations", type=int, default=20)
    args = parser.parse_args()
    topic = generated_topic(args.questions)
    timings = []
    for run in range(args.runs):
        answers = {}
        depth = run % args.questions
        for index in range(depth):
            answers[f"q{index}"] = True
        started = time.perf_counter()
        engine.evaluate(topic, answers)
        timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    problems = engine.validate(topic)
    validate_ms = (time.perf_counter() - started) * 1000
    p50, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[-1]
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores")
    print(f"topic: {args.questions} questions, {args.runs} steps measured")
    print(f"step (next question + outcomes): p50 {p50:.3f} ms, p95 {p95:.3f} ms")
    print(
        f"validate the whole package: {validate_ms:.1f} ms ({len(problems)} problems)"
    )
    timings, problems = validation_timings(
        numeric_topic(args.questions), args.validations
    )
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else p50
    print(
        f"validate (prove) a {args.questions}-number-question topic, "
        f"{args.validations} runs: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"(target p95 < 500 ms; {len(problems)} problems"
        + (f": {'; '.join(problems)}" if problems else "")
        + ")"
    )


if __name__ == "__main__":
    main()
