"""Everything place-specific is pack data: no string in the code under src/zhizao (outside reference/) names a
Chongqing place or code; comments and docstrings may, as worked examples. The import template's examples come
from the pack (pack.yaml template_examples) and a template written without a pack names no place."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import openpyxl

from zhizao.ingest.tables import write_template

SRC = Path(__file__).resolve().parents[1] / "src" / "zhizao"
PLACES = re.compile(r"重庆|四川|江北|500105|沙坪坝|梁平|涪陵|两江")


def place_strings(source: str) -> list[tuple[int, str]]:
    """String literals (not docstrings) that name a place, with their lines."""
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(first.value.lineno)
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)) and PLACES.search(tok.string):
            if tok.start[0] not in docstrings:
                out.append((tok.start[0], tok.string[:60]))
    return out


def test_no_string_in_the_code_names_a_place():
    found = []
    for p in sorted(SRC.rglob("*.py")):
        rel = str(p.relative_to(SRC))
        if rel.startswith("reference/"):
            continue
        found += [f"{rel}:{line}: {s}" for line, s in place_strings(p.read_text(encoding="utf-8"))]
    assert not found, found


def test_the_check_sees_a_place_in_a_string_but_not_in_a_comment_or_docstring():
    src = '"""江北区 as a worked example."""\n# 沙坪坝区 in a comment\nregion = "沙坪坝区"\n'
    assert place_strings(src) == [(3, '"沙坪坝区"')]


def _cells(path) -> str:
    wb = openpyxl.load_workbook(path)
    return " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


def test_the_templates_examples_come_from_the_pack(tmp_path, pack):
    with_pack = _cells(write_template(tmp_path / "t.xlsx", pack))
    for f in pack.info.template_examples.firms:
        assert f.name in with_pack and f.region in with_pack
    assert "（如 " + " / ".join(pack.info.template_examples.region_forms) + "）" in with_pack
    without = _cells(write_template(tmp_path / "t0.xlsx", None))
    assert not PLACES.search(without), PLACES.findall(without)
