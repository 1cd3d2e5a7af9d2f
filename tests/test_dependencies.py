"""Declared dependencies match imports: every third-party module that src/zhizao imports comes from a package
pyproject.toml declares (the runtime list, or the extra of the optional path that imports it), and every runtime
dependency is imported somewhere or says in pyproject.toml why it is there."""

from __future__ import annotations

import ast
import functools
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "zhizao"
# imported only on optional paths: module -> the extra that installs it
OPTIONAL = {"pyspark": "spark", "cnmaps": "maps", "shapely": "maps"}


def _name(req: str) -> str:
    return re.split(r"[\s\[<>=!~;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _imported() -> dict[str, set[str]]:
    """Third-party top-level modules imported anywhere in src/zhizao -> the files importing them."""
    out: dict[str, set[str]] = {}
    for p in SRC.rglob("*.py"):
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names = []
            if isinstance(n, ast.Import):
                names = [a.name for a in n.names]
            elif isinstance(n, ast.ImportFrom) and n.level == 0 and n.module:
                names = [n.module]
            for m in names:
                top = m.split(".")[0]
                if top != "zhizao" and top not in sys.stdlib_module_names:
                    out.setdefault(top, set()).add(str(p.relative_to(ROOT)))
    return out


@functools.cache
def _module_distributions() -> dict[str, list[str]]:
    return packages_distributions()  # reads every installed package's metadata: once


def _distributions(module: str) -> set[str]:
    return {d.lower().replace("_", "-") for d in _module_distributions().get(module, [])}


def test_every_imported_module_is_declared():
    project = _project()
    runtime = {_name(r) for r in project["dependencies"]}
    extras = {k: {_name(r) for r in v} for k, v in project["optional-dependencies"].items()}
    missing = []
    for module, files in sorted(_imported().items()):
        wanted = extras[OPTIONAL[module]] if module in OPTIONAL else runtime
        dists = _distributions(module)
        if not dists & wanted:
            missing.append(f"{module} ({sorted(dists) or 'not installed'}) imported by {sorted(files)}")
    assert not missing, missing


def test_every_runtime_dependency_is_imported_or_says_why():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    imported = {d for m in _imported() for d in _distributions(m)}
    unused = []
    for req in _project()["dependencies"]:
        name = _name(req)
        if name in imported:
            continue
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(f'"{req}"'))
        if "#" not in line:  # a dependency no module imports must say in a comment why it is needed
            unused.append(name)
    assert not unused, unused
