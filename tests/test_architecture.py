"""The layout holds: SQL lives only in storage/, and imports point one way
(flows -> extractors, storage; storage -> extractors' records; extractors -> nothing of ours)."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from conftest import ROOT

SQL = re.compile(r"\b(SELECT\b[\s\S]+\bFROM\b|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:OR\s+REPLACE\s+)?"
                 r"(?:TABLE|VIEW|INDEX|MACRO)|ALTER\s+TABLE|DROP\s+(?:TABLE|VIEW)|COPY\s*\(|ATTACH\s+'|PRAGMA\s+\w+|"
                 r"INSTALL\s+\w+|LOAD\s+\w+)")
PACKAGES = ("flows", "extractors", "storage")


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _strings(path: Path) -> list[tuple[int, str]]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(t.start[0], t.string) for t in tokens if t.type == tokenize.STRING or t.type == getattr(tokenize, "FSTRING_MIDDLE", -1)]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return {name for name in found if name.split(".")[0] in PACKAGES}


@pytest.mark.parametrize("package", ["flows", "extractors"])
def test_no_sql_outside_storage(package):
    found = [f"{path.relative_to(ROOT)}:{line}: {text[:70]!r}"
             for path in _modules(package) for line, text in _strings(path) if SQL.search(text)]
    assert not found, "SQL belongs in storage/:\n" + "\n".join(found)


def test_the_check_would_see_sql():
    assert SQL.search("SELECT count(*) FROM articles") and SQL.search("INSERT INTO errors BY NAME")
    assert not SQL.search("Select the feeds from the list") and not SQL.search("update the README")


def test_imports_point_one_way():
    wrong = []
    for path in _modules("extractors"):
        wrong += [f"{path.name} imports {m}" for m in _imports(path) if not m.startswith("extractors")]
    for path in _modules("storage"):
        wrong += [f"{path.name} imports {m}" for m in _imports(path)
                  if m.startswith("flows") or (m.startswith("extractors") and not m.startswith("extractors.types"))]
    assert not wrong, "\n".join(wrong)
