"""What the web knows about a stored result table: a `View` (which rows are enterprise-level or aggregates,
which column holds the region and the firm count, how a row maps onto the cells the disclosure rules reason
about) and small look-ups of the stored runs. Every View made is registered in `REGISTRY` (the adapters make
them when imported), so the disclosure rules see every aggregate the web can show.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from dataclasses import dataclass
from typing import Any, Callable

from ..store import results as stored
from .warehouse import Warehouse

MAX_LIMIT = 1000
REGISTRY: dict[str, "View"] = {}


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
    # the disclosure shape: row -> web.suppression.RowCells (which cells a row shows, which columns come from
    # which cell); None = the plain small-count rule on `count_col` / `counts`
    cells: Callable | None = None
    # firm-level views whose rows are nevertheless sums over other firms (a leader's suppliers by region)
    protects: bool = False

    def __post_init__(self):
        if not self.path.startswith("other/"):
            REGISTRY[self.path] = self

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


def clean_rows(rows: list[dict]) -> list[dict]:
    """Query rows with JSON-safe values."""
    return [{k: clean(v) for k, v in r.items()} for r in rows]


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


def all_rows(wh: Warehouse, view: View, year: int) -> list[dict]:
    """Every row of `view` for `year` from its latest finished run (cached per data generation)."""
    run = run_for(wh, view.table, year)
    if run is None:
        return []

    def load():
        cols = [c for c in columns(wh, view.table) if c != "run_id"]
        sel = ", ".join(f'"{c}"' for c in cols)
        with wh.cursor() as cur:
            t = cur.execute(
                f"SELECT {sel} FROM {view.table} WHERE run_id = ? AND result_year = ?", [run, year]
            ).to_arrow_table()
        return arrow_rows(t)

    return wh.cached(("all_rows", view.table, run, year), load)


def arrow_rows(t) -> list[dict]:
    """Rows of an Arrow table as JSON-safe dicts (NaN → None, dates → ISO text), quickly."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = {}
    for name, col in zip(t.column_names, t.columns):
        typ = col.type
        if pa.types.is_floating(typ):
            col = pc.if_else(pc.is_nan(col), pa.scalar(None, typ), col)
        elif pa.types.is_decimal(typ):
            col = col.cast(pa.float64())
        elif pa.types.is_date(typ) or pa.types.is_timestamp(typ):
            col = col.cast(pa.string()) if pa.types.is_date(typ) else pc.strftime(col, "%Y-%m-%dT%H:%M:%S")
        cols[name] = col
    return pa.table(cols).to_pylist() if cols else []
