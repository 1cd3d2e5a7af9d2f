"""One small adapter per analytics instrument: which result tables it writes and how the web shows them.

Each module of this package declares `VIEWS` (web.results.View) and the helpers its pages need; every module
here is picked up, no list to edit. An adapter is optional: a result table that a registered instrument
(analytics.INSTRUMENTS) writes but no adapter declares is still exposed (`discovered()`), under its instrument
and conservatively: enterprise-level when it has a `uscc`, `leader` or `buyer` column, an aggregate otherwise.
"""

from __future__ import annotations

import importlib
import pkgutil

from ... import analytics
from ..results import View
from ..warehouse import Warehouse

_ORDER = [ins.name for ins in analytics.INSTRUMENTS]  # adapters are named for their instrument; listed in its order
MODULES = tuple(
    importlib.import_module(f"{__name__}.{m.name}")
    for m in sorted(
        pkgutil.iter_modules(__path__), key=lambda m: (_ORDER.index(m.name) if m.name in _ORDER else 99, m.name)
    )
    if not m.name.startswith("_")
)
VIEWS: dict[str, View] = {v.path: v for m in MODULES for v in getattr(m, "VIEWS", ())}

# Warehouse tables that are not analytics results.
_BASE = {
    "meta",
    "source",
    "region",
    "region_alias",
    "region_ancestor",
    "region_succession",
    "region_overlap",
    "industry",
    "cluster_system",
    "cluster_tier",
    "cluster",
    "cluster_map",
    "cluster_industry",
    "chain",
    "chain_node",
    "chain_edge",
    "park",
    "enterprise",
    "enterprise_year",
    "enterprise_node",
    "supply_link",
    "honour",
    "fact",
    "target",
    "app_user",
    "audit",
    "import_batch",
    "run",
    "schema_migrations",
}


def discovered(wh: Warehouse) -> dict[str, View]:
    """Declared views plus any other result table in the warehouse (tables with run_id and result_year)."""

    def find():
        writer = {t: ins.name for ins in analytics.INSTRUMENTS for t in ins.results}  # table -> its instrument
        known = {v.table for v in VIEWS.values()}
        out = dict(VIEWS)
        rows = wh.rows(
            "SELECT table_name, list(column_name) AS cols FROM information_schema.columns GROUP BY table_name"
        )
        for r in rows:
            t, cols = r["table_name"], set(r["cols"])
            if t in known or t in _BASE or not {"run_id", "result_year"} <= cols:
                continue
            firm = bool({"uscc", "leader", "buyer"} & cols)
            region = "region_code" if "region_code" in cols else None
            out[f"other/{t}"] = View(
                f"other/{t}",
                t,
                writer.get(t, "other"),
                "firm" if firm else "aggregate",
                t,
                t,
                region_col=region,
                count_col="firms" if "firms" in cols else None,
                filters=tuple(c for c in ("region_code", "year", "kind", "code") if c in cols),
            )
        return out

    return wh.cached(("views",), find)
