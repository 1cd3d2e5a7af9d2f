"""Engines: where analytics run. The same Ibis expressions run on DuckDB (default) or Apache Spark.

    eng = open_engine("zhizao.duckdb")                      # DuckDB, the warehouse file itself
    eng = open_engine("zhizao.duckdb", engine="spark")      # local[*] Spark over the same tables
    eng = open_engine("zhizao.duckdb", engine="spark", master="spark://host:7077")
    t = eng.table("enterprise_year")                        # an ibis.Table
    arrow = eng.to_arrow(expr)                               # run an expression, get a pyarrow.Table

Analytics take ibis tables and return ibis expressions (see analytics/), so they never know which
engine runs them. On Spark the warehouse tables are exported once to Parquet (cached beside the
warehouse, keyed by its content version) and registered as views; at province or nation scale the
tables would live in Parquet or Hive already and `tables_dir` points at them.

Seen on this machine (Nov 2026): ibis 12 needs sqlglot<28; a local Spark session starts in 6-15 s.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import ZhizaoError
from . import db, parquet

ENGINES = ("duckdb", "spark")
_SPARK_SESSION: Any = None


class EngineError(ZhizaoError, RuntimeError):
    """An engine that cannot start or cannot see the warehouse (clear message for the user)."""

    exit_code = 2


@dataclass
class Engine:
    name: str
    backend: Any  # an ibis backend
    path: Path | None = None
    con: duckdb.DuckDBPyConnection | None = None  # DuckDB only: the warehouse connection
    _tables: dict[str, Any] = field(default_factory=dict)
    _mem_count: int = 0

    def table(self, name: str):
        """A warehouse table as an ibis.Table."""
        if name not in self._tables:
            try:
                self._tables[name] = self.backend.table(name)
            except Exception as e:  # noqa: BLE001 - backends raise different types
                raise EngineError(f"table {name!r} is not available on {self.name}: {e}") from None
        return self._tables[name]

    def memtable(self, data):
        """Small in-memory data (pyarrow / pandas / dict of lists) as a table this engine can join with.

        On Spark the rows go in as Arrow (`createDataFrame(pyarrow.Table)`), not through pandas as ibis 12's
        memtables do — that path turns a null string into the text 'NaN', a null float into NaN (which Spark
        does not treat as null) and empties an integer column holding a null."""
        import ibis

        if self.name != "spark":
            return ibis.memtable(data)
        t = (
            data
            if isinstance(data, pa.Table)
            else (pa.Table.from_pandas(data, preserve_index=False) if hasattr(data, "to_numpy") else pa.table(data))
        )
        self._mem_count += 1
        view = f"_zhizao_mem_{id(self):x}_{self._mem_count}"
        self.backend._session.createDataFrame(t).createOrReplaceTempView(view)
        return self.backend.table(view)

    def to_arrow(self, expr) -> pa.Table:
        """Run an expression and return its rows (column types normalised across engines)."""
        if self.name == "spark":
            with spark_failures():
                return _normalise(_spark_arrow(self.backend, expr), nan_as_null=True)
        return _normalise(self.backend.to_pyarrow(expr))

    def to_pandas(self, expr):
        return self.to_arrow(expr).to_pandas()

    def spill(self, expr, folder: str | Path) -> Spilled:
        """Run an expression and write its rows straight to Parquet in `folder` — the engine streams them
        (DuckDB `COPY … TO`, Spark's writer), so a large result never sits in this process's memory."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self._mem_count += 1
        out = folder / f"result_{self._mem_count:04d}.parquet"
        if self.name == "spark":
            with spark_failures():
                self.backend.to_parquet(expr, str(out))  # a folder of part files
        else:
            self.backend.to_parquet(expr, out)
        return Spilled.of(out)

    def limit_memory(self, limit: str, temp_dir: str | Path | None = None) -> None:
        """DuckDB: hold at most `limit` (e.g. "1GB") in memory and spill the rest to `temp_dir` (its operators
        stream and spill, so a bigger warehouse takes longer, not more memory). Spark sizes its own."""
        if self.con is None:
            return
        self.con.execute(f"SET memory_limit = '{memory_size(limit)}'")
        if temp_dir is not None:
            Path(temp_dir).mkdir(parents=True, exist_ok=True)
            self.con.execute(f"SET temp_directory = '{str(temp_dir).replace(chr(39), chr(39) * 2)}'")

    def release_caches(self) -> None:
        """Free what the tables cached so far (ibis `.cache()`) hold in Spark's memory: an instrument's cached
        tables are its own, and on a local master the next instrument needs the JVM's memory for its joins and
        aggregations (at 10 million firms, cached tables left by chains and 亩均 starved the ladder's
        aggregation: docs/scale.md, section 5). A cached table used again is computed again: same rows. DuckDB
        spills its temporary tables under its memory limit, so nothing is done there."""
        if self.name == "spark":
            self.backend._session.catalog.clearCache()

    def close(self) -> None:
        if self.con is not None:
            with contextlib.suppress(Exception):
                self.backend.disconnect()


def memory_size(limit: str) -> str:
    """A memory size as DuckDB takes it ("1GB", "512MB"); anything else is refused."""

    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", limit, flags=re.IGNORECASE):
        raise EngineError(f"not a memory size: {limit!r} (say e.g. 1GB or 512MB)")
    return limit.strip()


@dataclass(frozen=True)
class Spilled:
    """A result table an engine wrote to Parquet (a file, or a folder of part files) instead of returning it:
    what `results.save` streams into the warehouse. Behaves like a table for counting (`num_rows`)."""

    path: Path
    num_rows: int
    schema: pa.Schema

    @classmethod
    def of(cls, path: Path) -> Spilled:
        import pyarrow.dataset as ds

        d = ds.dataset(str(path), format="parquet")
        return cls(path, d.count_rows(), d.schema)

    @property
    def column_names(self) -> list[str]:
        return list(self.schema.names)

    @property
    def glob(self) -> str:
        """What DuckDB's read_parquet reads."""
        return str(self.path / "*.parquet") if self.path.is_dir() else str(self.path)

    def to_arrow(self) -> pa.Table:
        """The rows, read back (for small results or tests)."""
        import pyarrow.dataset as ds

        return _normalise(ds.dataset(str(self.path), format="parquet").to_table())


@contextlib.contextmanager
def spark_failures():
    """A Spark job that fails (a Java exception behind py4j, or one of pyspark's own) becomes an EngineError whose
    message says what failed in one line, instead of a page of Java stack; running out of memory says which
    settings give Spark more room. The original exception stays chained for debugging."""
    try:
        yield
    except EngineError:
        raise
    except Exception as e:  # py4j and pyspark raise many types; only theirs are translated
        kind = type(e).__module__.split(".")[0]
        if kind not in ("py4j", "pyspark"):
            raise
        text = str(e)
        first = next((ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("\tat ")), "")
        memory = next((ln.strip() for ln in text.splitlines() if _OUT_OF_MEMORY.search(ln)), None)
        if memory is not None:
            raise EngineError(
                f"Spark ran out of memory ({_OUT_OF_MEMORY.search(memory).group(0)[:200]}). Give it more room with "
                "ZHIZAO_SPARK_CONF, e.g. spark.driver.memory=8g on a local master (the memory of its one JVM), "
                "spark.executor.memory on a cluster, or smaller tasks with more spark.sql.shuffle.partitions"
            ) from e
        raise EngineError(f"the Spark job failed: {first[:400] or type(e).__name__}") from e


# what Spark says when memory runs out: the JVM's heap, or its own memory manager refusing an operator a page
_OUT_OF_MEMORY = re.compile(r"(java\.lang\.OutOfMemoryError[^\n]*|SparkOutOfMemoryError[^\n]*|Java heap space)")


def _spark_arrow(backend, expr):
    """Spark's rows as Arrow straight from the executors (`DataFrame.toArrow`), typed as the expression says.
    ibis 12's own `to_pyarrow` on Spark goes through `toPandas()` — every row through pandas, a Python object per
    cell without Spark's Arrow transfer — which dominated small queries' time."""
    from ibis.formats.pyarrow import PyArrowData

    table_expr = expr.as_table()
    schema = table_expr.schema()
    backend._run_pre_execute_hooks(table_expr)  # registers the expression's ibis memtables, as to_pyarrow does
    out = backend._session.sql(backend.compile(table_expr)).toArrow()
    out = out.rename_columns(list(schema.names))
    return expr.__pyarrow_result__(PyArrowData.convert_table(out, schema))


def _normalise(t: pa.Table, *, nan_as_null: bool = False) -> pa.Table:
    """Engines differ in integer widths and decimal types; analytics results use int64/float64/string.
    nan_as_null: a float NaN becomes null, as DuckDB gives null where Spark computes NaN (and as the rows of
    Spark's pandas path always came back)."""
    import pyarrow.compute as pc

    if not isinstance(t, pa.Table):
        return t
    cols = []
    for f, col in zip(t.schema, t.columns):
        typ = f.type
        if pa.types.is_integer(typ) and typ != pa.int64():
            col = col.cast(pa.int64())
        elif pa.types.is_decimal(typ) or pa.types.is_float32(typ):
            col = col.cast(pa.float64())
        elif pa.types.is_large_string(typ) or pa.types.is_string_view(typ):
            col = col.cast(pa.string())
        if nan_as_null and pa.types.is_floating(col.type):
            nan = pc.is_nan(col)
            if pc.any(nan).as_py():
                col = pc.if_else(nan, pa.scalar(None, col.type), col)
        cols.append(col)
    return pa.Table.from_arrays(cols, names=t.column_names)


def _duckdb_engine(path: Path, read_only: bool) -> Engine:
    import ibis

    con = db.open_warehouse(path, read_only=read_only)
    return Engine("duckdb", ibis.duckdb.from_connection(con), path=path, con=con)


FIRMS_PER_PARTITION = 200_000  # a local master's shuffle partitions hold at most this many firms each


def spark_conf(master: str | None = None, env: str | None = None, firms: int = 0) -> dict[str, str]:
    """The Spark settings zhizao starts with. On this machine (local[...]): 8 shuffle partitions (more for a large
    warehouse: `local_shuffle_partitions`, set when it is opened) and a driver sized for the warehouse's `firms`
    (`local_driver_memory`: 2 GB up to 5 million). On a cluster (spark://,
    yarn, k8s://) Spark's own defaults and the cluster's spark-defaults.conf size those instead.
    ZHIZAO_SPARK_CONF ("key=value,key=value", e.g. executor memory or an object store's credentials provider)
    is applied last and wins."""
    conf = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "false",
    }
    if _local(master):
        conf |= {"spark.sql.shuffle.partitions": "8", "spark.driver.memory": local_driver_memory(firms)}
    return conf | operator_conf(env)


def operator_conf(env: str | None = None) -> dict[str, str]:
    """The operator's settings, ZHIZAO_SPARK_CONF (or `env`): "spark.key=value,spark.key=value"."""
    raw = os.environ.get("ZHIZAO_SPARK_CONF", "") if env is None else env
    conf = {}
    for item in (i.strip() for i in raw.split(",") if i.strip()):
        key, eq, value = item.partition("=")
        if not eq or not key.strip().startswith("spark."):
            raise EngineError(f"ZHIZAO_SPARK_CONF: {item!r} is not spark.key=value")
        conf[key.strip()] = value.strip()
    return conf


def _local(master: str | None) -> bool:
    return (master or "local[*]").startswith("local")


def local_shuffle_partitions(firms: int) -> int:
    """Shuffle partitions for a local master evaluating `firms` firms: the smallest 8 × 2^k that leaves at most
    FIRMS_PER_PARTITION firms to a partition — 8 up to 1.6 million firms, 16 at 3 million, 64 at 10 million.

    Measured (docs/scale.md, section 5): at 100,000 firms 8 partitions took 232.7 s and 64 took 283.4 s (+22 %:
    a task has fixed costs, and the 2 local cores run two at a time); at 10,000,000 firms 8 partitions ran out of
    the 2 GB heap writing the ladder's tier_screening (27 million wide rows per task), 64 completed."""
    n = 8
    while firms > n * FIRMS_PER_PARTITION:
        n *= 2
    return n


FIRMS_PER_DRIVER_GB = 2_500_000  # a local master's driver heap: 1 GB per this many firms, at least 2 GB


def local_driver_memory(firms: int, machine_bytes: int | None = None) -> str:
    """The driver heap of a local master (its one JVM does all the work) for a warehouse of `firms` firms: 1 GB per
    FIRMS_PER_DRIVER_GB firms, at least 2 GB, at most half the machine's memory — 2 GB up to 5 million firms,
    4 GB at 10 million, 20 GB at 50 million (on a machine of 40 GB or more).

    Measured (docs/scale.md, section 5): 2 GB evaluated 3,000,000 firms (peak 3.1 GB for the whole process tree); at
    10,000,000 firms 2 GB ran out of memory in the ladder's aggregation, after six instruments, even with each
    instrument's caches released, and 4 GB completed. The heap is fixed when the JVM starts: the first warehouse a
    process opens sizes it."""
    gb = max(2, -(-firms // FIRMS_PER_DRIVER_GB))
    if machine_bytes is None:
        try:
            machine_bytes = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError, AttributeError):  # pragma: no cover - not a POSIX machine
            machine_bytes = 0
    if machine_bytes:
        gb = max(2, min(gb, machine_bytes // 2**31))  # half the machine, in whole gigabytes
    return f"{gb}g"


def size_shuffle(session, master: str | None, firms: int) -> None:
    """Set the shuffle partitions of a local session for the warehouse just opened (`local_shuffle_partitions`),
    unless the operator set them (ZHIZAO_SPARK_CONF) or the master is a cluster (its own settings decide)."""
    if _local(master) and "spark.sql.shuffle.partitions" not in operator_conf():
        session.conf.set("spark.sql.shuffle.partitions", str(local_shuffle_partitions(firms)))


def spark_session(master: str | None = None, firms: int = 0):
    """One Spark session per process (starting one takes seconds), quiet, sized for this machine and the first
    warehouse it opens (`firms`: its firm count, for a local master's driver memory)."""
    global _SPARK_SESSION
    if _SPARK_SESSION is not None:
        return _SPARK_SESSION
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("the Spark engine needs pyspark (pip install pyspark) and Java 17") from None
    os.environ.setdefault("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON", "python3"))
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            builder = SparkSession.builder.appName("zhizao").master(master or "local[*]")
            for key, value in spark_conf(master, firms=firms).items():
                builder = builder.config(key, value)
            _SPARK_SESSION = builder.getOrCreate()
        _SPARK_SESSION.sparkContext.setLogLevel("ERROR")
    except Exception as e:  # noqa: BLE001 - Java missing, bad master URL ...
        raise EngineError(
            f"cannot start Spark ({master or 'local[*]'}): {str(e).splitlines()[0]} — is Java 17 installed?"
        ) from None
    return _SPARK_SESSION


def _warehouse_version(con: duckdb.DuckDBPyConnection, tables: list[str]) -> str:
    """A key that changes whenever any table's row count or content checksum changes."""
    h = hashlib.sha256()
    for t in tables:
        n, s = con.execute(f"SELECT count(*), sum(hash(x)) FROM (SELECT * FROM {t}) AS x").fetchone()
        h.update(f"{t}:{n}:{s};".encode())
    return h.hexdigest()[:16]


# What the Parquet export carries: the analytic tables only. Never the accounts (argon2 hashes), the audit
# log, import batches (file paths, who imported) or meta keys other than these (meta may hold secrets such as
# the demo accounts' password seed; an older server kept its signing secret there).
NOT_EXPORTED = frozenset({"app_user", "audit", "import_batch", "schema_migrations"})
PUBLIC_META = ("pack", "pack_version", "pack_path", "pack_counts", "synthetic", "demo_params")
EXPORT_FORMAT = "2"  # bumped when what is exported changes, so an older export is never reused


def _export_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The warehouse tables the Spark engine gets (base tables less NOT_EXPORTED)."""
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = 'main' ORDER BY 1"
        ).fetchall()
        if r[0] not in NOT_EXPORTED
    ]


def _private_dir(d: Path) -> None:
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    d.chmod(0o700)


def export_parquet(path: Path, out_dir: Path | None = None) -> Path:
    """Export the analytic tables to Parquet (once per content version); returns the folder.

    The folder holds firm-level data: it and its parent are 0700 and every file 0600. A folder left by an
    older export (other files, looser modes) is cleaned before it is used."""
    con = db.open_warehouse(path, read_only=True)
    try:
        tables = _export_tables(con)
        version = _warehouse_version(con, tables) + EXPORT_FORMAT
        root = out_dir or path.with_name(path.name + ".parquet")
        folder = root / version
        _private_dir(root)
        _private_dir(folder)
        if not (folder / "_done").exists():
            for t in tables:
                src = (
                    t
                    if t != "meta"
                    else f"(SELECT * FROM meta WHERE key IN ({', '.join(repr(k) for k in PUBLIC_META)}))"
                )
                con.execute(f"COPY {src} TO '{folder / (t + '.parquet')}' (FORMAT parquet)")
            (folder / "_done").write_text(version)
        wanted = {t + ".parquet" for t in tables} | {"_done"}
        for f in folder.iterdir():
            if f.name in wanted:
                f.chmod(0o600)
            elif f.is_file():
                f.unlink()
        return folder
    finally:
        con.close()


def _spark_engine(path: Path, master: str | None, tables_dir: Path | None) -> Engine:
    import ibis
    import pyarrow.parquet as pq

    folder = tables_dir or export_parquet(path)
    firms_file = Path(folder) / "enterprise.parquet"
    firms = pq.ParquetFile(firms_file).metadata.num_rows if firms_file.exists() else 0
    session = spark_session(master, firms)
    for f in sorted(Path(folder).glob("*.parquet")):
        session.read.parquet(str(f)).createOrReplaceTempView(f.stem)
    size_shuffle(session, master, firms)
    return Engine("spark", ibis.pyspark.connect(session), path=path)


def _duckdb_parquet_engine(path: Path) -> Engine:
    """DuckDB over a Parquet warehouse folder: an in-memory database with a view per table."""
    import ibis

    con = duckdb.connect()
    parquet.duckdb_views(con, path)
    return Engine("duckdb", ibis.duckdb.from_connection(con), path=path, con=con)


def _spark_parquet_engine(path: Path, master: str | None) -> Engine:
    """Spark over a Parquet warehouse folder: a view per table; a partitioned table's partition column (the
    year) typed and placed as in the warehouse, so that plans prune partitions by year."""
    import ibis
    import pyarrow.dataset as ds
    from pyspark.sql import functions as F

    doc = parquet.read_manifest(path)
    firms_path = path / "enterprise" if (path / "enterprise").is_dir() else path / "enterprise.parquet"
    firms = ds.dataset(str(firms_path), format="parquet").count_rows() if firms_path.exists() else 0
    session = spark_session(master, firms)
    size_shuffle(session, master, firms)
    for t in doc["tables"]:
        if t in parquet.PARTITIONED:
            df = session.read.option("basePath", str(path / t)).parquet(str(path / t))
            col = parquet.PARTITIONED[t]
            df = df.withColumn(col, F.col(col).cast("smallint"))
        elif (path / t).is_dir():
            df = session.read.parquet(str(path / t))
        else:
            df = session.read.parquet(str(path / f"{t}.parquet"))
        df.select(*doc["columns"][t]).createOrReplaceTempView(t)
    meta = parquet.safe_meta(doc)
    session.createDataFrame(
        pa.table({"key": [k for k, _ in meta], "value": [v for _, v in meta]}, schema=_META_SCHEMA)
    ).createOrReplaceTempView("meta")
    return Engine("spark", ibis.pyspark.connect(session), path=path)


_META_SCHEMA = pa.schema([("key", pa.string()), ("value", pa.string())])


def open_engine(
    path: str | Path,
    engine: str = "duckdb",
    *,
    master: str | None = None,
    read_only: bool = True,
    tables_dir: str | Path | None = None,
) -> Engine:
    """Open the warehouse at `path` on the named engine."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r} (choose {' or '.join(ENGINES)})")
    path = Path(path)
    if parquet.is_parquet_warehouse(path):
        return _duckdb_parquet_engine(path) if engine == "duckdb" else _spark_parquet_engine(path, master)
    if engine == "duckdb":
        return _duckdb_engine(path, read_only)
    return _spark_engine(path, master, Path(tables_dir) if tables_dir else None)
