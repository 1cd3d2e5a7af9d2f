"""A warehouse as a folder of Parquet files: what a province- or nation-sized run reads with Spark (or DuckDB),
on a local disk or on object storage.

    DIR/_zhizao.json                       the manifest: format, pack, years, tables, safe metadata
    DIR/enterprise_year/year=2024/*.parquet  the firm-years, one folder per year (Hive-style partitions)
    DIR/enterprise/*.parquet               the firms, in parts of about 50,000 (honour/ likewise)
    DIR/<table>.parquet                    every other analytic table (regions, clusters, chains, honours …)
    DIR/results/<table>/…                  analytics results, written by `zhizao evaluate --warehouse DIR`

Only analytic tables are ever written: never `meta` (it may hold the web signing secret), `app_user`
(password hashes), the audit log or import batches. The manifest carries the few metadata keys analytics
need (the pack). Files are written 0600 and folders 0700: a warehouse holds confidential firm figures.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import duckdb

from .db import WarehouseError

MANIFEST = "_zhizao.json"
FORMAT = "zhizao-parquet-warehouse"
VERSION = 1
PARTITIONED = {"enterprise_year": "year"}  # table -> Hive partition column
PARTS = {"enterprise", "honour"}  # tables written as a folder of parts (not partitioned)
# never exported: secrets (meta's web_secret), password hashes, who did what, operational bookkeeping
NEVER = frozenset({"meta", "app_user", "audit", "import_batch", "schema_migrations", "run", "session"})
SAFE_META = (
    "pack",
    "pack_path",
    "pack_version",
    "pack_counts",
    "synthetic",
    "demo_params",
    "demo_calibration",
    "demo_honours",
)
RESULTS = "results"


def is_parquet_warehouse(path: str | Path) -> bool:
    p = Path(path)
    return p.is_dir() and (p / MANIFEST).is_file()


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def private_files(folder: Path) -> None:
    """0700 on every folder and 0600 on every file below `folder` (and on it)."""
    os.chmod(folder, 0o700)
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            os.chmod(Path(root) / d, 0o700)
        for f in files:
            os.chmod(Path(root) / f, 0o600)


# s3a://bucket/x, oss://…, hdfs://… (a Path keeps one slash: s3a:/bucket/x)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")


def read_manifest(path: str | Path) -> dict:
    p = Path(path)
    if _URI.match(str(path)):
        uri = str(path) if "://" in str(path) else _URI.sub(lambda m: m.group(0) + "/", str(path))
        raise WarehouseError(
            f"{uri}: object-storage and HDFS URIs are not supported as a warehouse yet (the manifest, the run "
            "index and the results are written with local file operations); mount the bucket at the same path on "
            "the driver and every executor and give that path (docs/scale.md, section 4)"
        )
    m = p / MANIFEST
    if not m.is_file():
        raise WarehouseError(
            f"{p} is not a zhizao Parquet warehouse (no {MANIFEST}; build one with "
            f"`zhizao demo --format parquet --out {p}`)"
        )
    try:
        doc = json.loads(m.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise WarehouseError(f"{m}: unreadable manifest ({e})") from None
    if doc.get("format") != FORMAT:
        raise WarehouseError(f"{m}: not a zhizao Parquet warehouse manifest")
    if int(doc.get("version", 0)) > VERSION:
        raise WarehouseError(f"{p} was written by a newer zhizao (format version {doc['version']}); upgrade zhizao")
    return doc


def write_manifest(
    path: Path, *, tables: list[str], years: list[int], meta: dict[str, str], columns: dict[str, list[str]]
) -> None:
    """The manifest: tables, their columns in the warehouse's order (a partition column is read last from the
    folder names; readers put it back in its place), years and the safe metadata."""
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "tables": sorted(tables),
        "columns": {t: columns[t] for t in sorted(tables)},
        "partitioned": {t: c for t, c in PARTITIONED.items() if t in tables},
        "years": sorted(years),
        "meta": {k: v for k, v in meta.items() if k in SAFE_META and v is not None},
    }
    tmp = path / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path / MANIFEST)


def safe_meta(doc: dict) -> list[tuple[str, str]]:
    """The `meta` rows analytics may read (the manifest's safe keys): the warehouse's meta table, minus secrets."""
    return sorted((k, str(v)) for k, v in doc.get("meta", {}).items() if k in SAFE_META)


def table_source(path: Path, table: str) -> str:
    """What a reader scans for `table`: a file, a folder of parts, or a partitioned folder."""
    if table in PARTITIONED:
        return str(path / table / "*" / "*.parquet")
    if table in PARTS or (path / table).is_dir():
        return str(path / table / "*.parquet")
    return str(path / f"{table}.parquet")


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def duckdb_views(con: duckdb.DuckDBPyConnection, path: str | Path, *, types: dict[str, str] | None = None) -> None:
    """Views over the folder's tables in a DuckDB connection (partition columns typed as the warehouse types
    them: year SMALLINT)."""
    path = Path(path)
    doc = read_manifest(path)
    for t in doc["tables"]:
        src = _q(table_source(path, t))
        cols = ", ".join('"' + c + '"' for c in doc["columns"][t])
        if t in PARTITIONED:
            col = PARTITIONED[t]
            typ = (types or {}).get(col, "SMALLINT")
            scan = f"read_parquet({src}, hive_partitioning = true, hive_types = {{'{col}': {typ}}})"
        else:
            scan = f"read_parquet({src})"
        con.execute(f'CREATE OR REPLACE VIEW "{t}" AS SELECT {cols} FROM {scan}')
    rows = safe_meta(doc)
    con.execute("CREATE OR REPLACE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    if rows:
        con.executemany("INSERT INTO meta VALUES (?, ?)", rows)


def export_tables(con: duckdb.DuckDBPyConnection, path: Path, tables: list[str]) -> list[str]:
    """COPY the connection's `tables` into the folder (partitioned and part tables as folders). Refuses the
    tables that are never exported. Returns the tables written."""
    private_dir(path)
    written = []
    for t in tables:
        if t in NEVER:
            raise WarehouseError(f"table {t!r} is never exported to Parquet (secrets or bookkeeping)")
        if t in PARTITIONED:
            dest = private_dir(path / t)
            con.execute(
                f'COPY (SELECT * FROM "{t}") TO {_q(str(dest))} '
                f"(FORMAT parquet, PARTITION_BY ({PARTITIONED[t]}), OVERWRITE_OR_IGNORE true)"
            )
        elif t in PARTS:
            dest = private_dir(path / t)
            con.execute(f'COPY (SELECT * FROM "{t}") TO {_q(str(dest / "part-00000.parquet"))} (FORMAT parquet)')
        else:
            con.execute(f'COPY (SELECT * FROM "{t}") TO {_q(str(path / (t + ".parquet")))} (FORMAT parquet)')
        written.append(t)
    private_files(path)
    return written


def columns_of(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t in tables:
        out[t] = [d[0] for d in con.execute(f'SELECT * FROM "{t}" LIMIT 0').description]
    return out


def analytic_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The base tables of a warehouse that may be exported (everything but NEVER and result tables)."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
        "AND table_schema = 'main' ORDER BY 1"
    ).fetchall()
    from . import results

    derived = set(results.result_tables(con))
    return [r[0] for r in rows if r[0] not in NEVER and r[0] not in derived]


class ParquetRuns:
    """Analytics results of a Parquet warehouse, by run:

        DIR/results/runs.json                 every run: id, command, engine, year, params, status, times, summary
        DIR/results/<run>/<table>.parquet     a result table (or <table>/ holding an engine's part files)

    A run's files are complete before runs.json marks it done (the file is replaced atomically), so readers
    that take the newest finished run never see half a run."""

    def __init__(self, path: str | Path):
        self.root = Path(path) / RESULTS
        self.index = self.root / "runs.json"

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def _runs(self) -> list[dict]:
        if not self.index.is_file():
            return []
        return json.loads(self.index.read_text(encoding="utf-8"))

    def _write(self, runs: list[dict]) -> None:
        tmp = self.index.with_name(self.index.name + ".tmp")
        tmp.write_text(json.dumps(runs, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.index)

    def spill_dir(self) -> Path:
        """Where an engine writes large results during a run (inside the warehouse, so that storing them is a
        rename, not a copy)."""
        import uuid

        return private_dir(self.root) / f".spill-{uuid.uuid4().hex[:12]}"

    def start_run(self, command: str, *, engine: str, year: int | None = None, params: dict | None = None) -> str:
        import datetime as dt
        import uuid

        run_id = uuid.uuid4().hex[:12]
        private_dir(self.root / run_id)
        runs = self._runs()
        runs.append(
            {
                "id": run_id,
                "command": command,
                "engine": engine,
                "year": year,
                "params": params or {},
                "status": "running",
                "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "finished": None,
                "summary": {},
            }
        )
        self._write(runs)
        return run_id

    def save(self, table: str, run_id: str, year: int | None, rows) -> int:
        import pyarrow as pa
        import pyarrow.parquet as pq

        folder = self.root / run_id
        if isinstance(rows, pa.Table):
            pq.write_table(rows, folder / f"{table}.parquet")
        else:  # engines.Spilled: move the engine's file or folder into the run
            os.replace(rows.path, folder / (table if rows.path.is_dir() else f"{table}.parquet"))
        return rows.num_rows

    def finish_run(self, run_id: str, *, summary: dict | None = None, status: str = "done") -> None:
        import datetime as dt
        import shutil

        private_files(self.root / run_id)
        runs = self._runs()
        for r in runs:
            if r["id"] == run_id:
                r.update(
                    status=status, finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), summary=summary or {}
                )
        self._write(runs)
        if status != "done":
            shutil.rmtree(self.root / run_id, ignore_errors=True)

    def latest_run(self, table: str, year: int | None = None) -> str | None:
        done = [
            r
            for r in self._runs()
            if r["status"] == "done"
            and (year is None or r["year"] == year)
            and ((self.root / r["id"] / f"{table}.parquet").exists() or (self.root / r["id"] / table).is_dir())
        ]
        return max(done, key=lambda r: r["finished"])["id"] if done else None

    def latest(self, table: str, year: int | None = None):
        """The rows of the newest finished run for `year` (with result_year, as the DuckDB store gives them)."""
        import pyarrow as pa
        import pyarrow.dataset as ds

        run = self.latest_run(table, year)
        if run is None:
            return None
        f = self.root / run / f"{table}.parquet"
        t = ds.dataset(str(f if f.exists() else self.root / run / table), format="parquet").to_table()
        ry = next(r["year"] for r in self._runs() if r["id"] == run)
        return t.add_column(0, "result_year", pa.array([ry] * t.num_rows, pa.int16()))
