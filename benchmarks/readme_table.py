"""The README's benchmark table, written from benchmarks/results/*.json (what `make bench` measured last).

.venv/bin/python benchmarks/readme_table.py            # print the table
.venv/bin/python benchmarks/readme_table.py --write    # replace it in README.md (between the bench markers)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _load(name: str) -> dict | None:
    p = HERE / "results" / f"{name}.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else None


def _when(doc: dict) -> str:
    m = doc["machine"]
    load = m.get("load_average_at_start") or m.get("load_average")
    return f"{doc['measured_at'][:10]}, load {load[0]:.1f}"


def rows() -> list[tuple[str, str, str, str]]:
    """(benchmark, what, figure, measured)"""
    out: list[tuple[str, str, str, str]] = []
    if d := _load("generation"):
        for r in d["figures"]["sizes"]:
            out.append(
                (
                    "generation (`synth_bench.py`)",
                    f"demo warehouse, {r['n']:,} firms",
                    f"{r['seconds']:,.0f} s, peak {r['peak_rss_mb']:,.0f} MB",
                    _when(d),
                )
            )
    if d := _load("evaluate_curve"):
        f = d["figures"]
        for r in f["runs"]:
            out.append(
                (
                    "evaluate (`evaluate_bench.py --curve`)",
                    f"{r['engine']}, {r['enterprises']:,} firms",
                    f"{r['total']:,.0f} s, peak {r['peak_tree_mb']:,.0f} MiB",
                    # a merged curve holds runs made at different times: each run's own load when it ended
                    f"{d['measured_at'][:10]}, load {r['load_after']:.1f} at its end"
                    if "load_after" in r
                    else _when(d),
                )
            )
        for engine, fit in f.get("fits", {}).items():
            out.append(
                (
                    "evaluate growth",
                    f"{engine}: time ∝ n^b, memory ∝ n^b",
                    f"b = {fit['time_exponent']:.2f} (time), {fit['memory_exponent']:.2f} (memory)",
                    _when(d),
                )
            )
    if d := _load("rollup"):
        f = d["figures"]
        out.append(
            (
                "cluster rollups (`rollup_bench.py`)",
                f"instrument / hand-written SQL, {f['firms']:,} firms",
                (
                    f"× {f['ratio']:.1f} (instrument {f['instrument_seconds']:.2f} s, SQL "
                    f"{f['hand_sql_seconds']:.2f} s), same sums"
                ),
                _when(d),
            )
        )
    if d := _load("complexity"):
        for r in d["figures"]["sizes"]:
            out.append(
                (
                    "opportunities (`complexity_bench.py`)",
                    f"{r['regions']} × {r['industries']} vs `ecomplexity`",
                    (
                        f"× {r['speedup']:.1f} (zhizao {r['zhizao_seconds']:.3f} s, ecomplexity "
                        f"{r['ecomplexity_seconds']:.3f} s), max diff {r['max_difference']:.0e}"
                    ),
                    _when(d),
                )
            )
    if d := _load("extraction"):
        f = d["figures"]
        strict = f.get("strict", {})
        rate = f.get("articles_per_second")
        out.append(
            (
                "extraction (`extraction_eval.py --set development`)",
                f"{f.get('articles', '?')} articles",
                f"strict F1 {strict.get('f1', float('nan')):.3f}" + (f", {rate:,.0f} articles/s" if rate else ""),
                _when(d),
            )
        )
    if d := _load("web"):
        f = d["figures"]
        for name, e in f["endpoints"].items():
            before = f.get("before", {}).get(name)
            was = f" (was p95 {before['p95'] * 1e3:,.0f} ms)" if before else ""
            out.append(
                (
                    f"web (`web_bench.py`, {f['clients']} clients)",
                    name,
                    f"p95 {e['p95'] * 1e3:,.1f} ms, p50 {e['p50'] * 1e3:,.1f} ms, {e['rps']:,.0f} req/s{was}",
                    _when(d),
                )
            )
    return out


def table() -> str:
    lines = [
        "| benchmark | what | figure | measured |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows()],
    ]
    m = next((doc["machine"] for n in ("evaluate_curve", "web", "complexity") if (doc := _load(n))), None)
    if m:
        lines.append("")
        lines.append(
            f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}; shared with other work, "
            "so the load average is given with each figure — compare ratios within one run."
        )
    return "\n".join(lines)


def rewrite(readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    block = f"{START}\n{table()}\n{END}"
    if START in text and END in text:
        a, b = text.index(START), text.index(END) + len(END)
        text = text[:a] + block + text[b:]
    else:
        text = text.rstrip("\n") + "\n\n### Latest benchmark figures (`make bench`)\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    if a.write:
        rewrite(HERE.parent / "README.md")
    else:
        print(table())


if __name__ == "__main__":
    main()
