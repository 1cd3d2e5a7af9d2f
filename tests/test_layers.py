"""The layers of docs/architecture.md, checked on the source: data flows one way and nothing imports upward.

    vocab · formats · errors · uscc · safecells   the project's vocabulary and helpers (import nothing of the project)
    reference                                     policy packs
    store                                         the warehouse
    ingest                                        tables, news, synth, packload
    analytics                                     one module per instrument (never ingest, never an output)
    reports · web                                 outputs
    cli                               the command line, over everything

Every import of a `zhizao` module, at the top of a file or inside a function, is read from the syntax tree.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "zhizao"

BASE = {"vocab", "formats", "errors", "uscc", "safecells"}
# what each top-level part of the package may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    **{b: BASE for b in BASE},
    "reference": BASE,
    "store": BASE | {"reference"},
    "ingest": BASE | {"reference", "store"},
    "analytics": BASE | {"reference", "store"},
    "reports": BASE | {"reference", "store", "analytics"},
    "web": BASE | {"reference", "store", "ingest", "analytics", "reports"},
    "cli": BASE | {"reference", "store", "ingest", "analytics", "reports", "web"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, name: str, is_package: bool = False) -> list[tuple[str, int]]:
    """The zhizao modules that the source of module `name` imports (absolute names), with their lines."""
    package = name if is_package else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "zhizao"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "zhizao":
                continue
            # `from .. import vocab` imports zhizao.vocab; `from ..store import db` imports zhizao.store(.db)
            out += [(f"{mod}.{a.name}" if mod.count(".") == 0 else mod, node.lineno) for a in node.names]
    return out


def part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def upward_imports(source: str, name: str, is_package: bool = False) -> list[str]:
    own = part(name)
    bad = []
    for mod, line in imports(source, name, is_package):
        p = part(mod)
        if p is None or p == own or own is None:
            continue
        if p not in ALLOWED.get(own, set()):
            bad.append(f"line {line}: {mod}")
    return bad


MODULES = sorted(SRC.rglob("*.py"))


def test_every_part_of_the_package_has_a_place():
    parts = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in MODULES} - {"__init__"}
    assert parts <= set(ALLOWED), sorted(parts - set(ALLOWED))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_nothing_imports_upward(path):
    bad = upward_imports(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
    assert not bad, f"{path.relative_to(SRC)} imports upward: {bad}"


def test_the_check_sees_an_analytics_module_importing_the_news_reader_or_the_web():
    src = "from ..ingest.news.metrics import label\n\ndef f():\n    from ..web import data\n"
    assert upward_imports(src, "zhizao.analytics.targets") == [
        "line 1: zhizao.ingest.news.metrics",
        "line 4: zhizao.web",
    ]
    assert upward_imports("from . import vocab\n", "zhizao.reference", is_package=True) == []
    assert upward_imports("from .reference import Pack\n", "zhizao.vocab") == ["line 1: zhizao.reference"]
