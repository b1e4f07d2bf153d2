"""Test stand-ins (`leuven/testing`, `leuven/tests`) never reach production code.

Production code is everything under `leuven/` and `addons/` except the test
packages themselves and the addons' `tests/` folders.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_PACKAGES = ("leuven.testing", "leuven.tests")


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def is_test_code(path):
    parts = path.relative_to(ROOT).parts
    return parts[:2] in (("leuven", "testing"), ("leuven", "tests")) or (
        parts[0] == "addons" and "tests" in parts
    )


def production_files():
    for folder in ("leuven", "addons"):
        for path in (ROOT / folder).rglob("*.py"):
            if not is_test_code(path):
                yield path


def offenders(paths):
    return [
        f"{path}:{line} imports {name}"
        for path in paths
        for line, name in imported_modules(path)
        if any(name == p or name.startswith(p + ".") for p in TEST_PACKAGES)
    ]


def test_production_code_does_not_import_test_stand_ins():
    files = list(production_files())
    assert len(files) > 50
    assert not offenders(files)


def test_the_checker_catches_a_stand_in(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from leuven.testing.fake_ipdc import FakeIpdc\n"
        "from leuven import testing\n"
        "import leuven.tests.fake_authentic_sources\n"
        "from leuven.catalog.samples import sample_members\n"
    )
    lines = {int(entry.split(":")[1].split()[0]) for entry in offenders([sample])}
    assert lines == {1, 2, 3}
