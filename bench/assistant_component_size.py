#!/usr/bin/env python3
"""Size of the <leuven-assistant> bundle (web component + evaluator +
json-logic-js), raw and gzipped, against the 30 kB gzipped budget.

    .venv/bin/python bench/assistant_component_size.py
"""

import gzip
import sys
from pathlib import Path

BUNDLE = (
    Path(__file__).resolve().parents[1]
    / "addons"
    / "leuven_assistant"
    / "static"
    / "component"
    / "leuven-assistant.js"
)
BUDGET = 30 * 1024


def main():
    raw = BUNDLE.read_bytes()
    gzipped = len(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"bundle: {BUNDLE.relative_to(BUNDLE.parents[4])}")
    print("| measure | bytes | kB |\n|---|---|---|")
    print(f"| raw | {len(raw)} | {len(raw) / 1024:.1f} |")
    print(f"| gzipped (level 9) | {gzipped} | {gzipped / 1024:.1f} |")
    print(f"| budget (gzipped) | {BUDGET} | {BUDGET / 1024:.1f} |")
    within = gzipped < BUDGET
    print(f"within budget: {'yes' if within else 'NO'} ({gzipped / BUDGET:.0%})")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
