#!/usr/bin/env python3
"""Write each addon's README.rst from its manifest and readme/*.md fragments."""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("PRIVACY.md", "Privacy"),
)


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    title = manifest["name"]
    parts = [title, "=" * len(title), "", manifest["summary"], ""]
    for name, heading in SECTIONS:
        fragment = addon / "readme" / name
        if not fragment.exists():
            continue
        if heading:
            parts += [heading, "-" * len(heading), ""]
        text = re.sub(r"`([^`]+)`", r"``\1``", fragment.read_text())
        parts += [text.strip(), ""]
    credits = f"{manifest['author']}. Licence {manifest['license']}."
    parts += ["Credits", "-------", "", credits, ""]
    return "\n".join(parts)


def main():
    for addon in sorted((ROOT / "addons").iterdir()):
        if (addon / "__manifest__.py").exists():
            (addon / "README.rst").write_text(render(addon))
            print(f"wrote {addon.name}/README.rst")
    return 0


if __name__ == "__main__":
    sys.exit(main())
