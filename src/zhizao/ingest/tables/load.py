"""Load a validated import into the warehouse: all tables in ONE transaction, or nothing.

Semantics (also in the template's instructions):
- enterprises      upsert by USCC. Name, region and industry are replaced; an empty park or founding
                   date keeps the stored value. A firm already in the warehouse keeps its `synthetic`
                   flag; new firms are `synthetic = false`.
- enterprise_year  upsert by (USCC, year). A non-empty cell replaces the stored figure; an empty cell
                   (or a column the file does not have) keeps it.
- honours          insert; an honour already held (same firm, kind, level, year) is left as it is.
- targets          upsert by id (made from scope, scope id, cluster, metric, year and qualifier when
                   the file leaves it empty); non-empty cells replace, empty cells keep.
Every loaded row points at a `source` row for the batch (origin = 'import'); the batch is recorded
in `import_batch` and `audit`. Rows go in as Arrow tables with set-based INSERT … ON CONFLICT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from ...store import db
from . import codes, parse
from .staged import FIGURES, Validation


@dataclass
class LoadResult:
    batch_id: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # table -> {rows, new, updated, unchanged}
    rows_loaded: int = 0
    dry_run: bool = False
    seconds: float = 0.0


def batch_id_for(sha256: str, at: dt.datetime) -> str:
    return f"imp-{at:%Y%m%d-%H%M%S}-{at.microsecond // 1000:03d}-{sha256[:8]}"


def _insert(con: duckdb.DuckDBPyConnection, name: str, tbl: pa.Table, sql: str) -> None:
    con.register(name, tbl)
    try:
        con.execute(sql)
    finally:
        con.unregister(name)


def _set(cols: list[str], table: str, keep_if_null: bool = True) -> str:
    if keep_if_null:
        return ", ".join(f"{c} = COALESCE(EXCLUDED.{c}, {table}.{c})" for c in cols)
    return ", ".join(f"{c} = EXCLUDED.{c}" for c in cols)


def load(
    con: duckdb.DuckDBPyConnection,
    val: Validation,
    *,
    actor: str,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> LoadResult:
    """Write a validated import. With `dry_run`, everything is written and then rolled back."""
    import time

    t0 = time.perf_counter()
    if not val.ok:
        raise ValueError("refusing to load an import that has issues")
    now = now or dt.datetime.now()
    batch = batch_id_for(val.sha256, now)
    res = LoadResult(batch, dry_run=dry_run)
    con.execute("BEGIN TRANSACTION")
    try:
        _load_all(con, val, batch, actor, now, res)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("ROLLBACK" if dry_run else "COMMIT")
    res.seconds = time.perf_counter() - t0
    return res


def _load_all(con, val: Validation, batch: str, actor: str, now: dt.datetime, res: LoadResult) -> None:
    st_all = val.staged
    src = pa.table(
        {
            "id": [batch],
            "title": [f"导入 import: {val.path.name}"],
            "address": [str(val.path.resolve())],
            "published": pa.array([now.date()], pa.date32()),
            "publisher": [actor],
            "sha256": [val.sha256],
            "body": pa.array([None], pa.string()),
            "note": ["zhizao import batch"],
            "origin": ["import"],
        }
    )
    _insert(con, "_imp_src", src, "INSERT INTO source SELECT * FROM _imp_src ON CONFLICT (id) DO NOTHING")

    if "enterprises" in st_all:
        st = st_all["enterprises"]
        d = st.data
        n = len(st)
        tbl = pa.table(
            {
                "uscc": pa.array(d["uscc"], pa.string()),
                "name": pa.array(d["name"], pa.string()),
                "region_code": pa.array(d["region_code"], pa.string()),
                "park_id": pa.array(d["park_id"], pa.string()),
                "industry_code": pa.array(d["industry_code"], pa.string()),
                "founded": pa.array(d["founded"], pa.date32()),
                "synthetic": pa.array([False] * n, pa.bool_()),
                "source_id": pa.array([batch] * n, pa.string()),
            }
        )
        _insert(
            con,
            "_imp_ent",
            tbl,
            "INSERT INTO enterprise (uscc, name, region_code, park_id, industry_code, founded, synthetic, source_id) "
            "SELECT uscc, name, region_code, park_id, industry_code, founded, synthetic, source_id FROM _imp_ent "
            "ON CONFLICT (uscc) DO UPDATE SET "
            + _set(["name", "region_code", "industry_code", "source_id"], "enterprise", keep_if_null=False)
            + ", "
            + _set(["park_id", "founded"], "enterprise"),
        )
        _count(res, "enterprises", n, len(st.existing))

    if "enterprise_year" in st_all:
        st = st_all["enterprise_year"]
        d = st.data
        cols = {"uscc": pa.array(d["uscc"], pa.string()), "year": pa.array(d["year"], pa.int16())}
        for f in FIGURES:
            cols[f] = pa.array(d[f], pa.int32() if f == "employees" else pa.float64())
        tbl = pa.table(cols)
        names = ", ".join(cols)
        _insert(
            con,
            "_imp_ey",
            tbl,
            f"INSERT INTO enterprise_year ({names}) SELECT {names} FROM _imp_ey "
            f"ON CONFLICT (uscc, year) DO UPDATE SET " + _set(FIGURES, "enterprise_year"),
        )
        _count(res, "enterprise_year", len(st), len(st.existing))

    if "honours" in st_all:
        st = st_all["honours"]
        d = st.data
        tbl = pa.table(
            {
                "uscc": pa.array(d["uscc"], pa.string()),
                "kind": pa.array(d["kind"], pa.string()),
                "level": pa.array(d["level"], pa.string()),
                "year": pa.array(d["year"], pa.int16()),
                "source_id": pa.array([batch] * len(st), pa.string()),
            }
        )
        _insert(
            con,
            "_imp_hon",
            tbl,
            "INSERT INTO honour (uscc, kind, level, year, source_id) SELECT * FROM _imp_hon "
            "ON CONFLICT (uscc, kind, level, year) DO NOTHING",
        )
        c = res.counts.setdefault("honours", {})
        c.update(rows=len(st), new=len(st) - len(st.existing), updated=0, unchanged=len(st.existing))

    if "targets" in st_all:
        st = st_all["targets"]
        d = st.data
        n = len(st)
        known_sources = {r[0] for r in con.execute("SELECT id FROM source").fetchall()}
        new_sources: dict[str, str] = {}
        source_ids = []
        for s in d["source"]:
            if s is None:
                source_ids.append(batch)
            elif s in known_sources:
                source_ids.append(s)
            else:
                sid = "src-imp-" + hashlib.sha1(s.encode()).hexdigest()[:12]
                new_sources[sid] = s
                source_ids.append(sid)
        if new_sources:
            ids = list(new_sources)
            texts = [new_sources[i] for i in ids]
            stbl = pa.table(
                {
                    "id": ids,
                    "title": texts,
                    "address": [t if t.startswith(("http://", "https://")) else None for t in texts],
                    "published": pa.array([None] * len(ids), pa.date32()),
                    "publisher": pa.array([None] * len(ids), pa.string()),
                    "sha256": pa.array([None] * len(ids), pa.string()),
                    "body": pa.array([None] * len(ids), pa.string()),
                    "note": [f"named in import {batch}"] * len(ids),
                    "origin": ["import"] * len(ids),
                }
            )
            _insert(con, "_imp_src2", stbl, "INSERT INTO source SELECT * FROM _imp_src2 ON CONFLICT (id) DO NOTHING")
        tbl = pa.table(
            {
                "id": pa.array(d["id"], pa.string()),
                "scope": pa.array(d["scope"], pa.string()),
                "scope_id": pa.array(d["scope_code"], pa.string()),
                "cluster_id": pa.array(d["cluster_id"], pa.string()),
                "metric": pa.array(d["metric"], pa.string()),
                "metric_zh": pa.array(_metric_wording(st.raw.get("metric"), d["metric"]), pa.string()),
                "value": pa.array(d["value_base"], pa.float64()),
                "unit": pa.array(d["unit_base"], pa.string()),
                "year": pa.array(d["year"], pa.int16()),
                "qualifier": pa.array(d["qualifier"], pa.string()),
                "baseline_value": pa.array(d["baseline_base"], pa.float64()),
                "baseline_year": pa.array(d["baseline_year"], pa.int16()),
                "source_id": pa.array(source_ids, pa.string()),
                "status": pa.array(d["status"], pa.string()),
                "proposed": pa.array([False] * n, pa.bool_()),
                "origin": pa.array(["import"] * n, pa.string()),
                "note": pa.array(d["note"], pa.string()),
            }
        )
        names = ", ".join(tbl.column_names)
        _insert(
            con,
            "_imp_tgt",
            tbl,
            f"INSERT INTO target ({names}) SELECT {names} FROM _imp_tgt ON CONFLICT (id) DO UPDATE SET "
            + _set(
                ["scope", "scope_id", "metric", "metric_zh", "value", "unit", "source_id", "origin"],
                "target",
                keep_if_null=False,
            )
            + ", "
            + _set(["cluster_id", "year", "qualifier", "baseline_value", "baseline_year", "status", "note"], "target"),
        )
        _count(res, "targets", n, len(st.existing))

    res.rows_loaded = sum(c["rows"] for c in res.counts.values())
    detail = {
        "file": val.path.name,
        "kind": val.kind,
        "sheets": val.sheets_used,
        "counts": res.counts,
        "units": [
            {k: u[k] for k in ("sheet", "field", "unit", "factor", "source", "base")}
            for s in st_all.values()
            for u in s.units
        ],
        "notes": [en for _, en in val.notes],
    }
    con.execute(
        'INSERT INTO import_batch (id, "at", file, sha256, actor, rows_loaded, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
            batch,
            now,
            str(val.path.resolve()),
            val.sha256,
            actor,
            res.rows_loaded,
            json.dumps(detail, ensure_ascii=False),
        ],
    )
    db.audit(
        con,
        actor,
        "import",
        batch,
        json.dumps({"file": val.path.name, "sha256": val.sha256, "counts": res.counts}, ensure_ascii=False),
    )


def _metric_wording(raw: list | None, metrics: list) -> list[str | None]:
    """A target's metric in the file's own words (metric_zh): the metric cell when it was written as a name
    (规上工业总产值) rather than a key (industrial_output)."""
    out = []
    for i, m in enumerate(metrics):
        w = parse.norm_text(raw[i]) if raw and i < len(raw) and not parse.is_empty(raw[i]) else None
        out.append(w if w and w != m and not codes.METRIC_KEY.match(w) else None)
    return out


def _count(res: LoadResult, key: str, rows: int, existing: int) -> None:
    res.counts[key] = {"rows": rows, "new": rows - existing, "updated": existing, "unchanged": 0}


def previous_batches(con: duckdb.DuckDBPyConnection, sha256: str) -> list[tuple[str, dt.datetime]]:
    """Earlier successful imports of the same file content."""
    return con.execute('SELECT id, "at" FROM import_batch WHERE sha256 = ? ORDER BY "at"', [sha256]).fetchall()
