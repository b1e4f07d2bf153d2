"""`leuven/` is framework-free: nothing below it may import Odoo."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "leuven"


def odoo_imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", ""))
            in ("__import__", "import_module")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names = [str(node.args[0].value)]
        else:
            continue
        for name in names:
            if name == "odoo" or name.startswith("odoo."):
                yield node.lineno, name


def test_package_has_modules():
    assert len(list(PACKAGE.rglob("*.py"))) > 3


def test_nothing_under_leuven_imports_odoo():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for path in PACKAGE.rglob("*.py")
        for line, name in odoo_imports(path)
    ]
    assert not offenders, offenders


def test_the_checker_catches_an_odoo_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom odoo import models\n__import__('odoo.api')\n")
    assert [n for _, n in odoo_imports(sample)] == ["odoo", "odoo.api"]
