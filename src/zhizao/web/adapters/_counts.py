"""Firm counts for result rows that carry none (so that suppression can apply), looked up in the
specialisation instrument's tables, which count firms per region x industry / cluster."""

from __future__ import annotations

from ..results import run_for
from ..warehouse import Warehouse


def spec_counts(wh: Warehouse, year: int) -> dict[tuple, int]:
    def load():
        out: dict[tuple, int] = {}
        for table in ("specialisation", "cluster_strength"):
            run = run_for(wh, table, year)
            if run is None:
                continue
            for r in wh.rows(
                f"SELECT level, region_code, kind, code, firms FROM {table} WHERE run_id = ? AND result_year = ?",
                [run, year],
            ):
                out[(r["level"], r["region_code"], r["kind"], r["code"])] = r["firms"]
        return out

    return wh.cached(("spec_counts", year), load)


def by_key(level_col: str | None, kind: str | None, code_col: str, value_col: str | None = "value"):
    """counts(wh, year, rows): each row's firm count; 0 where the row's value is 0 or missing."""

    def counts(wh: Warehouse, year: int, rows: list[dict]) -> list[int | None]:
        table = spec_counts(wh, year)
        out = []
        for r in rows:
            key = (
                r.get(level_col) if level_col else "county",
                r.get("region_code"),
                kind or r.get("kind"),
                r.get(code_col),
            )
            c = table.get(key)
            if c is None and value_col and not r.get(value_col):
                c = 0
            out.append(c)
        return out

    return counts


def industry_totals(wh: Warehouse, year: int, rows: list[dict]) -> list[int | None]:
    """City-wide firm counts of an industry (sum over counties)."""
    table = spec_counts(wh, year)
    tot: dict[str, int] = {}
    for (level, _, kind, code), n in table.items():
        if level == "county" and kind == "industry":
            tot[code] = tot.get(code, 0) + (n or 0)
    return [tot.get(r.get("industry_code")) for r in rows]
