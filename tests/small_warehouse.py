"""A small real warehouse (a DuckDB file with the Chongqing pack loaded) holding a handful of firms written by
the test, for specifications whose expectation is worked out by hand (tests/test_numbers.py).

    w = small_warehouse(tmp_path, firms={"j1": Firm("500105", "C3670", {2023: dict(revenue=5e8, output_value=5e8)})})
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from zhizao.ingest.packload import init_warehouse

YEAR_COLUMNS = (
    "revenue",
    "output_value",
    "value_added",
    "tax",
    "profit",
    "land_mu",
    "energy_tce",
    "emission_equiv",
    "rd_expense",
    "employees",
    "fixed_investment",
    "tech_renovation_investment",
    "main_business_share",
)


@dataclass
class Firm:
    region: str
    industry: str
    years: dict[int, dict] = field(default_factory=dict)  # year -> enterprise_year figures (missing: NULL)
    founded: dt.date = dt.date(2000, 1, 1)
    park: str | None = None
    name: str | None = None


def small_warehouse(
    tmp_path: Path,
    firms: dict[str, Firm],
    honours: list[tuple] = (),  # (uscc, kind, level, year)
    nodes: list[tuple] = (),  # (uscc, node_id, role)
    links: list[tuple] = (),  # (buyer, supplier, year, amount)
    targets: list[dict] = (),
    name: str = "small.duckdb",
    keep_pack_targets: bool = True,
) -> Path:
    path = tmp_path / name
    con, _ = init_warehouse(path)
    try:
        if not keep_pack_targets:
            con.execute("DELETE FROM target")
        for u, f in firms.items():
            con.execute(
                "INSERT INTO enterprise VALUES (?, ?, ?, ?, ?, ?, FALSE, 'test')",
                [u, f.name or f"{u}公司", f.region, f.park, f.industry, f.founded],
            )
            for y, figs in f.years.items():
                unknown = set(figs) - set(YEAR_COLUMNS)
                assert not unknown, unknown
                cols = ", ".join(YEAR_COLUMNS)
                marks = ", ".join("?" for _ in YEAR_COLUMNS)
                con.execute(
                    f"INSERT INTO enterprise_year (uscc, year, {cols}) VALUES (?, ?, {marks})",
                    [u, y, *[figs.get(c) for c in YEAR_COLUMNS]],
                )
        for u, k, lv, y in honours:
            con.execute("INSERT INTO honour VALUES (?, ?, ?, ?, 'test')", [u, k, lv, y])
        for u, n, role in nodes:
            con.execute("INSERT INTO enterprise_node VALUES (?, ?, ?)", [u, n, role])
        for b, s, y, a in links:
            con.execute("INSERT INTO supply_link VALUES (?, ?, ?, ?)", [b, s, y, a])
        for t in targets:
            row = {"proposed": False, "origin": "test", **t}
            con.execute(
                f"INSERT INTO target ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
            )
    finally:
        con.close()
    return path
