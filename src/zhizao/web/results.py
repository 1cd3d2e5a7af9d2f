"""Reading stored analytics results (store/results.py) for the API and the pages.

A `View` (web/views.py) describes one result table as the web shows it. Instrument adapters (web/adapters/)
declare their views; `read()` applies the access policy (web/access.py: who sees which rows; which figures
are blanked, web/suppression.py), filters, sorting and paging in one place. A table that no `zhizao evaluate`
has written yet reads as `evaluated: false`, never as an error.

Sorting never orders by a blanked figure: rows whose sort column is blanked come after the shown ones, in
the table's fixed key order, whatever their hidden values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .access import Policy, Principal
from .views import MAX_LIMIT, View, clean, columns, run_for, years
from .warehouse import Warehouse


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
    tie = [
        c
        for c in (view.region_col, "uscc", "code", "node_id", "cluster_id", "unit_id")
        if c and c in cols and c != order
    ]
    limit = max(0, min(int(limit), max_limit)) if limit is not None else max_limit
    res.limit = limit
    sel = ", ".join(f'"{c}"' for c in cols)
    if policy.protects(p, view):
        # every matching row, blanked first, then sorted so that no blanked figure takes part in the order
        key_sql = ("ORDER BY " + ", ".join(f'"{c}"' for c in tie)) if tie else ""
        rows = [
            {k: clean(v) for k, v in r.items()}
            for r in wh.rows(f"SELECT {sel} FROM {view.table} WHERE {w} {key_sql}", params)
        ]
        policy.protect(p, view, rows, year)
        if order:
            shown = [r for r in rows if r.get(order) is not None]
            hidden = [r for r in rows if r.get(order) is None]
            shown.sort(key=lambda r: _sortable(r[order]), reverse=d)  # stable: ties keep the key order
            rows = shown + hidden
        rows = rows[int(offset) : int(offset) + limit]
        res.suppressed = sum(1 for r in rows if r.get("suppressed"))
        res.rows = rows
        return res
    order_sql = f'ORDER BY "{order}" {"DESC" if d else "ASC"} NULLS LAST' if order else ""
    if tie:
        order_sql = (order_sql + ", " if order_sql else "ORDER BY ") + ", ".join(f'"{c}"' for c in tie)
    rows = wh.rows(f"SELECT {sel} FROM {view.table} WHERE {w} {order_sql} LIMIT {limit} OFFSET {int(offset)}", params)
    rows = [{k: clean(v) for k, v in r.items()} for r in rows]
    if view.kind == "aggregate" and policy.suppresses(p):  # a table no adapter describes: the plain rule
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


def _sortable(v):
    return (0, v) if isinstance(v, (int, float)) else (1, str(v))


def iter_all(wh: Warehouse, policy: Policy, p: Principal, view: View, **kw):
    """Every row a download should carry, page by page."""
    offset = 0
    while True:
        r = read(wh, policy, p, view, limit=MAX_LIMIT, offset=offset, **kw)
        yield r
        offset += MAX_LIMIT
        if not r.evaluated or offset >= r.total:
            return
