"""The region totals the web shows — the dashboard's map, the district pages, /api/v1/figures, reports, and the
disclosure audit that blanks them — read from one place: the clusters instrument's stored `region_figures`
(analytics/clusters.region_series: the unit '*' of every region, counties, functional areas, groups and the
city, for every year up to the evaluated one, on today's and on the recorded map; money figures in the 规上 scope,
growth null over a base ≤ 0, shares of the city). The web never sums firms into region totals itself.

The newest finished run of the latest evaluated year holds every year up to it. Before `zhizao evaluate` there
are none, and the pages say so.
"""

from __future__ import annotations

from .views import run_for
from .views import years as result_years
from .warehouse import Warehouse

TABLE = "region_figures"


def _run(wh: Warehouse) -> tuple[str, int] | None:
    ys = result_years(wh, TABLE)
    if not ys:
        return None
    run = run_for(wh, TABLE, ys[-1])
    return (run, ys[-1]) if run else None


def years(wh: Warehouse) -> list[int]:
    """The years the stored region totals hold (every year up to the latest evaluated one)."""

    def build():
        r = _run(wh)
        if r is None:
            return []
        rows = wh.rows(f"SELECT DISTINCT year FROM {TABLE} WHERE run_id = ? AND result_year = ? ORDER BY 1", list(r))
        return [int(x["year"]) for x in rows]

    return wh.cached(("region_figures", "years"), build)


def rows(wh: Warehouse, mapping: str, year: int | None = None) -> list[dict]:
    """The stored rows on `mapping` ('current' or 'recorded'), of `year` or of every year."""

    def build():
        r = _run(wh)
        if r is None:
            return []
        sql = f"SELECT * FROM {TABLE} WHERE run_id = ? AND result_year = ? AND region_map = ?"
        args = [*r, mapping]
        if year is not None:
            sql += " AND year = ?"
            args.append(int(year))
        return wh.rows(sql, args)

    return wh.cached(("region_figures", mapping, year), build)
