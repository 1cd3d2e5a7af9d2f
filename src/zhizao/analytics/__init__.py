"""Analytics: one module per policy instrument, each a set of pure functions (ibis tables in, ibis
tables out) plus an `evaluate(ctx)` that runs them for one year and returns named result tables.

    ctx = Context.open("zhizao.duckdb", year=2023)             # engine="spark" for Spark
    tables = clusters.evaluate(ctx)                             # {"cluster_figures": pyarrow.Table, ...}

`evaluate_all(path, year, engine)` (analytics/runner.py; what `zhizao evaluate` calls) runs every registered
instrument and stores each result table in the warehouse, keyed by year and run (store/results.py), and returns
a RunSummary. Modules register themselves in INSTRUMENTS below.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from ..errors import ZhizaoError
from ..reference import Pack, load_pack
from ..store import db, parquet
from ..store.engines import Engine, open_engine


class AnalyticsError(ZhizaoError, ValueError):
    """Input the analytics cannot work with (unknown year, region or cluster; empty warehouse)."""

    exit_code = 2


@dataclass
class Context:
    engine: Engine
    pack: Pack
    year: int
    years: list[int]  # years the warehouse holds figures for
    options: dict[str, Any] = field(default_factory=dict)
    spill_dir: Path | None = None  # set by evaluate_all: large results go to Parquet here (see result())

    def table(self, name: str):
        return self.engine.table(name)

    def to_arrow(self, expr) -> pa.Table:
        return self.engine.to_arrow(expr)

    def result(self, expr):
        """A large result table (a row per firm or more): its rows as Arrow — or, while `zhizao evaluate` runs
        (spill_dir set), written by the engine straight to Parquet and returned as a handle
        (store.engines.Spilled: num_rows, column_names, to_arrow()) that the run stores in a stream, so the
        rows never sit in Python's memory."""
        if self.spill_dir is None:
            return self.to_arrow(expr)
        return self.engine.spill(expr, self.spill_dir)

    @classmethod
    def open(
        cls,
        path: str | Path,
        year: int | None = None,
        *,
        engine: str = "duckdb",
        master: str | None = None,
        read_only: bool = True,
        **options,
    ) -> "Context":
        """Open the warehouse (a DuckDB file, or a Parquet warehouse folder: store/parquet.py) on an engine and
        check the year (default: the latest year held)."""
        if parquet.is_parquet_warehouse(path):
            doc = parquet.read_manifest(path)
            pack_id, pack_path = doc["meta"].get("pack"), doc["meta"].get("pack_path")
            years = [int(y) for y in doc["years"]]
        else:
            con = db.open_warehouse(path, read_only=True)
            try:
                pack_id = db.get_meta(con, "pack")
                pack_path = db.get_meta(con, "pack_path")
                years = [
                    int(y) for (y,) in con.execute("SELECT DISTINCT year FROM enterprise_year ORDER BY 1").fetchall()
                ]
            finally:
                con.close()
        if not years:
            raise AnalyticsError(
                f"{path} holds no enterprise figures yet: build the demo (zhizao demo) "
                "or import data (zhizao import) first"
            )
        if year is None:
            year = years[-1]
        if year not in years:
            raise AnalyticsError(
                f"no figures for {year} in {path}: it holds {years[0]}–{years[-1]}"
                if years == list(range(years[0], years[-1] + 1))
                else f"no figures for {year} in {path}: it holds {years}"
            )
        pack = _pack_for(pack_id, pack_path)
        eng = open_engine(path, engine, master=master, read_only=read_only)
        return cls(engine=eng, pack=pack, year=year, years=years, options=options)

    def close(self) -> None:
        self.engine.close()

    def region_map(self, on: dt.date | None = None):
        """A small table (code, current_code): where each region's figures roll up on the map of `on`
        (default today). 江北区 (500105) -> 两江新区 from 2025-11-06. Built from the pack, so it works on
        every engine (views and macros of the DuckDB file are not exported to Spark)."""
        codes = sorted(self.pack.regions)
        return self.engine.memtable({"code": codes, "current_code": [self.pack.successor_of(c, on) for c in codes]})


def _pack_for(pack_id: str | None, pack_path: str | None) -> Pack:
    if pack_path and Path(pack_path).is_dir():
        return load_pack(pack_path)
    return load_pack(pack_id or "chongqing")


@dataclass(frozen=True)
class Instrument:
    name: str  # the CLI subcommand and the key in `evaluate`'s summary
    module: str  # analytics module that has evaluate(ctx) and summarise(tables)
    results: tuple[str, ...]  # result tables it writes

    def load(self):
        return importlib.import_module(f"{__name__}.{self.module}")

    def evaluate(self, ctx: Context) -> dict[str, pa.Table]:
        return self.load().evaluate(ctx)

    def summarise(self, tables: dict[str, pa.Table]) -> str:
        mod = self.load()
        fn: Callable | None = getattr(mod, "summarise", None)
        return fn(tables) if fn else ", ".join(f"{k}: {v.num_rows:,} rows" for k, v in tables.items())


# Every instrument zhizao evaluate runs, in order. A module lands here once it exists.
INSTRUMENTS: list[Instrument] = [
    Instrument("clusters", "clusters", ("cluster_figures", "cluster_honours", "region_figures")),
    Instrument("targets", "targets", ("target_progress",)),
    Instrument("chains", "chains", ("chain_coverage", "chain_recruitment", "chain_leaders", "chain_suppliers")),
    Instrument("mujun", "mujun", ("mujun_score", "mujun_region", "mujun_park", "mujun_policy", "mujun_benchmark")),
    Instrument(
        "specialisation", "specialisation", ("specialisation", "cluster_strength", "cluster_portfolio", "shift_share")
    ),
    Instrument(
        "opportunities", "complexity", ("complexity", "complexity_region", "complexity_industry", "recommendation")
    ),
    Instrument(
        "ladder", "ladder", ("tier_screening", "ladder_firm", "ladder_district", "ladder_pipeline", "ladder_criteria")
    ),
]


def available() -> list[Instrument]:
    out = []
    for ins in INSTRUMENTS:
        try:
            ins.load()
        except ModuleNotFoundError:
            continue
        out.append(ins)
    return out


from .runner import InstrumentRun, RunSummary, evaluate_all  # noqa: E402 (runner uses the names above)

__all__ = [
    "AnalyticsError",
    "Context",
    "Instrument",
    "INSTRUMENTS",
    "InstrumentRun",
    "RunSummary",
    "available",
    "evaluate_all",
]
