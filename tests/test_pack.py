"""The Chongqing policy pack: what it must hold, and how a broken pack fails."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from zhizao.reference import PackError, load_pack
from zhizao.reference.pack import PACKS_DIR, expand_industry

PACK_DIR = PACKS_DIR / "chongqing"
REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def pack():
    return load_pack("chongqing")


# ---------------------------------------------------------------- loading and regions
def test_the_pack_loads_with_every_file(pack):
    assert pack.info.id == "chongqing"
    assert pack.industry_standard == "GB/T 4754-2017"
    for part in (
        pack.sources,
        pack.regions,
        pack.industries,
        pack.systems,
        pack.clusters,
        pack.chains,
        pack.figures,
        pack.parks,
    ):
        assert part


def test_38_county_level_units_before_the_2025_merger_and_37_after(pack):
    assert len(pack.counties(on=dt.date(2025, 1, 1))) == 38
    after = pack.counties(on=dt.date(2025, 11, 6))
    assert len(after) == 37  # 36 old units + the new 两江新区 district
    codes = {r.code for r in after}
    assert "CQ-LJXQ" in codes and "500105" not in codes and "500112" not in codes


def test_jiangbei_rolls_up_into_the_liangjiang_district_and_liangping_county_into_the_district(pack):
    assert pack.successor_of("500105", on=dt.date(2026, 1, 1)) == "CQ-LJXQ"
    assert pack.successor_of("500105", on=dt.date(2025, 1, 1)) == "500105"
    assert pack.successor_of("500228") == "500155"  # 梁平县 -> 梁平区


def test_region_names_resolve_by_date(pack):
    assert pack.resolve_region("江北").code == "500105"
    assert pack.resolve_region("两江新区", on=dt.date(2023, 6, 1)).code == "CQ-F-LJXQ"  # the national new area
    assert pack.resolve_region("两江新区", on=dt.date(2026, 1, 1)).code == "CQ-LJXQ"  # the district


# ---------------------------------------------------------------- industries (GB/T 4754-2017)
B_DIVISIONS = ["B06", "B07", "B08", "B09", "B10", "B11", "B12"]
C_DIVISIONS = [f"C{n}" for n in range(13, 44)]
D_DIVISIONS = ["D44", "D45", "D46"]

# The standard's full list at the next level, for every division and group the pack opens.
EXPECTED_CHILDREN = {
    "C26": ["C261", "C262", "C263", "C264", "C265", "C266", "C267", "C268"],
    "C28": ["C281", "C282", "C283"],
    "C30": ["C301", "C302", "C303", "C304", "C305", "C306", "C307", "C308", "C309"],
    "C32": ["C321", "C322", "C323", "C324", "C325"],
    "C33": ["C331", "C332", "C333", "C334", "C335", "C336", "C337", "C338", "C339"],
    "C34": ["C341", "C342", "C343", "C344", "C345", "C346", "C347", "C348", "C349"],
    "C35": ["C351", "C352", "C353", "C354", "C355", "C356", "C357", "C358", "C359"],
    "C36": ["C361", "C362", "C363", "C364", "C365", "C366", "C367"],
    "C37": ["C371", "C372", "C373", "C374", "C375", "C376", "C377", "C378", "C379"],
    "C38": ["C381", "C382", "C383", "C384", "C385", "C386", "C387", "C389"],
    "C39": ["C391", "C392", "C393", "C394", "C395", "C396", "C397", "C398", "C399"],
    "I63": ["I631", "I632", "I633"],
    "I65": ["I651", "I652", "I653", "I654", "I655", "I656", "I657", "I659"],
    "C261": ["C2611", "C2612", "C2613", "C2614", "C2619"],
    "C265": ["C2651", "C2652", "C2653", "C2659"],
    "C282": ["C2821", "C2822", "C2823", "C2824", "C2825", "C2826", "C2829"],
    "C309": ["C3091", "C3099"],
    "C321": ["C3211", "C3212", "C3213", "C3214", "C3215", "C3216", "C3217", "C3218", "C3219"],
    "C324": ["C3240"],
    "C325": ["C3251", "C3252", "C3253", "C3254", "C3259"],
    "C339": ["C3391", "C3392", "C3393", "C3394", "C3399"],
    "C349": ["C3491", "C3492", "C3493", "C3499"],
    "C361": ["C3611", "C3612"],
    "C362": ["C3620"],
    "C363": ["C3630"],
    "C364": ["C3640"],
    "C365": ["C3650"],
    "C366": ["C3660"],
    "C367": ["C3670"],
    "C374": ["C3741", "C3742", "C3743", "C3744", "C3749"],
    "C375": ["C3751", "C3752"],
    "C381": ["C3811", "C3812", "C3813", "C3819"],
    "C382": ["C3821", "C3822", "C3823", "C3824", "C3825", "C3829"],
    "C384": ["C3841", "C3842", "C3843", "C3844", "C3849"],
    "C391": ["C3911", "C3912", "C3913", "C3914", "C3915", "C3919"],
    "C392": ["C3921", "C3922"],
    "C396": ["C3961", "C3962", "C3963", "C3964", "C3969"],
    "C397": ["C3971", "C3972", "C3973", "C3974", "C3975", "C3976", "C3979"],
    "C398": ["C3981", "C3982", "C3983", "C3984", "C3985", "C3989"],
}

NAMES = {  # spot checks of names an expert would look at first
    "C36": "汽车制造业",
    "C367": "汽车零部件及配件制造",
    "C3612": "新能源车整车制造",
    "C324": "有色金属合金制造",
    "C325": "有色金属压延加工",
    "C3392": "有色金属铸造",
    "C3841": "锂离子电池制造",
    "C3962": "智能车载设备制造",
    "C3963": "智能无人飞行器制造",
    "C3973": "集成电路制造",
    "C3974": "显示器件制造",
    "C3983": "敏感元件及传感器制造",
    "C3491": "工业机器人制造",
    "C3744": "航空相关设备制造",
    "C3825": "光伏设备及元器件制造",
    "C3811": "发电机及发电机组制造",
    "B11": "开采专业及辅助性活动",
    "C25": "石油、煤炭及其他燃料加工业",
    "I65": "软件和信息技术服务业",
    "I652": "集成电路设计",
}


def test_every_division_of_mining_manufacturing_and_utilities_is_there(pack):
    for code in B_DIVISIONS + C_DIVISIONS + D_DIVISIONS:
        assert pack.industries[code].level == "division"
        assert pack.industries[code].parent == code[0]
    assert len(C_DIVISIONS) == 31  # all 31 manufacturing divisions


def test_every_opened_division_or_group_lists_the_standards_full_set_of_children(pack):
    children: dict[str, list[str]] = {}
    for ind in pack.industries.values():
        if ind.parent:
            children.setdefault(ind.parent, []).append(ind.code)
    opened = {c for c in children if len(c) > 1}  # below the sections
    assert opened == set(EXPECTED_CHILDREN), "a division or group was opened without a hand-checked list"
    for parent, want in EXPECTED_CHILDREN.items():
        assert sorted(children[parent]) == want, parent


def test_names_are_the_2017_editions(pack):
    for code, name in NAMES.items():
        assert pack.industries[code].name_zh == name, code
    assert "C326" not in pack.industries  # a GB/T 4754-2011 code; 2017 has C324 and C325 only


def test_firms_are_classed_at_leaves_only_so_chain_nodes_use_leaves(pack):
    leaves = set(pack.leaf_industries())
    for ch in pack.chains.values():
        for n in ch.nodes:
            assert n.industry in leaves, (ch.id, n.id, n.industry)


# ---------------------------------------------------------------- cluster systems
def test_the_33618_system_has_3_3_6_clusters_and_only_the_confirmed_new_stars(pack):
    sy = pack.systems["cq-33618"]
    assert sy.region == "500000" and sy.label == "33618"
    planned = {t.key: t.planned_count for t in sy.tiers}
    assert planned == {"T1": 3, "T2": 3, "T3": 6, "T4": 18}
    scales = {t.key: t.scale_yuan for t in sy.tiers}
    assert scales["T1"] == 1e12 and scales["T2"] == 5e11 and scales["T3"] == 1e11
    by_tier: dict[str, list[str]] = {}
    for c in sy.clusters:
        by_tier.setdefault(c.tier, []).append(c.name_zh)
    assert len(by_tier["T1"]) == 3 and len(by_tier["T2"]) == 3 and len(by_tier["T3"]) == 6
    assert set(by_tier["T4"]) <= {"AI及服务机器人", "卫星互联网", "低空经济"}  # never invented names
    assert len(by_tier["T4"]) == 3
    assert pack.clusters["T1-1"].sub_chains == [
        "动力电池系统",
        "智能底盘系统",
        "智能网联系统",
        "电子元器件",
        "汽车软件",
        "轻量化零部件",
        "热管理系统",
    ]


def test_within_one_tier_no_industry_counts_more_than_once(pack):
    for sy in pack.systems.values():
        for tier in sy.tiers:
            total: dict[str, float] = {}
            for c in sy.clusters:
                if c.tier == tier.key:
                    for x in c.industries:
                        for leaf in expand_industry(pack, x.code):
                            total[leaf] = total.get(leaf, 0.0) + x.share
            assert all(v <= 1 + 1e-9 for v in total.values()), (sy.id, tier.key)


def test_district_systems_map_onto_the_city_clusters(pack):
    jb = pack.systems["jiangbei-224"]
    assert jb.region == "500105" and jb.parent_system == "cq-33618"
    assert {t.key: t.planned_count for t in jb.tiers} == {"leading": 2, "pillar": 2, "characteristic": 4}
    assert {c.name_zh for c in jb.clusters} == {
        "智能网联新能源汽车",
        "新一代电子信息制造",
        "智能装备及智能制造",
        "新能源及新型储能",
    }  # only the named ones
    fl = pack.systems["fuling-2349"]
    assert fl.region == "500102" and [t.planned_count for t in fl.tiers] == [2]  # "349" not named
    assert pack.systems["liangjiang-33511"].region == "CQ-F-LJXQ"
    for sy in (jb, fl, pack.systems["liangjiang-33511"]):
        for c in sy.clusters:
            assert c.maps_to and all(pack.cluster_system[t] == "cq-33618" for t in c.maps_to)


def test_chain_edges_never_run_against_the_stage_order(pack):
    order = {"upstream": 0, "midstream": 1, "downstream": 2}
    for ch in pack.chains.values():
        stage = {n.id: order[n.stage] for n in ch.nodes}
        for a, b in ch.edges:
            assert stage[a] <= stage[b], (ch.id, a, b)
    icv = pack.chains["icv-nev"]
    mid = {n.name_zh for n in icv.nodes if n.stage == "midstream"}
    assert mid == set(pack.clusters["T1-1"].sub_chains)
    assert {c.id for c in pack.chains.values() if c.region == "500102"} == {
        "fuling-polyurethane",
        "fuling-spandex",
        "fuling-light-alloy-parts",
    }


# ---------------------------------------------------------------- figures
def test_every_figure_cites_sources_that_exist(pack):
    for f in pack.figures.values():
        assert f.sources and all(s in pack.sources for s in f.sources), f.id


def test_seed_quotes_are_exact_substrings_of_the_shipped_texts(pack):
    quoted = [f for f in pack.figures.values() if f.quote]
    assert len(quoted) >= 33
    for f in quoted:
        src = pack.sources[f.sources[0]]
        text = (pack.path / src.file).read_text(encoding="utf-8")
        assert f.quote in text, f.id


@pytest.mark.skipif(not (SEEDS / "gold.jsonl").exists(), reason="shared/seeds not beside the repo")
def test_every_gold_fact_of_the_seeds_is_a_figure(pack):
    figs = list(pack.figures.values())
    for line in (SEEDS / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        hits = [
            f
            for f in figs
            if f.entity == g["entity"]
            and f.metric == g["metric"]
            and f.period == g["period"]
            and f.kind == g["kind"]
            and f.value == pytest.approx(g["value"])
            and f.quote == g["quote"]
            and f.sources[0] == g["article"]
            and f.qualifier == g.get("qualifier")
            and f.ambiguous == g.get("ambiguous", False)
        ]
        assert hits, g


def test_money_is_in_base_units_and_targets_carry_their_baseline(pack):
    for f in pack.figures.values():
        if f.unit == "yuan":
            assert f.value >= 1e7, f.id  # 亿 converted: no figure is a bare "1500"
        if f.unit == "vehicle":
            assert f.value >= 1e4, f.id
    jb = pack.figures["jiangbei-2027-target-industrial-output"]
    assert (jb.value, jb.kind, jb.qualifier, jb.baseline_value, jb.baseline_year) == (
        2.3e11,
        "target",
        "over",
        1.5e11,
        2023,
    )
    assert pack.figures["cq-2020-industrial-output"].value == 2e12
    assert pack.figures["cq-2020-industrial-output"].qualifier == "over"


def test_ladder_targets_for_2027_are_figures(pack):
    want = {
        "cq-2027-target-tech-enterprises": 86000,
        "cq-2027-target-high-tech-enterprises": 12800,
        "cq-2027-target-specialized-smes": 5000,
        "cq-2027-target-new-little-giants": 120,
        "cq-2027-target-single-champions": 15,
    }
    for fid, value in want.items():
        assert pack.figures[fid].value == value and pack.figures[fid].kind == "target"


# ---------------------------------------------------------------- 亩均 and the ladder
def test_huangyan_weights_and_benchmarks_are_exactly_the_published_ones(pack):
    assert pack.mujun.default_method == "huangyan-2022"
    hy = next(m for m in pack.mujun.methods if m.id == "huangyan-2022")
    got = {i.name_zh: (i.weight, i.benchmark) for i in hy.indicators}
    assert got == {
        "亩均税收": (30, 24.097),
        "亩均增加值": (20, 136.16),
        "单位能耗增加值": (20, 2.694),
        "单位排放增加值": (10, 4929.81),
        "全员劳动生产率": (10, 18.14),
        "R&D经费支出占主营业务收入之比": (10, 0.0302),
    }
    assert sum(i.weight for i in hy.indicators) == 100
    assert next(i for i in hy.indicators if i.key == "value_added_per_emission").missing == "average"
    assert [c.top_share for c in hy.classes] == [0.20, 0.60, 0.95, 1.0]  # 淮安 2024
    assert hy.not_rated["min_age_years"] == 2


def test_mujun_indicators_are_ratios_of_warehouse_columns(pack):
    sql = (REPO / "src" / "zhizao" / "store" / "migrations" / "0001_warehouse.sql").read_text(encoding="utf-8")
    body = re.search(r"CREATE TABLE enterprise_year \((.*?)\);", sql, re.S).group(1)
    columns = set(re.findall(r"^\s*(\w+)\s", body, re.M))
    for meth in pack.mujun.methods:
        assert sum(i.weight for i in meth.indicators) == 100, meth.id
        for i in meth.indicators:
            assert {i.numerator, i.denominator} <= columns, (meth.id, i.key)


def test_innovative_sme_scoring_is_100_points_with_sub_minimums_20_15_15(pack):
    tier = next(t for t in pack.ladder.tiers if t.key == "innovative_sme")
    cats = {c.key: c for c in tier.scoring.categories}
    assert tier.scoring.total_min == 60
    assert sum(c.max_points for c in cats.values()) == 100
    assert {k: c.min_points for k, c in cats.items()} == {"innovation": 20, "growth": 15, "specialization": 15}
    for c in cats.values():
        assert sum(i.max_points for i in c.indicators) == c.max_points
        for i in c.indicators:
            assert max(b.points for b in i.bands) == i.max_points
    assert len(tier.score_or_direct) == 4


KNOWN_MEASURES = {  # the list at the top of ladder.yaml
    "revenue",
    "rd_expense",
    "rd_intensity",
    "revenue_growth",
    "main_business_share",
    "main_business_revenue_growth",
    "niche_years",
    "employees",
    "profit_margin_vs_industry",
    # not in the warehouse (data_available: false)
    "ip_grade",
    "class1_ip_count",
    "equity_ratio",
    "debt_ratio",
    "in_strategic_emerging_catalogue",
    "equity_financing",
    "st_award",
    "chuangke_top",
    "rd_staff_share",
    "rd_institution",
    "srdi_local_score",
    "national_market_share",
    "global_market_rank",
    "it_system_support",
    "certification",
    "own_brand",
    "chain_role",
    "key_field_product",
    "compliance_record",
    "net_profit_margin",
    "new_product_years",
    "sme",
}


def test_ladder_conditions_use_documented_measures_and_known_honours(pack):
    kinds = {k.key for k in pack.ladder.honour_kinds}
    header = (PACK_DIR / "ladder.yaml").read_text(encoding="utf-8").split("\nhonour_kinds:")[0]
    for m in KNOWN_MEASURES:
        assert m in header, f"{m} is not documented at the top of ladder.yaml"
    for t in pack.ladder.tiers:
        conds = [
            c
            for cr in t.criteria + t.score_or_direct
            for c in cr.all_of + cr.any_of + ([cr.applies_if] if cr.applies_if else [])
        ]
        if t.scoring:
            measures = [i.measure for cat in t.scoring.categories for i in cat.indicators]
        else:
            measures = []
        for m in [c.measure for c in conds] + measures:
            if m.startswith("honour:"):
                assert m.split(":", 1)[1] in kinds, m
            else:
                assert m in KNOWN_MEASURES, m
    assert [t.key for t in sorted(pack.ladder.tiers, key=lambda t: t.rank)] == [
        "innovative_sme",
        "srdi_sme",
        "little_giant",
        "single_champion",
    ]


def test_the_above_scale_threshold_and_its_history_are_pack_data_with_sources(pack):
    rules = pack.scale.above_scale
    assert rules.sections == ["B", "C", "D"] and rules.sources == ["lad-fujian-tjj", "lad-chengju"]
    # 500万 from 1998 to 2010, 2000万 from 2011 (国统字〔2010〕87号)
    assert [(t.from_year, t.to_year, t.revenue_yuan) for t in rules.thresholds] == [
        (1998, 2006, 5_000_000),
        (2007, 2010, 5_000_000),
        (2011, None, 20_000_000),
    ]
    assert (rules.threshold(1990), rules.threshold(2010), rules.threshold(2011), rules.threshold(2024)) == (
        5e6,
        5e6,
        2e7,
        2e7,
    )
    sme = pack.scale.sme
    assert [(x.sections, x.max_employees, x.max_revenue_yuan) for x in sme.limits] == [
        (["B", "C", "D"], 1000, 4e8),
        (["I"], 300, 1e8),
    ]
    assert all(s in pack.sources for s in sme.sources + rules.sources)


def test_overlapping_threshold_periods_are_refused():
    from zhizao.reference import models as m

    with pytest.raises(ValueError, match="overlap"):
        m.AboveScale(
            name_zh="x",
            name_en="x",
            sections=["C"],
            status="unverified",
            thresholds=[
                {"from_year": 2000, "to_year": 2012, "revenue_yuan": 1, "rule_zh": "a"},
                {"from_year": 2011, "revenue_yuan": 2, "rule_zh": "b"},
            ],
        )


def test_little_giant_rd_rule_depends_on_the_revenue_band(pack):
    lg = next(t for t in pack.ladder.tiers if t.key == "little_giant")
    bands = {c.id: c for c in lg.criteria if c.applies_if}
    over = bands["rd_band_over_100m"]
    assert (over.applies_if.op, over.applies_if.value) == (">=", 1e8)
    assert (over.any_of[0].value, over.any_of[0].years, over.any_of[0].aggregate) == (0.03, 2, "each")
    mid = bands["rd_band_50m_100m"]
    assert (mid.applies_if.op, mid.applies_if.value, mid.applies_if.high) == ("between", 5e7, 1e8)
    assert mid.any_of[0].value == 0.06
    assert bands["rd_band_under_50m"].data_available is False


# ---------------------------------------------------------------- a broken pack fails clearly
def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "broken"
    shutil.copytree(PACK_DIR, dst)
    return dst


def _edit(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _fails(path: Path) -> PackError:
    with pytest.raises(PackError) as e:
        load_pack(path)
    return e.value


def test_the_copied_pack_loads(tmp_path):
    assert load_pack(_copy(tmp_path)).info.id == "chongqing"


def test_a_region_with_an_unknown_parent_names_file_entry_and_field(tmp_path):
    d = _copy(tmp_path)

    def br(data):
        r = next(r for r in data["regions"] if r["code"] == "500103")
        r["parent"] = "CQ-NOWHERE"

    _edit(d / "regions.yaml", br)
    err = _fails(d)
    msg = str(err)
    assert "regions.yaml" in msg and "500103" in msg and "parent" in msg and "CQ-NOWHERE" in msg
    assert (err.file, err.field) == ("regions.yaml", "parent")


def test_a_cluster_with_an_unknown_industry_names_file_entry_and_field(tmp_path):
    d = _copy(tmp_path)

    def br(data):
        c = next(c for c in data["systems"][0]["clusters"] if c["id"] == "T1-2")
        c["industries"][0]["code"] = "C3999"

    _edit(d / "clusters.yaml", br)
    err = _fails(d)
    msg = str(err)
    assert "clusters.yaml" in msg and "T1-2" in msg and "industries[0].code" in msg and "C3999" in msg


def test_a_figure_with_a_bad_unit_names_file_entry_and_field(tmp_path):
    d = _copy(tmp_path)

    def br(data):
        f = next(f for f in data["figures"] if f["id"] == "jiangbei-2023-industrial-output")
        f["unit"] = "亿元"

    _edit(d / "figures.yaml", br)
    err = _fails(d)
    msg = str(err)
    assert "figures.yaml" in msg and "jiangbei-2023-industrial-output" in msg and err.field == "unit"


def test_a_figure_with_an_unknown_metric_key_names_file_entry_and_field(tmp_path):
    d = _copy(tmp_path)

    def br(data):
        f = next(f for f in data["figures"] if f["id"] == "jiangbei-2023-industrial-output")
        f["metric"] = "industrial_ouptut"  # a typo: not a key of the vocabulary, nor derived from one

    _edit(d / "figures.yaml", br)
    err = _fails(d)
    msg = str(err)
    assert "figures.yaml" in msg and "jiangbei-2023-industrial-output" in msg and err.field == "metric"
    assert "industrial_ouptut" in msg


def test_derived_metric_keys_are_known_and_unknown_ones_are_not():
    from zhizao.vocab import is_metric

    assert is_metric("industrial_output") and is_metric("profit_growth") and is_metric("new_unicorn_count")
    assert is_metric("revenue_share_of_city") and is_metric("tech_renovation_investment_share")
    assert not is_metric("industrial_ouptut") and not is_metric("new_") and not is_metric("_growth")
    assert not is_metric("") and not is_metric(None)


def test_a_source_id_that_does_not_exist_names_file_entry_and_field(tmp_path):
    d = _copy(tmp_path)

    def br(data):
        ch = next(c for c in data["chains"] if c["id"] == "fuling-spandex")
        ch["sources"] = ["no-such-source"]

    _edit(d / "chains.yaml", br)
    err = _fails(d)
    msg = str(err)
    assert "chains.yaml" in msg and "fuling-spandex" in msg and "no-such-source" in msg and err.field == "sources"


def test_a_seed_quote_that_is_not_in_the_text_names_file_entry_and_field(tmp_path):
    d = _copy(tmp_path)

    def br(data):
        f = next(f for f in data["figures"] if f["id"] == "jiangbei-2024-incubators")
        f["quote"] = "孵化载体22家"  # simplified: the saved text is traditional

    _edit(d / "figures.yaml", br)
    err = _fails(d)
    assert "figures.yaml" in str(err) and "jiangbei-2024-incubators" in str(err) and err.field == "quote"


def test_tier_shares_above_one_name_the_system(tmp_path):
    d = _copy(tmp_path)

    def br(data):
        c = next(c for c in data["systems"][0]["clusters"] if c["id"] == "T1-1")
        c["industries"].append({"code": "C3974", "basis": "project"})  # already whole in T1-2

    _edit(d / "clusters.yaml", br)
    err = _fails(d)
    assert "clusters.yaml" in str(err) and "cq-33618" in str(err) and "C3974" in str(err)


def test_malformed_yaml_names_the_file_and_the_line(tmp_path):
    d = _copy(tmp_path)
    text = (d / "ladder.yaml").read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(text) if line.startswith("honour_kinds:"))
    text.insert(i + 1, "  - {key: broken, name_zh: [unclosed")
    (d / "ladder.yaml").write_text("\n".join(text) + "\n", encoding="utf-8")
    err = _fails(d)
    assert err.file == "ladder.yaml" and "not valid YAML" in str(err) and re.search(r"line \d+", str(err))
