"""House rules that ruff cannot state: `make test` runs `ruff check` and `ruff format --check` before pytest
(rules in pyproject.toml); here, every `noqa` that stays names its rule and says why."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOQA = re.compile(r"#\s*noqa\b(?P<rest>.*)$")
JUSTIFIED = re.compile(r"^:\s*[A-Z]+[0-9]+(,\s*[A-Z]+[0-9]+)*\s*(-\s*\S.*|\(\S.*\))$")


def noqa_lines(paths) -> list[tuple[str, int, str]]:
    out = []
    for path in paths:
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = NOQA.search(line)
            if m:
                out.append((str(path.relative_to(ROOT)), k, m.group("rest").strip()))
    return out


def unjustified(found: list[tuple[str, int, str]]) -> list[str]:
    return [f"{p}:{k}: noqa{rest}" for p, k, rest in found if not JUSTIFIED.match(rest)]


def test_every_noqa_names_its_rule_and_says_why():
    files = [p for d in ("src", "tests", "benchmarks", "tools") for p in (ROOT / d).rglob("*.py")]
    found = noqa_lines(f for f in files if f.name != "test_lint.py")
    assert not unjustified(found), unjustified(found)


def test_the_rule_sees_a_bare_or_unexplained_noqa():
    assert unjustified([("x.py", 1, ""), ("x.py", 2, ": E731"), ("x.py", 3, ": BLE001 -")]) == [
        "x.py:1: noqa",
        "x.py:2: noqa: E731",
        "x.py:3: noqa: BLE001 -",
    ]
    assert not unjustified([("x.py", 4, ": BLE001 - backends raise different types"), ("x.py", 5, ": E402 (why)")])
