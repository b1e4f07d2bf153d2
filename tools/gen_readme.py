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


HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
FENCE = re.compile(r"^(\s*)```\s*(\w*)\s*$")
IMAGE = re.compile(r"^(\s*)!\[([^\]]*)\]\(([^)\s]+)\)\s*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s")


def inline_to_rst(line):
    """Inline Markdown of one line: code spans and links."""
    pieces = re.split(r"(`[^`]+`)", line)
    for i, piece in enumerate(pieces):
        if piece.startswith("`") and piece.endswith("`") and len(piece) > 1:
            pieces[i] = f"`{piece}`"
        else:
            pieces[i] = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r"`\1 <\2>`__", piece)
    return "".join(pieces)


def markdown_to_rst(text, underline="~"):
    """The small Markdown of the readme fragments as reStructuredText:
    headings, fenced code, images (paths relative to ``readme/`` made
    relative to the addon), code spans, links, and the blank lines that
    reStructuredText needs around lists, blocks and directives."""
    out = []
    lines = text.splitlines()
    i = 0

    def blank():
        if out and out[-1].strip():
            out.append("")

    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence:
            indent, language = fence.groups()
            blank()
            out += [f"{indent}.. code-block:: {language or 'text'}", ""]
            i += 1
            while i < len(lines) and not FENCE.match(lines[i]):
                code = lines[i].removeprefix(indent)
                out.append(f"{indent}   {code}" if code.strip() else "")
                i += 1
            out.append("")
            i += 1
            continue
        heading = HEADING.match(line)
        if heading:
            title = inline_to_rst(heading.group(1))
            blank()
            out += [title, underline * len(title), ""]
            i += 1
            continue
        image = IMAGE.match(line)
        if image:
            indent, alt, path = image.groups()
            path = path.removeprefix("../")
            blank()
            out += [f"{indent}.. image:: {path}", f"{indent}   :alt: {alt}", ""]
            i += 1
            continue
        if LIST_ITEM.match(line) and out and out[-1].strip():
            previous = out[-1]
            if not (LIST_ITEM.match(previous) or previous.startswith(" ")):
                # a list right after a paragraph
                out.append("")
        out.append(inline_to_rst(line))
        i += 1
    return "\n".join(out)


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
        # headings of the description sit beside Configuration, Usage...;
        # those of the other fragments under them
        underline = "-" if heading is None else "~"
        parts += [markdown_to_rst(fragment.read_text(), underline).strip(), ""]
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
