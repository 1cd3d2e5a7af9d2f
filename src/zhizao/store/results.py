"""Analytics results in the warehouse, keyed by year and by the run that made them.

    run = start_run(con, "evaluate", engine="duckdb", year=2023, params={...})
    save(con, "mujun_score", run, 2023, arrow_table)    # creates the table on first use
    finish_run(con, run, summary={...})
    latest(con, "mujun_score", 2023)                      # rows of the newest finished run for 2023

A result table holds `run_id`, `result_year` (the year asked for; modules may also return a `year`
column, e.g. a time series) and then the module's own columns. If a module's columns
change (a newer zhizao), the old table is derived data: it is dropped and recreated.
"""

from __future__ import annotations

import json
import re
import uuid

import duckdb
import pyarrow as pa

from . import db

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def start_run(
    con: duckdb.DuckDBPyConnection, command: str, *, engine: str, year: int | None = None, params: dict | None = None
) -> str:
    run_id = uuid.uuid4().hex[:12]
    con.execute(
        "INSERT INTO run (id, command, engine, year, params) VALUES (?, ?, ?, ?, ?)",
        [run_id, command, engine, year, json.dumps(params or {}, ensure_ascii=False, default=str)],
    )
    return run_id


KEEP_RUNS = 2  # finished runs kept per result table and year (results are derived data)


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    summary: dict | None = None,
    status: str = "done",
    keep: int = KEEP_RUNS,
) -> None:
    """Mark a run finished; then drop rows of older runs beyond the newest `keep` for the same years."""
    con.execute(
        "UPDATE run SET finished = current_timestamp, summary = ?, status = ? WHERE id = ?",
        [json.dumps(summary or {}, ensure_ascii=False, default=str), status, run_id],
    )
    prune(con, keep)


def result_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables that hold analytics results (those with run_id and result_year columns)."""
    rows = con.execute("""SELECT table_name FROM information_schema.columns
                          WHERE column_name IN ('run_id', 'result_year')
                          GROUP BY table_name HAVING count(*) = 2 ORDER BY 1""").fetchall()
    return [r[0] for r in rows]


def prune(con: duckdb.DuckDBPyConnection, keep: int = KEEP_RUNS) -> int:
    """Delete result rows of failed runs and of finished runs older than the newest `keep` per year."""
    removed = 0
    for table in result_tables(con):
        n = con.execute(
            f"""
            DELETE FROM {table} WHERE (run_id, result_year) IN (
                SELECT (run_id, result_year) FROM (
                    SELECT t.run_id, t.result_year, r.status,
                           dense_rank() OVER (PARTITION BY t.result_year ORDER BY r.finished DESC NULLS LAST,
                                              r.started DESC) AS k
                    FROM (SELECT DISTINCT run_id, result_year FROM {table}) t JOIN run r ON r.id = t.run_id
                    WHERE r.status <> 'running')
                WHERE status = 'failed' OR k > ?)""",
            [keep],
        ).fetchall()
        removed += n[0][0] if n and n[0] else 0
    return removed


def _columns(con, table: str) -> list[tuple[str, str]] | None:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return rows or None


def _spilled_select(rows) -> str:
    """SELECT over a spilled result's Parquet, its columns typed as engines.to_arrow types them (int64,
    float64, string)."""
    cols = []
    for f in rows.schema:
        q = '"' + f.name.replace('"', '""') + '"'
        t = f.type
        if pa.types.is_integer(t) and t != pa.int64():
            cols.append(f"CAST({q} AS BIGINT) AS {q}")
        elif pa.types.is_decimal(t) or pa.types.is_float32(t):
            cols.append(f"CAST({q} AS DOUBLE) AS {q}")
        else:
            cols.append(q)
    path = rows.glob.replace("'", "''")
    return f"SELECT {', '.join(cols)} FROM read_parquet('{path}')"


def save(con: duckdb.DuckDBPyConnection, table: str, run_id: str, year: int | None, rows) -> int:
    """Append a run's rows for a year to a result table (created from the rows' schema on first use). `rows` is
    an Arrow table, or a result an engine spilled to Parquet (engines.Spilled), which DuckDB reads and inserts
    in a stream."""
    if not _NAME.match(table):
        raise ValueError(f"bad result table name {table!r}")
    clash = {"run_id", "result_year"} & set(rows.column_names)
    if clash:
        raise ValueError(f"result rows may not carry the key columns {sorted(clash)}")
    spilled = not isinstance(rows, pa.Table)
    source = f"({_spilled_select(rows)})" if spilled else "_result_rows"
    if not spilled:
        con.register("_result_rows", rows)
    try:
        with db.transaction(con):
            sel = f"SELECT ?::VARCHAR AS run_id, ?::SMALLINT AS result_year, * FROM {source}"
            want = [(d[0], d[1]) for d in con.execute(f"DESCRIBE {sel}", [run_id, year]).fetchall()]
            have = _columns(con, table)
            if have is not None and [(c, t) for c, t in have] != want:
                con.execute(f"DROP TABLE {table}")
                have = None
            if have is None:
                con.execute(f"CREATE TABLE {table} AS {sel} LIMIT 0", [run_id, year])
            con.execute(f"INSERT INTO {table} {sel}", [run_id, year])
    finally:
        if not spilled:
            con.unregister("_result_rows")
    return rows.num_rows


def latest_run(con: duckdb.DuckDBPyConnection, table: str, year: int | None = None) -> str | None:
    if _columns(con, table) is None:
        return None
    where = "AND t.result_year = ?" if year is not None else ""
    row = con.execute(
        f"""SELECT r.id FROM run r WHERE r.status = 'done' AND EXISTS
                          (SELECT 1 FROM {table} t WHERE t.run_id = r.id {where})
                          ORDER BY r.finished DESC, r.started DESC LIMIT 1""",
        [year] if year is not None else [],
    ).fetchall()
    return row[0][0] if row else None


def latest(con: duckdb.DuckDBPyConnection, table: str, year: int | None = None) -> pa.Table | None:
    """The rows of the newest finished run for `year` (all years of that run when year is None)."""
    run_id = latest_run(con, table, year)
    if run_id is None:
        return None
    where = "AND result_year = ?" if year is not None else ""
    return con.sql(
        f"SELECT * EXCLUDE (run_id) FROM {table} WHERE run_id = ? {where}",
        params=[run_id] + ([year] if year is not None else []),
    ).to_arrow_table()
