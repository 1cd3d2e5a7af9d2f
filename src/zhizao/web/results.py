"""Reading stored analytics results (store/results.py) for the API and the pages.

A `View` describes one result table as the web shows it: whether its rows are enterprise-level or
aggregates, which column holds the region (for the access rules), which the firm count (for suppression),
which columns may be filtered and the default order. Instrument adapters (web/adapters/) declare their
views; `read()` applies the access policy, filters, sorting and paging in one place. A table that no
`zhizao evaluate` has written yet reads as `evaluated: false`, never as an error.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from ..store import results as stored
from .access import Policy, Principal
from .warehouse import Warehouse

MAX_LIMIT = 1000


@dataclass(frozen=True)
class View:
    path: str  # URL path under /api/v1/results/, e.g. "mujun/scores"
    table: str  # result table
    instrument: str  # the analytics instrument that writes it
    kind: str  # firm | aggregate
    title_zh: str
    title_en: str
    region_col: str | None = "region_code"
    count_col: str | None = "firms"  # aggregates: the firm count a row is over
    filters: tuple[str, ...] = ()
    sort: str | None = None
    desc: bool = False
    fixed: tuple[tuple[str, Any], ...] = ()  # default filters (e.g. the current map), overridable
    counts: Callable | None = None  # (wh, year, rows) -> firm counts when no count column
    region_expr: str | None = None  # SQL for the firm's region when no column holds it
    description: str = ""

    @property
    def name(self) -> str:
        return self.path.replace("/", ".")


def clean(v):
    """A JSON-safe value."""
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    return v


def columns(wh: Warehouse, table: str) -> list[str]:
    return wh.cached(
        ("columns", table),
        lambda: [
            r["column_name"]
            for r in wh.rows(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            )
        ],
    )


def years(wh: Warehouse, table: str) -> list[int]:
    """Years for which a finished run stored rows in `table`."""
    if not wh.table_exists(table):
        return []
    return wh.cached(
        ("result_years", table),
        lambda: [
            int(r["y"])
            for r in wh.rows(
                f"SELECT DISTINCT t.result_year AS y FROM {table} t JOIN run r ON r.id = t.run_id "
                "WHERE r.status = 'done' AND t.result_year IS NOT NULL ORDER BY 1"
            )
        ],
    )


def run_for(wh: Warehouse, table: str, year: int | None) -> str | None:
    if not wh.table_exists(table):
        return None

    def find():
        with wh.cursor() as cur:
            return stored.latest_run(cur, table, year)

    return wh.cached(("run", table, year), find)


@dataclass
class Result:
    view: View
    year: int | None
    evaluated: bool
    rows: list[dict] = field(default_factory=list)
    total: int = 0
    offset: int = 0
    limit: int = 0
    suppressed: int = 0
    columns: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "view": self.view.path,
            "table": self.view.table,
            "instrument": self.view.instrument,
            "kind": self.view.kind,
            "year": self.year,
            "years": self.years,
            "evaluated": self.evaluated,
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "suppressed": self.suppressed,
            "columns": self.columns,
            "rows": self.rows,
        }


def read(
    wh: Warehouse,
    policy: Policy,
    p: Principal,
    view: View,
    *,
    year: int | None = None,
    filters: dict[str, Any] | None = None,
    sort: str | None = None,
    desc: bool | None = None,
    limit: int = 100,
    offset: int = 0,
    region: str | None = None,
    max_limit: int = MAX_LIMIT,
) -> Result:
    """Rows of `view` for `year` (default: the latest evaluated year) that `p` may see.

    `region` restricts to one region: for enterprise-level views it is checked against the user's
    scope (403 when outside), for aggregates it is a plain filter on the region column. `max_limit` caps
    `limit` (a page of the API; reports read up to their own row budget in one query)."""
    ys = years(wh, view.table)
    if year is None:
        year = ys[-1] if ys else None
    if view.kind == "firm":
        policy.require_firms(p, region)  # public -> Denied; district outside its region -> Denied
    run = run_for(wh, view.table, year) if year is not None else None
    res = Result(view, year, run is not None, offset=offset, limit=limit, years=ys)
    if run is None:
        return res
    cols = [c for c in columns(wh, view.table) if c != "run_id"]
    res.columns = cols
    where, params = ["run_id = ?", "result_year = ?"], [run, year]
    merged = dict(view.fixed)
    merged.update({k: v for k, v in (filters or {}).items() if v not in (None, "")})
    for k, v in merged.items():
        if k in cols:
            where.append(f'CAST("{k}" AS VARCHAR) = ?')
            params.append(str(v).lower() if isinstance(v, bool) else str(v))
    if view.kind == "firm":
        expr = f'"{view.region_col}"' if view.region_col in cols else view.region_expr
        if expr is None:  # no way to tell whose firm: admin and city only
            expr = "NULL"
        cond, ps = policy.firm_sql(p, expr, region)
        where.append(cond)
        params += ps
    elif region and view.region_col in cols:
        members = policy.region_members(region) if view.kind == "firm" else {region}
        where.append(f'"{view.region_col}" IN ({", ".join("?" for _ in members)})')
        params += sorted(members)
    w = " AND ".join(where)
    res.total = int(wh.scalar(f"SELECT count(*) FROM {view.table} WHERE {w}", params) or 0)
    order = sort if sort in cols else (view.sort if view.sort in cols else None)
    d = view.desc if desc is None or sort not in cols else desc
    order_sql = f'ORDER BY "{order}" {"DESC" if d else "ASC"} NULLS LAST' if order else ""
    tie = [
        c
        for c in (view.region_col, "uscc", "code", "node_id", "cluster_id", "unit_id")
        if c and c in cols and c != order
    ]
    if tie:
        order_sql = (order_sql + ", " if order_sql else "ORDER BY ") + ", ".join(f'"{c}"' for c in tie)
    limit = max(0, min(int(limit), max_limit)) if limit is not None else max_limit
    res.limit = limit
    sel = ", ".join(f'"{c}"' for c in cols)
    rows = wh.rows(f"SELECT {sel} FROM {view.table} WHERE {w} {order_sql} LIMIT {limit} OFFSET {int(offset)}", params)
    rows = [{k: clean(v) for k, v in r.items()} for r in rows]
    if view.kind == "aggregate" and policy.suppresses(p):
        if view.count_col and view.count_col in cols:
            res.suppressed = policy.suppress(p, rows, count=view.count_col, region=view.region_col)
        elif view.counts is not None:
            counts = view.counts(wh, year, rows)
            for r, c in zip(rows, counts):
                r["_firms"] = 1 if c is None else c  # unknown: treated as too few
            res.suppressed = policy.suppress(p, rows, count="_firms", region=view.region_col)
            for r in rows:
                r.pop("_firms", None)
    res.rows = rows
    return res


def iter_all(wh: Warehouse, policy: Policy, p: Principal, view: View, **kw):
    """Every row a download should carry, page by page."""
    offset = 0
    while True:
        r = read(wh, policy, p, view, limit=MAX_LIMIT, offset=offset, **kw)
        yield r
        offset += MAX_LIMIT
        if not r.evaluated or offset >= r.total:
            return
