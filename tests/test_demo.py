"""The demo warehouse: synthetic, labelled so, calibrated to published figures, deterministic."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pytest
from typer.testing import CliRunner

from zhizao import uscc
from zhizao.cli import app
from zhizao.ingest.synth.build import build_demo

YI = 1e8


def total(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()[0]


# The published figures are 规上 sums: industrial firms (sections B-D) with revenue of 2000万 or more in the year
# (the 2011 rule; every demo year is after 2011), and firms of other sections (no size rule in the pack) whole.
ABOVE_SCALE = "(i.section NOT IN ('B', 'C', 'D') OR y.revenue >= 2e7)"


def industrial_output(con, year, where="TRUE", scope=ABOVE_SCALE):
    return total(
        con,
        f"""SELECT sum(y.output_value) FROM enterprise_year y JOIN enterprise e USING (uscc)
                           JOIN industry i ON i.code = e.industry_code
                           WHERE y.year = ? AND i.section IN ('B', 'C', 'D') AND {where} AND {scope}""",
        year,
    )


def cluster_total(con, cluster, year, column="output_value"):
    return total(
        con,
        f"""SELECT sum(y.{column} * ci.share) FROM enterprise_year y JOIN enterprise e USING (uscc)
                          JOIN cluster_industry ci ON ci.industry_code = e.industry_code
                          JOIN industry i ON i.code = e.industry_code
                          WHERE ci.cluster_id = ? AND y.year = ? AND {ABOVE_SCALE}""",
        cluster,
        year,
    )


def within(value, published, pct=1.0):
    return abs(value - published) <= published * pct / 100


# ----------------------------------------------------------------------------- calibration
def test_jiangbei_2023_output_matches_the_published_1500_yi(demo_con):
    v = industrial_output(demo_con, 2023, "e.region_code = '500105'")
    assert within(v, 1500 * YI) and v >= 1500 * YI  # 突破1500亿: over, within 1%


def test_city_output_matches_published_totals_of_2020_and_2023(demo_con):
    assert within(industrial_output(demo_con, 2023), 2.6e12) and industrial_output(demo_con, 2023) > 2.6e12
    assert within(industrial_output(demo_con, 2020), 2.0e12) and industrial_output(demo_con, 2020) > 2.0e12


@pytest.mark.parametrize("cluster, jan_oct_yi", [("T1-1", 4993.7), ("T1-2", 5885.5), ("T1-3", 5320.9)])
def test_trillion_clusters_2023_output_is_the_published_january_october_figure_annualised(
    demo_con, cluster, jan_oct_yi
):
    assert within(cluster_total(demo_con, cluster, 2023), jan_oct_yi * YI * 12 / 10)


def test_other_published_cluster_figures(demo_con):
    assert within(cluster_total(demo_con, "T2-2", 2023), 2581.42 * YI)  # food 2023
    assert within(cluster_total(demo_con, "T1-2", 2022, "revenue"), 7356 * YI)  # electronics revenue 2022
    assert within(cluster_total(demo_con, "T2-3", 2022, "revenue"), 2705 * YI)  # software revenue 2022
    v = cluster_total(demo_con, "T1-1", 2025)
    assert within(v, 8000 * YI) and v > 8000 * YI  # ICV/NEV 2025 超8000亿


def test_park_output_matches_fuling_high_tech_zone_2022(demo_con):
    v = industrial_output(demo_con, 2022, "e.park_id = 'fuling-gxq'")
    assert within(v, 537.8 * YI)


def test_main_city_new_districts_shares_of_2021(demo_con):
    def share(column, scope=ABOVE_SCALE):
        return total(
            demo_con,
            f"""
            SELECT sum(y.{column}) FILTER (WHERE r.region_group = 'CQ-ZCXQ') / sum(y.{column})
            FROM enterprise_year y JOIN enterprise e USING (uscc) JOIN region r ON r.code = e.region_code
            JOIN industry i ON i.code = e.industry_code
            WHERE y.year = 2021 AND i.section IN ('B', 'C', 'D') AND {scope}""",
        )

    assert 0.42 < share("revenue") < 0.43  # 营业收入 超过42%
    assert 0.59 < share("fixed_investment", "TRUE") < 0.60  # 工业投资 超过59% (investment statistics: every firm)


def test_the_report_stored_in_the_warehouse_agrees_with_the_data(demo_con, demo):
    stored = json.loads(demo_con.execute("SELECT value FROM meta WHERE key = 'demo_calibration'").fetchone()[0])
    assert {r["figure"] for r in stored} == {r["figure"] for r in demo[1].calibration}
    jb = next(r for r in stored if r["figure"] == "jiangbei-2023-industrial-output")
    assert jb["achieved"] == pytest.approx(industrial_output(demo_con, 2023, "e.region_code = '500105'"), rel=1e-6)
    assert all(abs(r["achieved"] - r["aimed"]) <= 1e-6 * abs(r["aimed"]) for r in stored if not r["is_share"])


def test_every_year_has_plausible_growth(demo_con):
    out = dict(demo_con.execute("""SELECT year, sum(output_value) FROM enterprise_year GROUP BY year""").fetchall())
    for y in range(2020, 2026):
        assert -0.05 < out[y] / out[y - 1] - 1 < 0.25, (y, out[y] / out[y - 1])


def test_firm_sizes_are_heavy_tailed_and_above_scale(demo_con):
    q = demo_con.execute("""SELECT quantile_cont(revenue, 0.5), max(revenue), sum(revenue),
                                   avg(CASE WHEN revenue < 2e7 THEN 1 ELSE 0 END)
                            FROM enterprise_year WHERE year = 2023""").fetchone()
    median, biggest, whole, under = q
    assert biggest > 50 * median  # a few large firms, many small ones
    assert under < 0.02  # 规上: revenue of 20 million yuan or more, bar a few


def test_ratios_are_plausible(demo_con):
    r = demo_con.execute("""SELECT sum(value_added) / sum(output_value), sum(tax) / sum(revenue),
                                   sum(rd_expense) / sum(revenue), sum(output_value) / sum(land_mu),
                                   avg(CASE WHEN emission_equiv IS NULL THEN 1 ELSE 0 END),
                                   min(main_business_share), max(main_business_share)
                            FROM enterprise_year WHERE year = 2023 AND output_value IS NOT NULL""").fetchone()
    va, tax, rd, out_per_mu, no_emission, ms_lo, ms_hi = r
    assert 0.15 < va < 0.35 and 0.01 < tax < 0.08 and 0.005 < rd < 0.04
    assert 2e6 < out_per_mu < 3e7  # yuan of output per mu
    assert 0.05 < no_emission < 0.2  # some firms report no emissions (the 亩均 missing-data rule)
    assert 0.5 <= ms_lo and ms_hi <= 1.0


# ----------------------------------------------------------------------------- labelled synthetic
def test_every_enterprise_is_synthetic_named_so_and_has_a_valid_code(demo_con):
    rows = demo_con.execute("SELECT uscc, name, synthetic, source_id FROM enterprise").fetchall()
    assert len(rows) == 1500
    assert all(s and src == "synthetic-demo" and n.endswith("（演示）") for _, n, s, src in rows)
    assert all(uscc.is_valid(u, check_org=True) for u, *_ in rows)
    assert len({u for u, *_ in rows}) == 1500
    assert demo_con.execute("SELECT value FROM meta WHERE key = 'synthetic'").fetchone()[0] == "true"


def test_synthetic_parks_say_so_and_real_parks_come_from_the_pack(demo_con):
    parks = demo_con.execute("SELECT id, name_zh, synthetic, source_id FROM park").fetchall()
    assert all(name.endswith("（演示）") for _, name, synthetic, _ in parks if synthetic)
    assert all(src and src != "synthetic-demo" for _, _, synthetic, src in parks if not synthetic)
    assert any(pid == "fuling-gxq" for pid, *_ in parks)


def test_published_facts_and_targets_keep_their_sources(demo_con):
    missing = demo_con.execute("""SELECT count(*) FROM fact f LEFT JOIN source s ON s.id = f.source_id
                                  WHERE s.id IS NULL""").fetchone()[0]
    assert missing == 0
    t = demo_con.execute("""SELECT value, year, baseline_value, baseline_year, scope_id, source_id FROM target
                            WHERE id = 'pack:jiangbei-2027-target-industrial-output'""").fetchone()
    assert t == (2300 * YI, 2027, 1500 * YI, 2023, "500105", "seed001")


# ----------------------------------------------------------------------------- honours and chains
def test_published_honour_counts(demo_con):
    def count(kind, where):
        return total(
            demo_con,
            f"SELECT count(DISTINCT uscc) FROM honour h JOIN enterprise e USING (uscc) WHERE h.kind = ? AND {where}",
            kind,
        )

    assert count("smart_factory", "h.year <= 2023") == 144
    assert count("smart_factory", "h.year = 2023") == 17
    assert count("digital_workshop", "h.year <= 2023") == 958
    assert count("digital_workshop", "h.year = 2023") == 224
    jiangbei_firms = total(
        demo_con,
        """SELECT count(DISTINCT uscc) FROM enterprise_year y JOIN enterprise e
                                        USING (uscc) WHERE e.region_code = '500105' AND y.year <= 2024""",
    )
    # 351 in 江北 by 2024-06, or every 江北 firm when a small demo has fewer
    assert count("high_tech_enterprise", "h.year <= 2024 AND e.region_code = '500105'") == min(351, jiangbei_firms)
    assert count("national_smart_demo_factory", "h.year <= 2024 AND e.region_code = '500105'") == 2


def test_little_giants_come_from_the_srdi_tier_below_them(demo_con):
    orphans = total(
        demo_con,
        """SELECT count(*) FROM honour g WHERE g.kind = 'little_giant' AND NOT EXISTS
                                 (SELECT 1 FROM honour s WHERE s.uscc = g.uscc AND s.kind = 'srdi_sme')""",
    )
    giants = total(demo_con, "SELECT count(*) FROM honour WHERE kind = 'little_giant'")
    assert giants > 0 and orphans <= giants * 0.1


def test_no_honour_before_the_firm_existed(demo_con):
    assert (
        total(
            demo_con,
            """SELECT count(*) FROM honour h JOIN enterprise e USING (uscc)
                              WHERE h.year < year(e.founded)""",
        )
        == 0
    )


def test_chains_have_leaders_with_supplier_networks(demo_con):
    leaders = demo_con.execute("""SELECT n.chain_id, count(DISTINCT m.uscc) FROM enterprise_node m
                                  JOIN chain_node n ON n.id = m.node_id WHERE m.role = 'leader'
                                  GROUP BY 1""").fetchall()
    assert len(leaders) >= 4
    bad = total(
        demo_con,
        """SELECT count(*) FROM supply_link l JOIN enterprise_year s
                             ON s.uscc = l.supplier AND s.year = l.year WHERE l.amount > 0.6 * s.revenue + 1""",
    )
    assert bad == 0
    local = demo_con.execute("""
        SELECT sum(l.amount) FILTER (WHERE b.region_code = s.region_code) / sum(l.amount)
        FROM supply_link l JOIN enterprise b ON b.uscc = l.buyer
        JOIN enterprise s ON s.uscc = l.supplier""").fetchone()[0]
    assert 0.05 < local < 0.95  # suppliers cluster near their leader, not all of them


# ----------------------------------------------------------------------------- region succession
def test_jiangbei_2023_rolls_up_into_liangjiang_on_todays_map(demo_con):
    jb = industrial_output(demo_con, 2023, "e.region_code = '500105'")
    yb = industrial_output(demo_con, 2023, "e.region_code = '500112'")
    lj = total(
        demo_con,
        """SELECT sum(y.output_value) FROM enterprise_year y JOIN enterprise e USING (uscc)
                            JOIN industry i ON i.code = e.industry_code
                            JOIN region_current c ON c.code = e.region_code
                            WHERE y.year = 2023 AND i.section IN ('B', 'C', 'D') AND c.current_code = 'CQ-LJXQ'""",
    )
    assert lj == pytest.approx(jb + yb)
    before = demo_con.execute("SELECT current_code FROM region_map(DATE '2025-11-05') WHERE code = '500105'").fetchone()
    assert before == ("500105",)


# ----------------------------------------------------------------------------- determinism
def checksum(path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    h = hashlib.sha256()
    for table in ("enterprise", "enterprise_year", "honour", "enterprise_node", "supply_link", "park"):
        rows = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        h.update(repr(rows).encode())
    con.close()
    return h.hexdigest()


def test_same_seed_same_warehouse_other_seed_other_warehouse(tmp_path):
    a = build_demo(tmp_path / "a.duckdb", enterprises=300, seed=11, years="2021-2023")
    b = build_demo(tmp_path / "b.duckdb", enterprises=300, seed=11, years="2021-2023")
    c = build_demo(tmp_path / "c.duckdb", enterprises=300, seed=12, years="2021-2023")
    assert checksum(a.path) == checksum(b.path)
    assert checksum(a.path) != checksum(c.path)


def test_chain_membership_in_slices_gives_the_same_warehouse(tmp_path, monkeypatch):
    """A large demo places firms on chain nodes slice by slice (bounded memory at 10,000,000 firms): the
    warehouse is the one a single pass gives (members, leaders, supply links, honours)."""
    from zhizao.ingest.synth import chains

    whole = build_demo(tmp_path / "whole.duckdb", enterprises=300, seed=11, years="2021-2023")
    monkeypatch.setattr(chains, "MEMBER_SLICE", 70)  # 300 firms in 5 slices
    sliced = build_demo(tmp_path / "sliced.duckdb", enterprises=300, seed=11, years="2021-2023")
    assert checksum(sliced.path) == checksum(whole.path)


# ----------------------------------------------------------------------------- the command
def test_demo_command_builds_then_reuses_and_never_overwrites_other_warehouses(tmp_path, empty_warehouse):
    runner = CliRunner()
    db = tmp_path / "d.duckdb"
    r = runner.invoke(app, ["demo", "--db", str(db), "--enterprises", "200", "--years", "2022-2023", "--no-serve"])
    assert r.exit_code == 0, r.output
    assert "SYNTHETIC" in r.output and "江北区" in r.output
    r = runner.invoke(app, ["demo", "--db", str(db), "--enterprises", "200", "--years", "2022-2023", "--no-serve"])
    assert r.exit_code == 0 and "is up to date" in " ".join(r.output.split())
    r = runner.invoke(app, ["demo", "--db", str(empty_warehouse), "--enterprises", "200", "--no-serve"])
    assert r.exit_code != 0 and "not a demo warehouse" in " ".join(r.output.split())


@pytest.mark.parametrize(
    "args, message",
    [
        (["--years", "2025-2019"], "out of range"),
        (["--years", "soon"], "years must look like"),
        (["--enterprises", "10"], "at least 50"),
    ],
)
def test_demo_command_rejects_bad_options_clearly(tmp_path, args, message):
    r = CliRunner().invoke(app, ["demo", "--db", str(tmp_path / "x.duckdb"), "--no-serve", *args])
    assert r.exit_code != 0
    assert message in " ".join(r.output.split())
    assert "Traceback" not in r.output
