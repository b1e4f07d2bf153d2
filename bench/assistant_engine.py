#!/usr/bin/env python3
"""Assistant engine benchmark: time per step (next question + outcomes) on a
generated topic of N questions. Pure Python, no Odoo, no network.

    .venv/bin/python bench/assistant_engine.py [--questions 50] [--runs 200]
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
        "outcomes": [{"id": "stop"}, {"id": "done"}],
        "rules": [{"id": "r-stop", "if": stop, "then": "stop"},
                  {"id": "r-done", "if": done, "then": "done"}],
    }  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
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


if __name__ == "__main__":
    main()
