"""Targets: the progress formulas by hand on small tables, how a target is measured (resolve), the demo's register
(江北区 1500亿 2023 → 2300亿 2027 needs 11.3% a year), DuckDB = Spark, and the `zhizao targets` command."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil

import duckdb
import ibis
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from conftest import assert_same_rows
from zhizao.analytics import Context
from zhizao.analytics import measures as ms
from zhizao.analytics import targets as tg
from zhizao.analytics.targets import measurement as tm
from zhizao.analytics.targets import rows as tr
from zhizao.analytics.targets import tracking as tp
from zhizao.cli import app

CON = ibis.duckdb.connect()
YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025]

SPEC_TYPES = {
    "target_id": pa.string(),
    "method": pa.string(),
    "num_member": pa.string(),
    "num_unit": pa.string(),
    "num_measure": pa.string(),
    "den_member": pa.string(),
    "den_unit": pa.string(),
    "den_measure": pa.string(),
    "scale": pa.float64(),
    "target_year": pa.int64(),
    "actual_year": pa.int64(),
    "baseline_year": pa.int64(),
    "baseline_published": pa.float64(),
    "span_start": pa.int64(),
    "target_value": pa.float64(),
    "lower_is_better": pa.bool_(),
}


def spec(
    target_id,
    target_value,
    target_year=2027,
    actual_year=2025,
    method="level",
    member="A",
    measure="output_value",
    baseline_year=None,
    baseline_published=None,
    span_start=None,
    lower=False,
    den_measure=None,
    scale=1.0,
):
    return dict(
        target_id=target_id,
        method=method,
        num_member=member,
        num_unit="u",
        num_measure=measure,
        den_member=member if den_measure else None,
        den_unit="u" if den_measure else None,
        den_measure=den_measure,
        scale=scale,
        target_year=target_year,
        actual_year=actual_year,
        baseline_year=baseline_year,
        baseline_published=baseline_published,
        span_start=span_start,
        target_value=float(target_value),
        lower_is_better=lower,
    )


# output of region A, R&D and revenue of A, new recognitions of kind k in A, a region B with one year only
OBS = (
    [("A", "output_value", y, v) for y, v in [(2023, 1500.0), (2024, 1698.0), (2025, 1765.0)]]
    + [
        ("A", "rd_expense", 2024, 25.0),
        ("A", "rd_expense", 2025, 30.0),
        ("A", "revenue", 2024, 1000.0),
        ("A", "revenue", 2025, 1000.0),
    ]
    + [("A", "new:k", y, v) for y, v in [(2023, 99.0), (2024, 30.0), (2025, 50.0)]]
    + [("B", "output_value", 2025, 10.0)]
)


def progress(*specs) -> dict[str, dict]:
    st = ibis.memtable(pa.Table.from_pylist(list(specs), schema=pa.schema(SPEC_TYPES)))
    obs = ibis.memtable(
        pa.table(
            {
                "member_code": [o[0] for o in OBS],
                "unit_id": ["u"] * len(OBS),
                "measure": [o[1] for o in OBS],
                "year": [o[2] for o in OBS],
                "value": [o[3] for o in OBS],
            }
        )
    )
    return {r["target_id"]: r for r in CON.to_pyarrow(tp.progress(st, obs, YEARS)).to_pylist()}


# ------------------------------------------------------------------------------------------------ formulas
def test_the_jiangbei_example_needs_11_3_percent_a_year_and_is_at_risk():
    r = progress(spec("jb", 2300, baseline_year=2023, baseline_published=1500))["jb"]
    assert round(r["required_growth_from_baseline"], 3) == 0.113  # (2300/1500)^(1/4) − 1
    assert math.isclose(r["required_growth_from_baseline"], (2300 / 1500) ** 0.25 - 1)
    assert r["actual_value"] == 1765 and r["actual_year"] == 2025 and r["baseline_used"] == 1500
    g = (1765 / 1500) ** 0.5 - 1  # two years since the baseline
    assert math.isclose(r["growth_so_far"], g) and r["growth_basis"] == "since baseline"
    assert math.isclose(r["required_growth"], (2300 / 1765) ** 0.5 - 1)  # two years left
    assert math.isclose(r["projection"], 1765 * (1 + g) ** 2)  # = 1765²/1500 = 2076.8
    assert math.isclose(r["gap"], 535) and math.isclose(r["progress"], 265 / 800)
    assert r["status"] == "at risk"  # 2076.8 / 2300 = 90.3% ≥ 90%
    assert "90%" in r["rule"]


def test_growth_so_far_uses_the_warehouse_baseline_and_shows_the_published_one_beside_it():
    """Issue 10 item 10. Published baseline 1400 for 2023; the warehouse holds 1500 for 2023 and 1765 for 2025.
    Growth so far = (1765 / 1500)^(1/2) − 1 = 8.47% (same source), not (1765 / 1400)^(1/2) − 1 = 12.28%; progress =
    (1765 − 1500) / (2300 − 1500) = 0.331; the plan's implied rate keeps the published baseline:
    (2300 / 1400)^(1/4) − 1 = 13.2%."""
    r = progress(spec("jb", 2300, baseline_year=2023, baseline_published=1400))["jb"]
    assert r["baseline_used"] == 1500 and r["baseline_published"] == 1400
    assert r["growth_so_far"] == pytest.approx(0.0847, abs=1e-4) and r["growth_basis"] == "since baseline"
    assert r["progress"] == pytest.approx(265 / 800)
    assert r["required_growth_from_baseline"] == pytest.approx(0.1321, abs=1e-4)


def test_status_on_track_off_track_and_baseline_measured_in_the_warehouse():
    r = progress(spec("on", 1800, baseline_year=2023), spec("off", 3000, baseline_year=2023))
    assert r["on"]["baseline_used"] == 1500 and r["on"]["status"] == "on track"  # 2076.8 ≥ 1800
    assert r["off"]["status"] == "off track"  # 2076.8 / 3000 = 69%


def test_a_passed_target_year_is_achieved_or_missed_at_that_year():
    r = progress(
        spec("hit", 1600, target_year=2024, actual_year=2024), spec("miss", 1700, target_year=2024, actual_year=2024)
    )
    assert r["hit"]["actual_value"] == 1698 and r["hit"]["status"] == "achieved"
    assert r["miss"]["status"] == "missed" and r["miss"]["required_growth"] is None


def test_a_ceiling_target_reverses_the_comparisons():
    r = progress(spec("cap", 1900, baseline_year=2023, lower=True), spec("cap2", 2500, baseline_year=2023, lower=True))
    assert r["cap"]["status"] == "at risk"  # 2076.8 > 1900 but ≤ 110% of it
    assert r["cap2"]["status"] == "on track"


def test_growth_so_far_falls_back_to_last_year_then_to_a_flat_projection():
    r = progress(spec("ly", 2300), spec("flat", 20, member="B"))
    g = 1765 / 1698 - 1
    assert math.isclose(r["ly"]["growth_so_far"], g) and r["ly"]["growth_basis"] == "last year"
    assert math.isclose(r["ly"]["projection"], 1765 * (1 + g) ** 2)
    assert r["ly"]["baseline_used"] is None and r["ly"]["required_growth_from_baseline"] is None
    assert r["flat"]["growth_so_far"] is None and r["flat"]["growth_basis"] == "unknown: projected flat"
    assert r["flat"]["projection"] == 10 and r["flat"]["status"] == "off track"


def test_a_ratio_is_numerator_over_denominator_times_scale():
    r = progress(spec("rd", 3.5, measure="rd_expense", den_measure="revenue", scale=100.0))["rd"]
    assert math.isclose(r["actual_value"], 3.0)  # 100 · 30 / 1000
    assert math.isclose(r["growth_so_far"], 3.0 / 2.5 - 1)
    assert math.isclose(r["projection"], 3.0 * 1.2**2) and r["status"] == "on track"


def test_new_recognitions_over_a_span_are_summed_and_projected_at_their_pace():
    r = progress(
        spec("span", 150, method="flow_span", measure="new:k", span_start=2024),
        spec("later", 150, method="flow_span", measure="new:k", span_start=2026),
    )
    s = r["span"]
    assert s["actual_value"] == 80  # 2024 + 2025; 2023 is before the span
    assert s["projection"] == 80 * 4 / 2 and s["status"] == "on track"  # 2024..2027 at 40 a year
    assert s["required_per_year"] == (150 - 80) / 2
    assert s["growth_so_far"] is None and s["required_growth"] is None
    assert r["later"]["status"] == "not started"


def test_a_yearly_target_is_due_every_year():
    r = progress(
        spec("yes", 40, method="flow_annual", measure="new:k", target_year=2025),
        spec("no", 60, method="flow_annual", measure="new:k", target_year=2025),
    )
    assert r["yes"]["actual_value"] == 50 and r["yes"]["status"] == "achieved" and r["no"]["status"] == "missed"


def test_a_growth_rate_target_compares_the_average_rate_over_its_span():
    rate = ((1765 / 1500) ** 0.5 - 1) * 100  # 2023 → 2025 for a 2024..2027 span
    r = progress(
        spec("g8", 8, method="growth", span_start=2024),
        spec("g9", 9, method="growth", span_start=2024),
        spec("g10", 10, method="growth", span_start=2024),
        spec("yoy", 4, method="growth"),
    )
    assert math.isclose(r["g8"]["actual_value"], rate)
    assert (r["g8"]["status"], r["g9"]["status"], r["g10"]["status"]) == ("on track", "at risk", "off track")
    assert math.isclose(r["yoy"]["actual_value"], (1765 / 1698 - 1) * 100)  # no span: year on year, 3.9%
    assert r["yoy"]["status"] == "at risk"  # within 1 point below 4%


def test_no_target_year_gives_no_projection():
    r = progress(spec("done", 1000, target_year=None), spec("open", 5000, target_year=None))
    assert r["done"]["status"] == "achieved" and r["open"]["status"] == "no target year"
    assert r["open"]["projection"] is None and r["open"]["required_growth"] is None


# ------------------------------------------------------------------------------------------------ resolve
def row(**kw):
    base = dict(
        id="t",
        scope="region",
        scope_id="500105",
        cluster_id=None,
        metric="industrial_output",
        value=2.3e11,
        unit="yuan",
        year=2027,
        qualifier=None,
        baseline_value=None,
        baseline_year=None,
        period="2027",
        cluster_text=None,
        published=None,
        proposed=False,
    )
    base.update(kw)
    return base


def resolve1(pack, at=2025, **kw):
    """Resolve one target row (fields as in row(), overridden by kw) evaluated in year `at`."""
    return tm.resolve([row(**kw)], pack, at, YEARS, {"p1": "某园区"})[0]


def test_resolve_a_region_target_with_its_own_baseline(pack):
    s = resolve1(pack, baseline_value=1.5e11, baseline_year=2023)
    assert s.measurable and s.num_member == "500105" and s.num_unit == tm.SECTIONS_UNIT
    assert s.num_measure == "output_value" and s.den_measure is None and s.method == "level"
    assert (s.baseline_published, s.baseline_year, s.baseline_source) == (1.5e11, 2023, "warehouse")
    s = resolve1(pack, baseline_value=1.5e11, baseline_year=2018)  # the warehouse starts in 2019
    assert (s.baseline_published, s.baseline_year, s.baseline_source) == (1.5e11, 2018, "not in the warehouse (2018)")
    assert (s.target_year, s.actual_year) == (2027, 2025)
    assert resolve1(pack, year=2024).actual_year == 2024  # a passed deadline is read at it


def test_resolve_baseline_year_from_the_span_or_the_source_date(pack):
    assert resolve1(pack, period="2023..2027").baseline_year == 2022
    s = resolve1(pack, published=dt.date(2024, 1, 15))
    assert (s.baseline_year, s.baseline_source) == (2023, "warehouse")
    assert resolve1(pack, published=dt.date(2010, 1, 1)).baseline_year is None  # 2009 is not held


def test_resolve_industries_clusters_and_words_for_the_whole(pack):
    c = next(iter(pack.systems["cq-33618"].clusters))
    assert resolve1(pack, metric="industry_output", cluster_id=c.id).num_unit == c.id
    assert resolve1(pack, metric="industry_output", cluster_text=c.name_zh).num_unit == c.id  # exact name
    s = resolve1(pack, metric="industry_output", cluster_text="某某新兴产业")
    assert not s.measurable and "某某新兴产业" in s.reason
    assert not resolve1(pack, metric="industry_output").measurable  # names no industry
    assert resolve1(pack, metric="revenue", cluster_text="规上工业企业").num_unit == tm.SECTIONS_UNIT
    assert resolve1(pack, metric="revenue", cluster_text="制造业").num_unit == tm.MANUFACTURING_UNIT


def test_resolve_ratios_shares_counts_and_honours(pack):
    s = resolve1(pack, metric="rd_intensity_revenue", unit="percent")
    # the pooled, pairwise-complete sums of R&D and revenue (measures.pair_columns)
    assert (s.num_measure, s.den_measure, s.scale) == ("pn__rd_expense__revenue", "pd__rd_expense__revenue", 100.0)
    c = next(iter(pack.systems["cq-33618"].clusters)).id
    s = resolve1(pack, metric="industry_share_of_output", cluster_id=c)
    assert (s.num_unit, s.den_unit, s.den_member, s.scale) == (c, tm.SECTIONS_UNIT, "500105", 100.0)
    s = resolve1(pack, metric="revenue_share_of_city")
    assert s.den_member == pack.info.root_region
    s = resolve1(pack, metric="enterprise_count_over_10b", cluster_id=c)
    assert s.num_measure == ms.threshold_column(1e10) and s.thresholds == [1e10]
    assert tm.size_class_threshold("enterprise_count_over_100m") == 1e8
    assert tm.size_class_threshold("enterprise_count_over_5b") == 5e9
    kinds = {k.key for k in pack.ladder.honour_kinds}
    assert tm.honour_key("specialized_sme", kinds) == "srdi_sme"
    s = resolve1(pack, metric="smart_factory_count")
    assert s.num_measure == "held:smart_factory" and s.num_unit == ms.ALL_UNIT
    s = resolve1(pack, metric="new_little_giant_count", period="2024..2027")
    # the 2027 小巨人 targets count the national list only (pack: ladder tier targets' levels)
    assert (s.method, s.num_measure, s.span_start) == ("flow_span", "new:little_giant@national", 2024)
    s = resolve1(pack, metric="new_little_giant_count", period="annual", year=None)
    assert (s.method, s.target_year, s.actual_year) == ("flow_annual", 2025, 2025)
    s = resolve1(pack, metric="industrial_output_growth", period="2021..2025", unit="percent")
    assert (s.method, s.span_start) == ("growth", 2021)


def test_resolve_says_why_a_target_is_not_measurable(pack):
    for kw, why in [
        (dict(metric="airspace_area"), "not measurable"),
        (dict(scope_id="火星"), "not in the pack"),
        (dict(scope="enterprise", scope_id="91500000X"), "enterprise targets"),
        (dict(scope="park", scope_id="nowhere"), "not in the warehouse"),
        (dict(metric="little_giant_count_growth"), "growth of this metric"),
    ]:
        s = resolve1(pack, **kw)
        assert not s.measurable and why in s.reason, (kw, s.reason)
    assert resolve1(pack, scope="park", scope_id="p1").num_member == "p1"
    assert resolve1(pack, scope_id="江北区").num_member == "500105"  # a proposed target names its region


# ------------------------------------------------------------------------------------------------ on the demo
@pytest.fixture(scope="module")
def demo_progress(duckdb_ctx):
    return tg.evaluate(duckdb_ctx)["target_progress"]


def test_demo_jiangbei_target_against_the_warehouse(demo_progress, demo_con):
    """The actual is the warehouse's 规上 sum, written here as plain SQL (not through the code under test)."""
    r = {x["target_id"]: x for x in demo_progress.to_pylist()}["pack:jiangbei-2027-target-industrial-output"]
    assert round(r["required_growth_from_baseline"], 3) == 0.113
    assert (r["baseline_published"], r["baseline_year"], r["baseline_source"]) == (1.5e11, 2023, "warehouse")
    assert r["baseline_value"] == pytest.approx(r["actual_value"])  # the warehouse's 2023 figure (evaluated 2023)
    # the baseline year is the evaluated year: growth so far is last year's, at current prices
    assert r["growth_basis"] == "last year" and r["growth_prices"] == "nominal"
    (want,) = demo_con.execute(
        """SELECT sum(y.output_value) FROM enterprise_year y JOIN enterprise e USING (uscc)
           JOIN industry i ON i.code = e.industry_code
           WHERE e.region_code = '500105' AND y.year = 2023 AND i.section IN ('B', 'C', 'D')
             AND y.revenue >= 2e7"""
    ).fetchone()
    assert math.isclose(r["actual_value"], want, rel_tol=1e-9) and r["actual_year"] == 2023
    assert r["actual_synthetic"] and "SYNTHETIC" in r["note"]
    assert r["status"] in ("on track", "at risk", "off track") and r["rule"]


def test_demo_every_target_has_a_status_and_a_reason_when_not_measurable(demo_progress):
    rows = demo_progress.to_pylist()
    assert len({r["target_id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["status"] in tg.STATUSES and r["rule"]
        if not r["measurable"]:
            assert r["status"] == "not measurable" and r["note"] and r["actual_value"] is None
    assert sum(r["measurable"] for r in rows) >= 20


def test_demo_targets_say_it_in_chinese_too(demo_progress):
    """Each text column has its Chinese twin, built from the same values: rule_zh, note_zh, measured_as_zh, and
    the target's own wording of its metric (metric_zh, else the vocabulary's name)."""
    from zhizao.vocab import label

    rows = {r["target_id"]: r for r in demo_progress.to_pylist()}
    for r in rows.values():
        assert r["metric_zh"] and r["rule_zh"] and (r["note"] is None) == (r["note_zh"] is None)
        assert (r["measured_as"] is None) == (r["measured_as_zh"] is None)
        assert tp.RULE_ZH[next(k for k, v in tp.RULE.items() if v == r["rule"])] == r["rule_zh"]
    jb = rows["pack:jiangbei-2027-target-industrial-output"]
    assert jb["metric_zh"] == "规上工业总产值" and jb["note_zh"] == tr.SYNTHETIC_NOTE_ZH
    assert jb["measured_as_zh"] == "规上企业工业总产值合计；工业（B+C+D门类）；江北区"
    assert "Jiangbei" in jb["measured_as"] or "江北" in jb["measured_as"]
    off = [r for r in rows.values() if not r["measurable"] and "is not measurable from the warehouse" in r["note"]]
    assert off and all(r["note_zh"] == f"数据库无法测算指标“{label(r['metric'])}”" for r in off)


def test_a_warehouse_of_real_figures_does_not_say_synthetic(demo, tmp_path):
    path = tmp_path / "real.duckdb"
    shutil.copy(demo[0], path)
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM meta WHERE key = 'synthetic'")
    con.close()
    ctx = Context.open(path, 2023)
    try:
        rows = tg.evaluate(ctx)["target_progress"].to_pylist()
    finally:
        ctx.close()
    assert not any(r["actual_synthetic"] for r in rows)
    assert not any("SYNTHETIC" in (r["note"] or "") for r in rows)


def test_duckdb_and_spark_give_the_same_target_progress(demo_progress, spark_ctx):
    assert_same_rows(demo_progress, tg.evaluate(spark_ctx)["target_progress"], keys=["target_id"])


# ------------------------------------------------------------------------------------------------ CLI
def test_targets_command_prints_progress_rules_and_the_synthetic_warning(demo):
    r = CliRunner().invoke(app, ["targets", "--db", str(demo[0]), "--year", "2023"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "SYNTHETIC" in out and "rule:" in out and "江北区" in out
    r = CliRunner().invoke(app, ["targets", "--db", str(demo[0]), "--region", "江北", "--json"])
    rows = json.loads(r.output)
    assert [x["target_id"] for x in rows] == ["pack:jiangbei-2027-target-industrial-output"]
    assert round(rows[0]["required_growth_from_baseline"], 3) == 0.113


def test_targets_command_keeps_the_register_listings(demo):
    r = CliRunner().invoke(app, ["targets", "--db", str(demo[0]), "--proposed"])
    assert r.exit_code == 0 and "no proposed targets" in r.output
    r = CliRunner().invoke(app, ["targets", "--db", str(demo[0]), "--register", "--format", "jsonl"])
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    assert r.exit_code == 0 and any(x["id"] == "pack:jiangbei-2027-target-industrial-output" for x in lines)
    r = CliRunner().invoke(app, ["targets", "--db", str(demo[0]), "--register", "--json"])
    assert json.loads(r.stdout) == lines  # one output flag: the same records as an array


def test_targets_command_has_one_output_flag_for_progress_and_register(demo):
    db = ["--db", str(demo[0]), "--region", "江北"]
    as_json = json.loads(CliRunner().invoke(app, ["targets", *db, "--json"]).stdout)
    as_format = json.loads(CliRunner().invoke(app, ["targets", *db, "--format", "json"]).stdout)
    r = CliRunner().invoke(app, ["targets", *db, "--format", "jsonl"])
    as_lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    assert as_json == as_format == as_lines and as_json[0]["target_id"].startswith("pack:")
    assert "--register --format jsonl" in r.stderr  # what --format jsonl alone printed before is named
    bad = CliRunner().invoke(app, ["targets", *db, "--json", "--format", "jsonl"])
    assert bad.exit_code == 2 and "--json is --format json" in bad.output
    assert CliRunner().invoke(app, ["targets", *db, "--format", "xml"]).exit_code == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["--region", "火星区"], "unknown region"),
        (["--cluster", "T9-9"], "unknown cluster"),
        (["--status", "sideways"], "unknown status"),
        (["--year", "1999"], "no figures for 1999"),
    ],
)
def test_targets_command_bad_input_exits_2(demo, args, message):
    r = CliRunner().invoke(app, ["targets", "--db", str(demo[0]), *args])
    assert r.exit_code == 2 and message in " ".join(r.output.split()) and "Traceback" not in r.output


def test_targets_command_on_an_empty_warehouse(empty_warehouse):
    r = CliRunner().invoke(app, ["targets", "--db", str(empty_warehouse)])
    assert r.exit_code == 2 and "no enterprise figures" in " ".join(r.output.split())
