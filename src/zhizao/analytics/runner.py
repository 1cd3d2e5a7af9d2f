"""Run every analytics instrument for one year and store the results: what `zhizao evaluate` does, as a library
call the CLI, the web tests and the benchmarks share.

    summary = evaluate_all("zhizao.duckdb", 2023)                 # engine="spark", master=... for Spark
    summary.run_id, summary.year, [(i.name, i.seconds, i.rows) for i in summary.instruments]

All or nothing: every instrument runs first; if one fails (an `AnalyticsError` naming the instrument, or any
other exception) nothing is written. Then the result tables are stored in one run of the warehouse
(store/results.py), keyed by the year asked for and the run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..store import db as store
from ..store import parquet, results
from ..store.engines import EngineError, memory_size
from . import AnalyticsError, Context, Instrument, available

DUCKDB_MEMORY = "1GB"  # DuckDB's memory while evaluate runs (ZHIZAO_DUCKDB_MEMORY overrides)


@dataclass(frozen=True)
class InstrumentRun:
    name: str
    seconds: float
    rows: dict[str, int]  # result table -> rows written
    summary: str  # the instrument's one-line summary (Instrument.summarise)


@dataclass
class RunSummary:
    """What one evaluation did: the run id its results are stored under, and each instrument's time and rows."""

    path: Path
    run_id: str
    year: int
    engine: str
    instruments: list[InstrumentRun] = field(default_factory=list)
    open_seconds: float = 0.0  # opening the warehouse on the engine
    save_seconds: float = 0.0  # writing the result tables
    seconds: float = 0.0  # the whole call

    def as_dict(self) -> dict:
        """The summary stored with the run (run.summary) and printed by `zhizao evaluate --json`."""
        return {i.name: {"seconds": round(i.seconds, 2), **i.rows} for i in self.instruments}


def evaluate_all(
    path: str | Path,
    year: int | None = None,
    engine: str = "duckdb",
    *,
    master: str | None = None,
    instruments: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    options: dict | None = None,
) -> RunSummary:
    """Run the instruments (default: every installed one, in INSTRUMENTS order) for `year` (default: the latest
    year the warehouse holds) on `engine`, and store their result tables in one new run.

    `instruments` picks some by name; `progress(name)` is called before each instrument starts (the CLI shows
    it). `options` are the instruments' settings (region_map: 'current' or 'recorded'; mujun_cap …), recorded
    in the run's params. Raises AnalyticsError for input the user can fix (unknown year, empty warehouse, unknown
    instrument, an instrument's own refusal, prefixed by the instrument's name); nothing is stored then."""
    t_start = time.perf_counter()
    chosen = _choose(instruments)
    path = Path(path)
    spill = Path(tempfile.mkdtemp(prefix="zhizao-evaluate-", dir=os.environ.get("ZHIZAO_SPILL_DIR") or None))
    try:
        options = {k: v for k, v in (options or {}).items() if v is not None}
        return _evaluate(path, year, engine, master, chosen, progress, spill, t_start, options)
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def _evaluate(path, year, engine, master, chosen, progress, spill: Path, t_start: float, options: dict) -> RunSummary:
    """evaluate_all's work. Memory stays bounded: DuckDB holds at most ZHIZAO_DUCKDB_MEMORY (default 1GB) and
    spills the rest to disk; instruments write their large tables (Context.result) to Parquet under `spill`,
    which the store phase streams into the warehouse; only small result tables are held in Python."""
    memory = memory_size(os.environ.get("ZHIZAO_DUCKDB_MEMORY") or DUCKDB_MEMORY)
    runs = parquet.ParquetRuns(path) if parquet.is_parquet_warehouse(path) else _WarehouseRuns(path, memory, spill)
    t0 = time.perf_counter()
    ctx = Context.open(path, year, engine=engine, master=master, **options)
    ctx.spill_dir = runs.spill_dir()
    ctx.engine.limit_memory(memory, spill / "duckdb")
    try:
        return _run_and_store(ctx, runs, path, engine, chosen, progress, t0, t_start, options)
    finally:
        shutil.rmtree(ctx.spill_dir, ignore_errors=True)


def _run_and_store(ctx, runs, path, engine, chosen, progress, t0: float, t_start: float, options: dict) -> RunSummary:
    open_seconds = time.perf_counter() - t0
    produced: list[tuple[Instrument, dict, float]] = []
    try:
        for ins in chosen:
            if progress is not None:
                progress(ins.name)
            t = time.perf_counter()
            try:
                tables = ins.evaluate(ctx)
            except AnalyticsError as e:
                raise AnalyticsError(f"{ins.name}: {e}") from e
            except EngineError as e:  # e.g. Spark out of memory: say in which instrument
                raise EngineError(f"{ins.name}: {e}") from e
            produced.append((ins, tables, time.perf_counter() - t))
            ctx.engine.release_caches()  # the next instrument gets Spark's memory (store/engines.py)
    finally:
        ctx.close()
    summary = RunSummary(path=path, run_id="", year=ctx.year, engine=engine, open_seconds=open_seconds)
    summary.instruments = [
        InstrumentRun(ins.name, secs, {k: v.num_rows for k, v in tables.items()}, ins.summarise(tables))
        for ins, tables, secs in produced
    ]
    t = time.perf_counter()
    with runs:
        summary.run_id = runs.start_run(
            "evaluate", engine=engine, year=ctx.year, params={"instruments": [i.name for i in chosen], **options}
        )
        try:
            for _ins, tables, _secs in produced:
                for name, rows in tables.items():
                    runs.save(name, summary.run_id, ctx.year, rows)
        except BaseException:
            # a run that did not store everything is marked failed: readers take the newest finished run, and
            # prune() removes a failed run's rows
            runs.finish_run(summary.run_id, status="failed")
            raise
        runs.finish_run(summary.run_id, summary=summary.as_dict())
    summary.save_seconds = time.perf_counter() - t
    summary.seconds = time.perf_counter() - t_start
    return summary


class _WarehouseRuns:
    """Where a run's results go in a DuckDB warehouse (store/results.py), with the interface of
    parquet.ParquetRuns; the warehouse is opened for writing only while the results are stored."""

    def __init__(self, path: Path, memory: str, spill: Path):
        self.path, self.memory, self.spill = path, memory, spill
        self.con = None

    def spill_dir(self) -> Path:
        return self.spill / "results"

    def __enter__(self):
        self.con = store.open_warehouse(self.path)
        self.con.execute(f"SET memory_limit = '{self.memory}'")
        self.con.execute(f"SET temp_directory = '{self.spill / 'duckdb'}'")
        return self

    def __exit__(self, *exc) -> None:
        self.con.close()

    def start_run(self, command: str, **kw) -> str:
        return results.start_run(self.con, command, **kw)

    def save(self, table: str, run_id: str, year, rows) -> int:
        return results.save(self.con, table, run_id, year, rows)

    def finish_run(self, run_id: str, **kw) -> None:
        results.finish_run(self.con, run_id, **kw)


def _choose(names: Sequence[str] | None) -> list[Instrument]:
    installed = available()
    if not installed:
        raise AnalyticsError("no analytics instruments are installed")
    if names is None:
        return installed
    by_name = {i.name: i for i in installed}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise AnalyticsError(f"unknown instrument(s) {', '.join(unknown)}: choose from {', '.join(by_name)}")
    return [by_name[n] for n in names]
