"""Print the house: every module under src/zhizao with its line count and its largest function.

    python tools/house_survey.py [--root src/zhizao] [--markdown]

A developer tool (not installed with the package): the before/after picture for issue 13.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path


def largest_function(tree: ast.AST) -> tuple[str, int]:
    """The longest def (qualified by its class) and its length in lines, ('-', 0) when none."""
    best = ("-", 0)

    def walk(node: ast.AST, prefix: str) -> None:
        nonlocal best
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                n = child.end_lineno - child.lineno + 1
                name = f"{prefix}{child.name}"
                if n > best[1]:
                    best = (name, n)
                walk(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                walk(child, f"{prefix}{child.name}.")

    walk(tree, "")
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default="src/zhizao")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    root = Path(args.root)
    rows = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        name, n = largest_function(ast.parse(text))
        rows.append((str(path.relative_to(root.parent)), lines, name, n))
    total = sum(r[1] for r in rows)
    if args.markdown:
        print("| module | lines | largest function | its lines |")
        print("|---|---:|---|---:|")
        for r in rows:
            print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |")
    else:
        w = max(len(r[0]) for r in rows)
        for r in rows:
            print(f"{r[0]:<{w}}  {r[1]:>5}  {r[2]} ({r[3]})")
    over = [r for r in rows if r[1] > 600]
    print(
        f"\n{len(rows)} modules, {total} lines; over 600 lines: {len(over)}; "
        f"largest function: {max(rows, key=lambda r: r[3])[2]} ({max(r[3] for r in rows)} lines)"
    )


if __name__ == "__main__":
    main()
