"""The layout holds: imports point the way the README's "Layout" says, read from the source with ``ast``.

``domain/`` is pure (no web framework, SQL driver, file system or library persistence, and none of
the packages around it); ``projections/`` never reaches into the HTTP layer; ``bench/`` and
``tests/`` never import each other (what both need lives in the product, ``demo/``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_FORBIDDEN = (
    "flask",
    "flask_smorest",
    "marshmallow",
    "sqlite3",
    "psycopg",
    "psycopg_pool",
    "os",
    "pathlib",
    "shutil",
    "tempfile",
    "eventsourcing.persistence",
    "eventsourcing.postgres",
    "eventsourcing.sqlite",
    "eventsourcing.popo",
    "store",
    "projections",
    "api",
    "bench",
    "tests",
    "demo",
    "web",
)
RULES = {
    "domain": DOMAIN_FORBIDDEN,
    "projections": ("api", "web", "bench", "tests", "sqlite3", "psycopg", "psycopg_pool", "flask"),
    "store": ("api", "projections", "web", "bench", "tests"),
    "bench": ("tests",),
    "tests": ("bench",),
    "api": ("web", "bench", "tests"),
    "demo": ("web", "bench", "tests"),
    "web": ("bench", "tests"),
}
COMPOSITION_ROOT = {"api/__init__.py": ("web",)}
"""``create_app`` puts the pages beside the API; otherwise the API knows nothing of them (the pages
hand it their words through ``app.extensions``)."""


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def breaks(name: str, forbidden: tuple[str, ...]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


@pytest.mark.parametrize("package", sorted(RULES))
def test_imports_point_the_way_the_layout_says(package):
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in sorted(imported(path))
        if breaks(name, RULES[package]) and not breaks(name, COMPOSITION_ROOT.get(str(path.relative_to(ROOT)), ()))
    ]
    assert wrong == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from eventsourcing.persistence import Transcoding\n    import os.path\n")
    assert [n for n in sorted(imported(sample)) if breaks(n, DOMAIN_FORBIDDEN)] == [
        "eventsourcing.persistence",
        "eventsourcing.persistence.Transcoding",
        "os.path",
    ]


def test_every_benchmark_that_records_launches_takes_a_today_after_them():
    """The sample launches are dated from December 2026 and only what has happened is recorded: a
    benchmark recording them imports ``bench`` (which fixes ``TRACKER_TODAY`` after them, for the servers
    it starts too), or its first command is refused."""
    for path in sorted((ROOT / "bench").glob("*.py")):
        names = imported(path)
        if any(breaks(name, ("demo.launch", "demo.workflow")) for name in names):
            assert any(name == "bench" or name.startswith("bench.") for name in names), path.name
