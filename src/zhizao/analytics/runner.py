"""Run every analytics instrument for one year and store the results: what `zhizao evaluate` does, as a library
call the CLI, the web tests and the benchmarks share.

    summary = evaluate_all("zhizao.duckdb", 2023)                 # engine="spark", master=... for Spark
    summary.run_id, summary.year, [(i.name, i.seconds, i.rows) for i in summary.instruments]

All or nothing: every instrument runs first; if one fails (an `AnalyticsError` naming the instrument, or any
other exception) nothing is written. Then the result tables are stored in one run of the warehouse
(store/results.py), keyed by the year asked for and the run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pyarrow as pa

from ..store import db as store
from ..store import results
from . import AnalyticsError, Context, Instrument, available


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
    t0 = time.perf_counter()
    options = {k: v for k, v in (options or {}).items() if v is not None}
    ctx = Context.open(path, year, engine=engine, master=master, **options)
    open_seconds = time.perf_counter() - t0
    produced: list[tuple[Instrument, dict[str, pa.Table], float]] = []
    try:
        for ins in chosen:
            if progress is not None:
                progress(ins.name)
            t = time.perf_counter()
            try:
                tables = ins.evaluate(ctx)
            except AnalyticsError as e:
                raise AnalyticsError(f"{ins.name}: {e}") from e
            produced.append((ins, tables, time.perf_counter() - t))
    finally:
        ctx.close()
    summary = RunSummary(path=path, run_id="", year=ctx.year, engine=engine, open_seconds=open_seconds)
    summary.instruments = [
        InstrumentRun(ins.name, secs, {k: v.num_rows for k, v in tables.items()}, ins.summarise(tables))
        for ins, tables, secs in produced
    ]
    t = time.perf_counter()
    con = store.open_warehouse(path)
    try:
        summary.run_id = results.start_run(
            con, "evaluate", engine=engine, year=ctx.year, params={"instruments": [i.name for i in chosen], **options}
        )
        try:
            for _ins, tables, _secs in produced:
                for name, rows in tables.items():
                    results.save(con, name, summary.run_id, ctx.year, rows)
        except BaseException:
            # a run that did not store everything is marked failed: readers take the newest finished run, and
            # prune() removes a failed run's rows
            results.finish_run(con, summary.run_id, status="failed")
            raise
        results.finish_run(con, summary.run_id, summary=summary.as_dict())
    finally:
        con.close()
    summary.save_seconds = time.perf_counter() - t
    summary.seconds = time.perf_counter() - t_start
    return summary


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
