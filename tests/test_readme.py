"""The addons' README.rst: generated from the readme fragments, and valid
reStructuredText (Odoo shows it as the module's description)."""

import importlib.util
import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "gen_readme", ROOT / "tools" / "gen_readme.py"
)
gen_readme = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_readme)

ADDONS = sorted(p.parent for p in (ROOT / "addons").glob("*/__manifest__.py"))


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_readme_is_generated_from_its_fragments(addon):
    assert (addon / "README.rst").read_text() == gen_readme.render(addon), (
        f"{addon.name}/README.rst is out of date: run `make readme`"
    )


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_readme_is_valid_restructuredtext(addon):
    core = pytest.importorskip("docutils.core")
    errors = io.StringIO()
    core.publish_string(
        (addon / "README.rst").read_text(),
        writer_name="null",
        settings_overrides={"report_level": 2, "warning_stream": errors},
    )
    assert not errors.getvalue(), errors.getvalue()
    for image in (addon / "README.rst").read_text().split(".. image:: ")[1:]:
        path = image.split("\n", 1)[0].strip()
        assert (addon / path).is_file(), f"{addon.name}: missing image {path}"


def test_markdown_becomes_restructuredtext():
    text = """\
Intro with `code` and [a link](https://example.org).
- item
  ![Shot](../static/description/x.png)
## Section
```json
{"a": 1}
```
"""
    rst = gen_readme.markdown_to_rst(text, "-")
    assert "``code``" in rst and "`a link <https://example.org>`__" in rst
    assert "Intro with" in rst.split("\n\n- item")[0], "a list needs a blank line"
    assert "  .. image:: static/description/x.png\n     :alt: Shot" in rst
    assert "Section\n-------" in rst
    assert '.. code-block:: json\n\n   {"a": 1}' in rst
