"""Build a complete demo warehouse: the pack, then N synthetic enterprises calibrated to published figures.

The build streams: firms are generated cell by cell in chunks of about CHUNK_FIRMS and written
straight to DuckDB, keeping only a few numbers per firm in memory for honours and chains. It writes to
a temporary file beside the target and renames it at the end, so a warehouse is either complete or
absent. Same pack, seed, size and years give the same warehouse.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from ...reference import Pack, load_pack
from ...store import db, parquet
from .. import packload
from . import chains, firms, honours, identity
from .plan import Plan, make_plan

CHUNK_FIRMS = 50_000
SOURCE_ID = "synthetic-demo"
BUILD_MEMORY_LIMIT = "512MB"


@dataclass
class DemoReport:
    path: str
    pack: str
    enterprises: int
    years: list[int]
    seed: int
    seconds: float
    peak_rss_mb: float
    rows: dict[str, int]
    calibration: list[dict]
    honours: list[dict]
    chains: dict[str, int]
    below_threshold_share: float  # share of industrial firm-years under the above-scale threshold of their year
    params: dict = field(default_factory=dict)


def parse_years(text: str) -> list[int]:
    """'2019-2025' or '2019,2021,2023' -> sorted list of consecutive-or-listed years."""
    text = str(text).strip()
    try:
        if "-" in text:
            a, b = (int(x) for x in text.split("-", 1))
            years = list(range(a, b + 1))
        else:
            years = sorted({int(x) for x in text.split(",") if x.strip()})
    except ValueError:
        raise ValueError(f"years must look like 2019-2025 or 2021,2022,2023, got {text!r}") from None
    if not years or years[0] < 1990 or years[-1] > 2100:
        raise ValueError(f"years {text!r} are out of range (1990-2100)")
    if len(years) > 1 and years != list(range(years[0], years[-1] + 1)):
        raise ValueError("demo years must be consecutive")
    return years


def demo_params(pack: Pack, n: int, seed: int, years: list[int]) -> dict:
    return {
        "pack": pack.info.id,
        "pack_version": pack.info.version,
        "enterprises": n,
        "seed": seed,
        "years": f"{years[0]}-{years[-1]}",
        "generator": 1,
    }


def _chunks(counts: np.ndarray) -> list[np.ndarray]:
    cells = np.flatnonzero(counts.ravel())
    per = counts.ravel()[cells]
    out, start, acc = [], 0, 0
    for k, c in enumerate(per):
        acc += c
        if acc >= CHUNK_FIRMS:
            out.append(cells[start : k + 1])
            start, acc = k + 1, 0
    if start < len(cells):
        out.append(cells[start:])
    return out


def _industry_word(name: str) -> str:
    for suffix in ("制造业", "制造", "业"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return name.replace("、", "")[:10]


def _division(pack: Pack, regions: np.ndarray) -> np.ndarray:
    """The six-digit code a firm's credit code carries: its county's, or the root's for pack-local codes."""
    return np.array([r if (len(r) == 6 and r.isdigit()) else pack.info.root_region for r in regions])


def _insert(con, table: str, tbl: pa.Table) -> None:
    con.register("_batch", tbl)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(tbl.column_names)}) SELECT * FROM _batch")
    finally:
        con.unregister("_batch")


def _write_firms(
    con, pack: Pack, plan: Plan, seed: int, progress: Callable[[int], None], sink=None
) -> honours.FirmSummary:
    """Generate the firms chunk by chunk and hand each chunk's enterprise and enterprise_year rows to `sink`
    (default: insert them into `con`); keep only the per-firm summary honours and chains need, in arrays
    allocated once for every firm (about 80 bytes a firm)."""
    locs = plan.locations
    region_of_loc = np.array([loc.region for loc in locs])
    park_of_loc = np.array([loc.park or "" for loc in locs], dtype=object)
    division = _division(pack, region_of_loc)
    words = [_industry_word(pack.industries[c].name_zh) for c in plan.industries]
    industries = np.array(plan.industries)
    sink = sink or (lambda chunk_no, ent, yrs: (_insert(con, "enterprise", ent), _insert(con, "enterprise_year", yrs)))
    total = int(plan.firm_counts.sum())
    summary = honours.FirmSummary(
        region=np.empty(total, dtype=region_of_loc.dtype),
        industry=np.empty(total, dtype=industries.dtype),
        founded_year=np.empty(total, dtype=np.int16),
        first_year=np.empty(total, dtype=np.int16),
        size=np.empty(total),
        revenue_last=np.empty(total),
        rd_intensity=np.empty(total),
        tech_share=np.empty(total),
        alive_last=np.empty(total, dtype=bool),
    )
    offset = 0
    for chunk_no, cells in enumerate(_chunks(plan.firm_counts)):
        rng = np.random.default_rng([seed, 2, chunk_no])
        b = firms.generate(plan, cells, offset, rng)
        codes = identity.credit_codes(b.index, division[b.loc], seed)
        founded_year = b.founded.astype("datetime64[Y]").astype(int) + 1970
        ent = pa.table(
            {
                "uscc": pa.array(codes),
                "name": pa.array(identity.names(b.index, [words[i] for i in b.ind], seed)),
                "region_code": pa.array(region_of_loc[b.loc]),
                "park_id": pa.array([p or None for p in park_of_loc[b.loc]], type=pa.string()),
                "industry_code": pa.array(industries[b.ind]),
                "founded": pa.array(b.founded),
                "synthetic": pa.array(np.ones(len(codes), dtype=bool)),
                "source_id": pa.array([SOURCE_ID] * len(codes)),
            }
        )
        sink(chunk_no, ent, firms.year_table(b, plan, codes))
        del ent
        alive_n = np.maximum(b.years.sum(axis=1), 1)
        rev_sum = b.revenue.sum(axis=1)
        sl = slice(offset, offset + len(codes))
        summary.region[sl] = region_of_loc[b.loc]
        summary.industry[sl] = industries[b.ind]
        summary.founded_year[sl] = founded_year
        summary.first_year[sl] = b.first_year
        summary.size[sl] = b.output.sum(axis=1) / alive_n
        summary.revenue_last[sl] = b.revenue[:, -1]
        summary.rd_intensity[sl] = np.divide(b.rd.sum(axis=1), rev_sum, out=np.zeros(len(rev_sum)), where=rev_sum > 0)
        summary.tech_share[sl] = np.divide(b.tech.sum(axis=1), rev_sum, out=np.zeros(len(rev_sum)), where=rev_sum > 0)
        summary.alive_last[sl] = b.years[:, -1]
        offset += len(codes)
        progress(len(codes))
    if offset != total:  # pragma: no cover - the plan's counts are the chunks' counts
        raise RuntimeError(f"generated {offset} firms, planned {total}")
    return summary


class _ParquetSink:
    """Chunks of firms to Parquet: enterprise/part-NNNNN.parquet and enterprise_year/year=Y/part-NNNNN.parquet,
    typed as the warehouse's tables (so a Parquet warehouse reads as the DuckDB one does)."""

    def __init__(self, folder: Path, con):
        import pyarrow.parquet as pq

        self.pq, self.folder = pq, folder
        self.schemas = {t: con.sql(f"SELECT * FROM {t} LIMIT 0").to_arrow_table().schema for t in FIRM_TABLES}
        self.honour_schema = con.sql("SELECT * FROM honour LIMIT 0").to_arrow_table().schema
        self._honour_parts, self._honour_buf, self._honour_rows = 0, [], 0
        for t in FIRM_TABLES:
            parquet.private_dir(folder / t)

    def __call__(self, chunk_no: int, ent: pa.Table, years: pa.Table) -> None:
        name = f"part-{chunk_no:05d}.parquet"
        self.pq.write_table(
            ent.select(self.schemas["enterprise"].names).cast(self.schemas["enterprise"]),
            self.folder / "enterprise" / name,
        )
        sch = self.schemas["enterprise_year"]
        years = years.select(sch.names).cast(sch)
        col = years.column("year").to_numpy()
        rest = pa.schema([f for f in sch if f.name != "year"])
        for y in np.unique(col):
            part = parquet.private_dir(self.folder / "enterprise_year" / f"year={int(y)}")
            rows = years.filter(pa.array(col == y)).drop_columns(["year"])
            self.pq.write_table(rows.cast(rest), part / name)

    def honours(self, rows: pa.Table) -> None:
        """A group of generated honours, for honour/ (not the staging database, whose primary-key index would
        have to hold every one in memory); written in parts of about HONOUR_PART rows."""
        self._honour_buf.append(rows.cast(self.honour_schema))
        self._honour_rows += rows.num_rows
        if self._honour_rows >= HONOUR_PART:
            self._flush_honours()

    def _flush_honours(self) -> None:
        if not self._honour_buf:
            return
        folder = parquet.private_dir(self.folder / "honour")
        self._honour_parts += 1
        self.pq.write_table(pa.concat_tables(self._honour_buf), folder / f"part-{self._honour_parts:05d}.parquet")
        self._honour_buf, self._honour_rows = [], 0

    def finish_honours(self, con) -> None:
        """The honours the chains step added in the staging table (chain leaders; INSERT OR IGNORE there saw
        none of the generated ones) join the parts unless a part already holds them; `honour` becomes a view."""
        self._flush_honours()
        folder = parquet.private_dir(self.folder / "honour")
        parts = str(folder / "*.parquet").replace("'", "''")
        have = bool(self._honour_parts)
        extra = con.sql(
            "SELECT * FROM honour h"
            + (
                f" WHERE NOT EXISTS (SELECT 1 FROM read_parquet('{parts}') g WHERE g.uscc = h.uscc AND "
                "g.kind = h.kind AND g.level = h.level AND g.year = h.year)"
                if have
                else ""
            )
        ).to_arrow_table()
        if extra.num_rows or not have:
            self.pq.write_table(extra.cast(self.honour_schema), folder / "part-extra.parquet")
        con.execute("DROP TABLE honour")
        cols = ", ".join(self.honour_schema.names)
        con.execute(f"CREATE VIEW honour AS SELECT {cols} FROM read_parquet('{parts}')")

    def attach(self, con) -> None:
        """In the staging database, enterprise and enterprise_year become views over the written files (the
        honours and chains steps read them there), and enterprise_node loses its primary key (its rows are
        unique by construction; an index over millions of keys would not fit the staging memory)."""
        con.execute("ALTER TABLE enterprise_node RENAME TO _enterprise_node_keyed")
        con.execute("CREATE TABLE enterprise_node AS SELECT * FROM _enterprise_node_keyed LIMIT 0")
        con.execute("DROP TABLE _enterprise_node_keyed")
        for t in FIRM_TABLES:
            con.execute(f"DROP TABLE {t}")
            src = parquet.table_source(self.folder, t).replace("'", "''")
            extra = ", hive_partitioning = true, hive_types = {'year': SMALLINT}" if t in parquet.PARTITIONED else ""
            cols = ", ".join(f'"{c}"' for c in self.schemas[t].names)  # the table's column order
            con.execute(f"CREATE VIEW {t} AS SELECT {cols} FROM read_parquet('{src}'{extra})")


FIRM_TABLES = ("enterprise", "enterprise_year")
HONOUR_PART = 1_000_000


def build_demo(
    path: str | Path,
    pack_name: str | Path = "chongqing",
    *,
    enterprises: int | None = None,
    seed: int | None = None,
    years: str | list[int] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    fmt: str = "duckdb",
) -> DemoReport:
    """Build the demo warehouse at `path` (replacing it only once the new one is complete): a DuckDB file, or
    with fmt="parquet" a folder of Parquet files (store/parquet.py) whose firm-years stream to one folder per
    year — the same rows for the same pack, seed, size and years."""
    if fmt not in ("duckdb", "parquet"):
        raise ValueError(f"unknown demo format {fmt!r} (choose duckdb or parquet)")
    t0 = time.perf_counter()
    pack = load_pack(pack_name)
    if pack.demo is None:
        raise ValueError(f"pack {pack.info.id} has no demo.yaml; it cannot build a demo warehouse")
    cfg = pack.demo
    n = int(enterprises if enterprises is not None else cfg.enterprises)
    if n < 50:
        raise ValueError("a demo warehouse needs at least 50 enterprises")
    seed = int(cfg.seed if seed is None else seed)
    year_list = parse_years(years or cfg.years) if not isinstance(years, list) else years
    report_progress = progress or (lambda stage, done, total: None)

    path = Path(path)
    if fmt == "parquet":
        return _build_parquet(path, pack, n, seed, year_list, report_progress, t0)
    tmp = path.with_name(path.name + ".building")
    for p in (tmp, Path(str(tmp) + ".wal")):
        if p.exists():
            p.unlink()
    con, _ = packload.init_warehouse(tmp, pack.path)
    try:
        out = _fill(con, pack, n, seed, year_list, report_progress, str(path))
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        for p in (tmp, Path(str(tmp) + ".wal")):
            if p.exists():
                p.unlink()
        raise
    con.close()
    os.replace(tmp, path)
    return _report(path, pack, n, year_list, seed, t0, out)


def _build_parquet(
    path: Path, pack: Pack, n: int, seed: int, year_list: list[int], report_progress, t0: float
) -> DemoReport:
    """The demo as a Parquet warehouse folder: firms streamed chunk by chunk to Parquet (enterprise_year in one
    folder per year), the rest staged in a small DuckDB file and exported; built in DIR.building and renamed
    to DIR when complete. An existing DIR is replaced only if it is a zhizao Parquet warehouse."""
    import shutil

    if path.exists() and not (parquet.is_parquet_warehouse(path) or (path.is_dir() and not any(path.iterdir()))):
        raise ValueError(f"{path} exists and is not a zhizao Parquet warehouse: choose another --out")
    tmp = path.with_name(path.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    parquet.private_dir(tmp)
    staging = tmp / "_staging.duckdb"
    con, _ = packload.init_warehouse(staging, pack.path)
    try:
        sink = _ParquetSink(tmp, con)
        out = _fill(con, pack, n, seed, year_list, report_progress, str(path), sink=sink)
        report_progress("export", 0, 1)
        written = parquet.export_tables(con, tmp, parquet.analytic_tables(con))
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        tables = written + list(FIRM_TABLES) + ["honour"]
        parquet.write_manifest(tmp, tables=tables, years=year_list, meta=meta, columns=parquet.columns_of(con, tables))
        report_progress("export", 1, 1)
    except BaseException:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    con.close()
    for f in (staging, Path(str(staging) + ".wal")):
        f.unlink(missing_ok=True)
    parquet.private_files(tmp)
    if path.exists():
        old = path.with_name(path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(path, old)
        os.replace(tmp, path)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, path)
    return _report(path, pack, n, year_list, seed, t0, out)


def _report(path: Path, pack: Pack, n: int, year_list: list[int], seed: int, t0: float, out: dict) -> DemoReport:
    return DemoReport(
        path=str(path),
        pack=pack.info.id,
        enterprises=n,
        years=year_list,
        seed=seed,
        seconds=time.perf_counter() - t0,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **out,
    )


def _fill(con, pack: Pack, n: int, seed: int, year_list: list[int], report_progress, where: str, sink=None) -> dict:
    """Everything but the pack: sources, parks, firms (to `sink` when given), honours, chains, metadata.
    Returns the DemoReport fields it measured."""
    con.execute(f"SET memory_limit = '{BUILD_MEMORY_LIMIT}'")  # DuckDB evicts or spills beyond this
    report_progress("plan", 0, 1)
    plan = make_plan(pack, n, year_list, seed)
    report_progress("plan", 1, 1)
    # no enclosing transaction: rows are committed chunk by chunk (DuckDB would otherwise hold
    # the whole build in memory); the file only becomes the warehouse when it is renamed.
    con.execute(
        "INSERT INTO source (id, title, publisher, note, origin) VALUES (?, ?, ?, ?, 'synthetic')",
        [
            SOURCE_ID,
            f"zhizao synthetic demo data (seed {seed}, {n} enterprises)",
            "zhizao",
            "Invented enterprises with synthetic names and codes; totals calibrated to published figures.",
        ],
    )
    parks = {(loc.park, loc.park_name, loc.region) for loc in plan.locations if loc.synthetic_park}
    for pid, pname, region in sorted(parks):
        con.execute(
            "INSERT INTO park VALUES (?, ?, NULL, ?, 'industrial_park', NULL, TRUE, NULL, ?)",
            [pid, pname, region, SOURCE_ID],
        )
    done = [0]

    def tick(k: int) -> None:
        done[0] += k
        report_progress("enterprises", done[0], plan.n_firms)

    summary = _write_firms(con, pack, plan, seed, tick, sink)
    if sink is not None:
        sink.attach(con)  # enterprise and enterprise_year become views over the written Parquet
    report_progress("honours", 0, 1)
    given, honour_report = honours.assign(pack, summary, year_list, np.random.default_rng([seed, 3]))
    for kind, level, idx, yrs in given:
        v = pack.honour_validity(kind)
        if v:  # a recognition that expires is renewed every `v` years (the firm keeps it in the demo)
            reps = [(idx, yrs)]
            while True:
                nxt = reps[-1][1] + v
                keep = nxt <= year_list[-1]
                if not keep.any():
                    break
                reps.append((reps[-1][0][keep], nxt[keep]))
            idx = np.concatenate([r[0] for r in reps])
            yrs = np.concatenate([r[1] for r in reps]).astype(yrs.dtype)
        codes = identity.credit_codes(idx, _division(pack, summary.region[idx]), seed)
        rows = pa.table(
            {
                "uscc": pa.array(codes),
                "kind": pa.array(np.full(idx.size, kind, dtype=object), pa.string()),
                "level": pa.array(np.full(idx.size, level, dtype=object), pa.string()),
                "year": pa.array(yrs),
                "source_id": pa.array(np.full(idx.size, SOURCE_ID, dtype=object), pa.string()),
            }
        )
        _insert(con, "honour", rows) if sink is None else sink.honours(rows)
    del summary, given
    report_progress("honours", 1, 1)
    report_progress("chains", 0, 1)
    chain_counts = chains.place(con, pack, np.random.default_rng([seed, 4]))
    if sink is not None:
        sink.finish_honours(con)
    report_progress("chains", 1, 1)
    # the share of industrial firm-years below the above-scale threshold in force that year (pack scale.yaml)
    rules = pack.scale.above_scale
    cases = " ".join(
        f"WHEN y.year >= {int(t.from_year)} THEN {float(t.revenue_yuan)}" for t in reversed(rules.thresholds)
    )
    below = (
        con.execute(
            f"""SELECT avg(CASE WHEN y.revenue < (CASE {cases} ELSE {float(rules.thresholds[0].revenue_yuan)} END)
                    THEN 1 ELSE 0 END)
                FROM enterprise_year y JOIN enterprise e USING (uscc) JOIN industry i ON i.code = e.industry_code
                WHERE i.section IN ({", ".join("?" for _ in rules.sections)})""",
            list(rules.sections),
        ).fetchone()[0]
        or 0.0
    )
    params = demo_params(pack, n, seed, year_list)
    calibration = [asdict(c) for c in plan.calibration]
    honour_rows = [asdict(h) for h in honour_report]
    db.set_meta(con, "synthetic", "true")
    db.set_meta(con, "demo_params", json.dumps(params, sort_keys=True))
    db.set_meta(con, "demo_calibration", json.dumps(calibration, ensure_ascii=False))
    db.set_meta(con, "demo_honours", json.dumps(honour_rows, ensure_ascii=False))
    db.audit(con, "zhizao demo", "demo.build", where, json.dumps(params))
    rows = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in (
            "region",
            "cluster",
            "chain_node",
            "park",
            "enterprise",
            "enterprise_year",
            "honour",
            "enterprise_node",
            "supply_link",
            "fact",
            "target",
            "source",
        )
    }
    return {
        "rows": rows,
        "calibration": calibration,
        "honours": honour_rows,
        "chains": chain_counts,
        "below_threshold_share": float(below),
        "params": params,
    }
