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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa

from ...reference import Pack, load_pack
from ...store import db
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


def _write_firms(con, pack: Pack, plan: Plan, seed: int, progress: Callable[[int], None]) -> honours.FirmSummary:
    locs = plan.locations
    region_of_loc = np.array([loc.region for loc in locs])
    park_of_loc = np.array([loc.park or "" for loc in locs], dtype=object)
    division = _division(pack, region_of_loc)
    words = [_industry_word(pack.industries[c].name_zh) for c in plan.industries]
    industries = np.array(plan.industries)
    parts: dict[str, list[np.ndarray]] = {
        k: []
        for k in (
            "region",
            "industry",
            "founded_year",
            "first_year",
            "size",
            "revenue_last",
            "rd_intensity",
            "tech_share",
            "alive_last",
        )
    }
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
        _insert(con, "enterprise", ent)
        _insert(con, "enterprise_year", firms.year_table(b, plan, codes))
        alive_n = np.maximum(b.years.sum(axis=1), 1)
        rev_sum = b.revenue.sum(axis=1)
        parts["region"].append(region_of_loc[b.loc])
        parts["industry"].append(industries[b.ind])
        parts["founded_year"].append(founded_year)
        parts["first_year"].append(b.first_year)
        parts["size"].append(b.output.sum(axis=1) / alive_n)
        parts["revenue_last"].append(b.revenue[:, -1])
        parts["rd_intensity"].append(
            np.divide(b.rd.sum(axis=1), rev_sum, out=np.zeros(len(rev_sum)), where=rev_sum > 0)
        )
        parts["tech_share"].append(
            np.divide(b.tech.sum(axis=1), rev_sum, out=np.zeros(len(rev_sum)), where=rev_sum > 0)
        )
        parts["alive_last"].append(b.years[:, -1])
        offset += len(codes)
        progress(len(codes))
    return honours.FirmSummary(**{k: np.concatenate(v) for k, v in parts.items()})


def build_demo(
    path: str | Path,
    pack_name: str | Path = "chongqing",
    *,
    enterprises: int | None = None,
    seed: int | None = None,
    years: str | list[int] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoReport:
    """Build the demo warehouse at `path` (replacing it only once the new one is complete)."""
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
    tmp = path.with_name(path.name + ".building")
    for p in (tmp, Path(str(tmp) + ".wal")):
        if p.exists():
            p.unlink()
    con, _ = packload.init_warehouse(tmp, pack.path)
    con.execute(f"SET memory_limit = '{BUILD_MEMORY_LIMIT}'")  # DuckDB evicts or spills beyond this
    try:
        report_progress("plan", 0, 1)
        plan = make_plan(pack, n, year_list, seed)
        report_progress("plan", 1, 1)
        # no enclosing transaction: rows are committed chunk by chunk (DuckDB would otherwise hold
        # the whole build in memory); the file only becomes the warehouse when it is renamed below.
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

        summary = _write_firms(con, pack, plan, seed, tick)
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
            _insert(
                con,
                "honour",
                pa.table(
                    {
                        "uscc": pa.array(codes),
                        "kind": pa.array(np.full(idx.size, kind, dtype=object), pa.string()),
                        "level": pa.array(np.full(idx.size, level, dtype=object), pa.string()),
                        "year": pa.array(yrs),
                        "source_id": pa.array(np.full(idx.size, SOURCE_ID, dtype=object), pa.string()),
                    }
                ),
            )
        report_progress("honours", 1, 1)
        report_progress("chains", 0, 1)
        chain_counts = chains.place(con, pack, np.random.default_rng([seed, 4]))
        report_progress("chains", 1, 1)
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
        db.audit(con, "zhizao demo", "demo.build", str(path), json.dumps(params))
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
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        for p in (tmp, Path(str(tmp) + ".wal")):
            if p.exists():
                p.unlink()
        raise
    con.close()
    os.replace(tmp, path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return DemoReport(
        path=str(path),
        pack=pack.info.id,
        enterprises=n,
        years=year_list,
        seed=seed,
        seconds=time.perf_counter() - t0,
        peak_rss_mb=peak,
        rows=rows,
        calibration=calibration,
        honours=honour_rows,
        chains=chain_counts,
        below_threshold_share=float(below),
        params=params,
    )
