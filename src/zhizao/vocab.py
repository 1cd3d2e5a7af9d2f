"""The project's vocabulary: the metric keys with their Chinese and English names and units, the units and
qualifiers of a published figure, and the warehouse's yearly enterprise figures (enterprise_year columns).

This module sits below everything that names a metric or a figure column (the policy pack's loader, the
import tables, the news reader, the analytics, the pages and the CLI) and imports nothing of the project.
It is general vocabulary of Chinese industrial statistics, not tied to one place: what a place publishes is
in its policy pack (reference/<pack>/), which may only use the keys named here (`is_metric`).

Names kept distinct on purpose:
  FACT_METRICS      the metrics of the fact schema (what the news reader may emit; ../shared/seeds/README.md)
  VOCABULARY        every metric key the project names (facts, pack figures and targets), key -> Metric
  UNIT_LABELS       a figure's unit (yuan, percent, count ...) -> how it is printed after a number
  QUALIFIER_LABELS  a figure's qualifier (over, at_least ...) -> how it is printed with the number
  ENTERPRISE_YEAR_FIGURES   the warehouse's yearly enterprise figures, in the table's column order
  SUMMED_FIGURES / MONEY_FIGURES   those that add up over firms / those in yuan
"""

from __future__ import annotations

from dataclasses import dataclass


# ------------------------------------------------------------------------------------------- metrics
# The metric vocabulary with its labels: key, Chinese label, English label, unit, and whether the key is one of
# the fact schema's metrics (../shared/seeds/README.md; the reader emits only those: `FACT_METRICS`). The other
# keys are measures that published targets and the analytics use (the pack's figures, the targets instrument).
# This table is the one place the project names its metrics: the web pages, the `zhizao targets` command, the
# import template and the news reader all read it. `label(key, lang)` also names keys that are not listed
# (X_growth, new_X_count, X_share_of_city ... are derived from X).
@dataclass(frozen=True)
class Metric:
    key: str
    zh: str
    en: str
    unit: str  # yuan | usd | percent | count | vehicle | yuan_per_mu | yuan_per_person | ...
    fact: bool = False  # one of the fact schema's metrics (the news reader's vocabulary)


_F, _X = True, False
METRIC_ROWS: list[tuple[str, str, str, str, bool]] = [
    # output and scale
    ("industrial_output", "规上工业总产值", "Industrial output (above designated size)", "yuan", _F),
    ("industrial_output_growth", "规上工业总产值增长", "Industrial output growth", "percent", _F),
    ("industrial_sales_output", "工业销售产值", "Industrial sales output", "yuan", _F),
    ("industrial_value_added", "规上工业增加值", "Industrial value added (above designated size)", "yuan", _F),
    ("industrial_value_added_growth", "规上工业增加值增长", "Industrial value added growth", "percent", _F),
    ("total_industrial_value_added", "全部工业增加值", "Industrial value added (all firms)", "yuan", _X),
    ("industry_output", "产业（集群）产值", "Industry (cluster) output", "yuan", _F),
    ("industry_output_growth", "产业（集群）产值增长", "Industry (cluster) output growth", "percent", _F),
    ("industry_value_added", "产业（集群）增加值", "Industry (cluster) value added", "yuan", _X),
    ("industry_value_added_growth", "产业（集群）增加值增长", "Industry (cluster) value added growth", "percent", _F),
    ("industry_share_of_output", "产业占规上工业产值比重", "Industry's share of industrial output", "percent", _F),
    (
        "industry_share_of_value_added",
        "产业占规上工业增加值比重",
        "Industry's share of industrial value added",
        "percent",
        _F,
    ),
    ("industry_share_of_city", "产业占全市比重", "Industry's share of the city", "percent", _F),
    ("industry_share_of_province", "产业占全省比重", "Industry's share of the province", "percent", _F),
    ("industry_share_of_national", "产业占全国比重", "Industry's share of the country", "percent", _F),
    ("industry_share_of_gdp", "产业增加值占地区生产总值比重", "Industry's share of GDP", "percent", _X),
    ("enterprise_output", "企业产值", "Enterprise output", "yuan", _F),
    ("enterprise_output_growth", "企业产值增长", "Enterprise output growth", "percent", _F),
    ("revenue", "营业收入", "Revenue", "yuan", _F),
    ("revenue_growth", "营业收入增长", "Revenue growth", "percent", _F),
    ("gdp", "地区生产总值", "Gross regional product", "yuan", _F),
    ("gdp_growth", "地区生产总值增长", "Gross regional product growth", "percent", _F),
    ("gdp_per_capita", "人均地区生产总值", "Gross regional product per person", "yuan_per_person", _X),
    ("secondary_industry_value_added", "第二产业增加值", "Secondary-industry value added", "yuan", _X),
    ("profit", "利润总额", "Total profit", "yuan", _F),
    ("vehicle_production", "汽车产量", "Vehicle production", "vehicle", _F),
    ("vehicle_production_growth", "汽车产量增长", "Vehicle production growth", "percent", _F),
    ("nev_production", "新能源汽车产量", "New-energy vehicle production", "vehicle", _F),
    ("nev_production_growth", "新能源汽车产量增长", "New-energy vehicle production growth", "percent", _F),
    ("nev_sales", "新能源汽车销量", "New-energy vehicle sales", "vehicle", _F),
    ("nev_sales_growth", "新能源汽车销量增长", "New-energy vehicle sales growth", "percent", _F),
    ("product_output", "产品产量", "Product output", "count", _X),
    ("export_value", "出口额", "Exports", "yuan", _F),
    ("export_delivery_value_growth", "出口交货值增长", "Export delivery value growth", "percent", _F),
    ("foreign_trade_value", "外贸进出口总额", "Foreign trade", "yuan", _F),
    ("foreign_trade_value_growth", "外贸进出口增长", "Foreign trade growth", "percent", _F),
    ("output_per_mu", "亩均产值", "Output per mu", "yuan_per_mu", _F),
    ("tax_per_mu", "亩均税收", "Tax per mu", "yuan_per_mu", _F),
    ("value_added_per_mu", "亩均增加值", "Value added per mu", "yuan_per_mu", _F),
    ("output_per_mu_growth", "亩均产值增长", "Output per mu growth", "percent", _F),
    ("tax_per_mu_growth", "亩均税收增长", "Tax per mu growth", "percent", _F),
    ("value_added_per_mu_growth", "亩均增加值增长", "Value added per mu growth", "percent", _F),
    ("value_added_per_energy", "单位能耗增加值", "Value added per tonne of standard coal", "yuan_per_tce", _X),
    ("value_added_per_emission", "单位排放增加值", "Value added per tonne of emissions", "yuan_per_tonne", _X),
    ("labour_productivity", "全员劳动生产率", "Labour productivity", "yuan_per_person", _X),
    ("energy_intensity_change", "单位增加值能耗下降", "Fall in energy use per unit of value added", "percent", _X),
    ("land_area", "用地面积", "Land area", "mu", _X),
    ("airspace_area", "低空可飞空域面积", "Low-altitude airspace open to flights", "km2", _X),
    ("airspace_share", "低空可飞空域占比", "Share of the area open to low-altitude flights", "percent", _X),
    ("output_share_of_city", "产值占全市比重", "Share of the city's output", "percent", _X),
    (
        "quality_competitiveness_index",
        "制造业质量竞争力指数",
        "Manufacturing quality competitiveness index",
        "index",
        _X,
    ),
    # investment
    ("industrial_investment", "工业投资", "Industrial investment", "yuan", _F),
    ("industrial_investment_growth", "工业投资增长", "Industrial investment growth", "percent", _F),
    ("tech_renovation_investment", "技改投资", "Technical renovation investment", "yuan", _F),
    ("tech_renovation_investment_growth", "技改投资增长", "Technical renovation investment growth", "percent", _F),
    (
        "tech_renovation_investment_share",
        "技改投资占工业投资比重",
        "Technical renovation share of industrial investment",
        "percent",
        _F,
    ),
    ("manufacturing_investment_growth", "制造业投资增长", "Manufacturing investment growth", "percent", _F),
    ("fixed_asset_investment", "固定资产投资", "Fixed-asset investment", "yuan", _F),
    ("fixed_asset_investment_growth", "固定资产投资增长", "Fixed-asset investment growth", "percent", _F),
    ("private_investment_growth", "民间投资增长", "Private investment growth", "percent", _F),
    ("high_tech_investment_growth", "高技术产业投资增长", "High-tech investment growth", "percent", _F),
    ("attracted_investment", "招商引资额", "Investment attracted", "yuan", _F),
    ("attracted_investment_growth", "招商引资额增长", "Investment attracted, growth", "percent", _F),
    ("attracted_foreign_investment", "利用外资", "Foreign investment attracted", "usd", _F),
    ("project_investment", "项目总投资", "Project investment", "yuan", _F),
    ("project_output", "项目达产后年产值", "Project output at full production", "yuan", _F),
    ("supply_chain_financing", "供应链融资", "Supply-chain financing", "yuan", _X),
    # tax, research and other
    ("industrial_tax", "工业税收", "Industrial tax", "yuan", _F),
    ("industrial_tax_growth", "工业税收增长", "Industrial tax growth", "percent", _F),
    ("tax_revenue", "税收", "Tax revenue", "yuan", _F),
    ("tax_revenue_growth", "税收增长", "Tax revenue growth", "percent", _F),
    ("rd_intensity", "研发投入强度（占地区生产总值）", "R&D intensity (share of GDP)", "percent", _F),
    ("rd_intensity_revenue", "研发投入强度（占营业收入）", "R&D intensity (share of revenue)", "percent", _X),
    ("rd_investment", "研发投入", "R&D investment", "yuan", _X),
    ("rd_investment_growth", "研发投入增长", "R&D investment growth", "percent", _F),
    ("rd_institution_coverage", "规上工业企业研发机构建有率", "Share of firms with an R&D institution", "percent", _F),
    ("rd_activity_coverage", "有研发活动的企业占比", "Share of firms with R&D activity", "percent", _X),
    ("digital_rd_tool_adoption", "数字化研发设计工具普及率", "Adoption of digital R&D design tools", "percent", _X),
    ("key_process_nc_rate", "关键工序数控化率", "Numerical control rate of key processes", "percent", _X),
    ("standard_land_share", "“标准地”出让比例", "Share of land sold as 'standard land'", "percent", _X),
    ("revenue_share_of_city", "营业收入占全市比重", "Share of the city's revenue", "percent", _F),
    (
        "industrial_investment_share_of_city",
        "工业投资占全市比重",
        "Share of the city's industrial investment",
        "percent",
        _F,
    ),
    # counts
    ("enterprise_count", "规上工业企业数", "Enterprises above designated size", "count", _F),
    ("new_enterprise_count", "新增规上工业企业数", "New enterprises above designated size", "count", _F),
    ("enterprise_count_over_10b", "百亿级企业数", "Enterprises over 10 billion yuan", "count", _F),
    ("enterprise_count_over_5b", "五十亿级企业数", "Enterprises over 5 billion yuan", "count", _X),
    ("enterprise_count_over_3b", "三十亿级企业数", "Enterprises over 3 billion yuan", "count", _F),
    ("enterprise_count_over_1b", "十亿级企业数", "Enterprises over 1 billion yuan", "count", _F),
    ("enterprise_count_over_100m", "亿元级企业数", "Enterprises over 100 million yuan", "count", _X),
    ("high_tech_enterprise_count", "高新技术企业数", "High-tech enterprises", "count", _F),
    ("tech_enterprise_count", "科技型企业数", "Technology-based enterprises", "count", _F),
    ("new_tech_enterprise_count", "新增科技型企业数", "New technology-based enterprises", "count", _F),
    ("innovative_sme_count", "创新型中小企业数", "Innovative SMEs", "count", _X),
    ("new_innovative_sme_count", "新培育创新型中小企业数", "New innovative SMEs", "count", _X),
    ("specialized_sme_count", "专精特新企业数", "SRDI (专精特新) SMEs", "count", _F),
    ("new_specialized_sme_count", "新增专精特新企业数", "New SRDI (专精特新) SMEs", "count", _F),
    ("little_giant_count", "小巨人企业数", "SRDI 'little giants'", "count", _F),
    ("new_little_giant_count", "新增小巨人企业数", "New SRDI 'little giants'", "count", _F),
    ("key_little_giant_count", "重点小巨人企业数", "Key 'little giants'", "count", _X),
    ("single_champion_count", "单项冠军数", "Single-item champions", "count", _F),
    ("new_single_champion_count", "新增单项冠军数", "New single-item champions", "count", _F),
    ("new_hidden_champion_count", "新增隐形冠军企业数", "New hidden champions", "count", _X),
    ("chain_leader_count", "链主企业数", "Chain leaders", "count", _F),
    ("listed_company_count", "上市企业数", "Listed companies", "count", _F),
    ("new_listed_company_count", "新增上市企业数", "New listed companies", "count", _X),
    ("unicorn_count", "独角兽企业数", "Unicorns", "count", _X),
    ("shuangbai_enterprise_count", "双百企业数", "'Double hundred' enterprises", "count", _X),
    ("digital_economy_key_enterprise_count", "数字经济重点企业数", "Key digital-economy enterprises", "count", _X),
    ("new_hardcore_tech_enterprise_count", "新引育硬核科技企业数", "New hard-tech enterprises", "count", _X),
    ("introduced_enterprise_count", "引进企业数", "Enterprises brought in", "count", _X),
    ("transformed_enterprise_count", "转型企业数", "Enterprises transformed", "count", _X),
    ("software_enterprise_count", "软件企业数", "Software enterprises", "count", _X),
    ("new_software_enterprise_count", "新增软件企业数", "New software enterprises", "count", _X),
    ("software_employee_count", "软件从业人员数", "Software employees", "count", _X),
    ("new_software_employee_count", "新增软件从业人员数", "New software employees", "count", _X),
    ("smart_factory_count", "智能工厂数", "Smart factories", "count", _F),
    ("new_smart_factory_count", "新认定智能工厂数", "New smart factories", "count", _F),
    ("digital_workshop_count", "数字化车间数", "Digital workshops", "count", _F),
    ("new_digital_workshop_count", "新认定数字化车间数", "New digital workshops", "count", _F),
    (
        "national_smart_factory_count",
        "国家级智能制造示范工厂数",
        "National smart-manufacturing demonstration factories",
        "count",
        _F,
    ),
    (
        "new_national_smart_factory_count",
        "新增国家级智能制造示范工厂数",
        "New national smart-manufacturing demonstration factories",
        "count",
        _F,
    ),
    (
        "national_smart_pilot_project_count",
        "国家级智能制造试点示范项目数",
        "National smart-manufacturing pilot projects",
        "count",
        _X,
    ),
    ("smart_scenario_count", "智能制造优秀场景数", "Smart-manufacturing scenarios", "count", _F),
    ("new_smart_scenario_count", "新增智能制造优秀场景数", "New smart-manufacturing scenarios", "count", _F),
    ("innovation_demo_factory_count", "创新示范工厂数", "Innovation demonstration factories", "count", _F),
    ("future_factory_count", "未来工厂数", "Future factories", "count", _X),
    ("green_factory_count", "绿色工厂数", "Green factories", "count", _X),
    ("green_park_count", "绿色园区数", "Green parks", "count", _X),
    ("green_supply_chain_count", "绿色供应链管理企业数", "Green supply-chain enterprises", "count", _X),
    ("industry_brain_count", "产业大脑数", "Industry brains", "count", _X),
    ("smart_upgrade_project_count", "智能化改造项目数", "Smart-upgrade projects", "count", _F),
    ("tech_renovation_project_count", "技改项目数", "Technical renovation projects", "count", _F),
    ("introduced_project_count", "引进项目数", "Projects brought in", "count", _F),
    ("project_started_count", "开工项目数", "Projects started", "count", _F),
    ("project_completed_count", "竣工投产项目数", "Projects completed", "count", _F),
    ("innovation_platform_count", "科创平台数", "Innovation platforms", "count", _F),
    ("incubator_count", "孵化载体数", "Incubators", "count", _F),
    ("enterprise_tech_center_count", "企业技术中心数", "Enterprise technology centres", "count", _F),
    ("innovation_complex_count", "产业创新综合体数", "Industrial innovation complexes", "count", _F),
    ("first_set_product_count", "首台（套）重大技术装备数", "First-of-a-kind major equipment", "count", _X),
    ("new_st_achievement_count", "遴选高价值科技成果数", "High-value S&T results selected", "count", _X),
    ("new_trademark_count", "新增有效注册商标数", "New registered trademarks", "count", _X),
    (
        "new_equity_market_listing_count",
        "区域性股权市场新增挂牌企业数",
        "New listings on the regional equity market",
        "count",
        _X,
    ),
    ("cluster_count_over_10b", "百亿级产业集群数", "Clusters over 10 billion yuan", "count", _X),
    ("sme_cluster_count", "中小企业特色产业集群数", "SME speciality clusters", "count", _X),
    ("new_sme_cluster_count", "新增中小企业特色产业集群数", "New SME speciality clusters", "count", _X),
    ("national_sme_cluster_count", "国家级中小企业特色产业集群数", "National SME speciality clusters", "count", _X),
    (
        "new_national_sme_cluster_count",
        "新增国家级中小企业特色产业集群数",
        "New national SME speciality clusters",
        "count",
        _X,
    ),
    ("park_count", "园区数", "Parks", "count", _X),
    ("takeoff_landing_site_count", "通用航空起降点数", "General-aviation take-off and landing sites", "count", _X),
    ("matchmaking_event_count", "产业链对接活动场次", "Supply-chain matchmaking events", "count", _X),
    ("industrial_division_count", "工业行业大类数", "Industrial divisions", "count", _X),
    ("manufacturing_division_count", "制造业行业大类数", "Manufacturing divisions", "count", _X),
    ("mujun_rated_count", "亩均评价参评企业数", "Firms rated (per-mu evaluation)", "count", _X),
    ("mujun_class_a_count", "亩均评价A类企业数", "Class A firms (per-mu evaluation)", "count", _X),
    ("mujun_class_b_count", "亩均评价B类企业数", "Class B firms (per-mu evaluation)", "count", _X),
    ("mujun_class_c_count", "亩均评价C类企业数", "Class C firms (per-mu evaluation)", "count", _X),
    ("mujun_class_d_count", "亩均评价D类企业数", "Class D firms (per-mu evaluation)", "count", _X),
    ("mujun_unclassed_count", "亩均评价不分类企业数", "Firms rated but not classed (per-mu evaluation)", "count", _X),
]
VOCABULARY: dict[str, Metric] = {k: Metric(k, zh, en, unit, fact) for k, zh, en, unit, fact in METRIC_ROWS}

# Units of the fact schema and the pack: (Chinese, English) as printed after a number.
UNIT_LABELS: dict[str, tuple[str, str]] = {
    "yuan": ("元", "yuan"),
    "usd": ("美元", "US dollars"),
    "percent": ("%", "%"),
    "count": ("个", ""),
    "vehicle": ("辆", "vehicles"),
    "yuan_per_mu": ("元/亩", "yuan per mu"),
    "yuan_per_person": ("元/人", "yuan per person"),
    "yuan_per_tce": ("元/吨标准煤", "yuan per tce"),
    "yuan_per_tonne": ("元/吨", "yuan per tonne"),
    "tce": ("吨标准煤", "tce"),
    "mu": ("亩", "mu"),
    "km2": ("平方公里", "km²"),
    "index": ("", ""),
    "ratio": ("", ""),
}
# Qualifiers of a figure (超过, 以上 ...): (Chinese, English) as written before (over, about ...) or after (以上) it.
QUALIFIER_LABELS: dict[str, tuple[str, str]] = {
    "over": ("超过", "over"),
    "at_least": ("以上", "at least"),
    "about": ("约", "about"),
    "level": ("级", "-level"),
    "under": ("以下", "under"),
    "at_most": ("不超过", "at most"),
}
# Counted things that are firms (家) rather than items (个).
_FIRM_WORDS = ("enterprise", "company", "sme", "giant", "champion", "leader", "unicorn", "mujun_")


def count_word(metric: str, lang: str = "zh") -> str:
    """The measure word of a count metric: 家 for firms, 个 otherwise (nothing in English)."""
    if lang != "zh":
        return ""
    return (
        "家" if any(w in metric for w in _FIRM_WORDS) and not any(w in metric for w in ("project", "cluster")) else "个"
    )


def label(metric: str | None, lang: str = "zh") -> str:
    """The metric's name in `lang` (zh | en): the vocabulary's, or one derived from a listed key
    (X_growth, new_X, X_share_of_city), else the key made readable."""
    if not metric:
        return ""
    m = VOCABULARY.get(metric)
    if m is not None:
        return m.zh if lang == "zh" else m.en
    for suffix, zh, en in (
        ("_growth", "{}增长", "{} growth"),
        ("_share_of_city", "{}占全市比重", "{}: share of the city"),
        ("_share", "{}占比", "{}: share"),
    ):
        if metric.endswith(suffix) and metric[: -len(suffix)] in VOCABULARY:
            base = label(metric[: -len(suffix)], lang)
            return (zh if lang == "zh" else en).format(base)
    if metric.startswith("new_") and metric[4:] in VOCABULARY:
        base = label(metric[4:], lang)
        return "新增" + base if lang == "zh" else "New " + base[:1].lower() + base[1:]
    return metric.replace("_", " ")


def unit_of(metric: str | None) -> str | None:
    m = VOCABULARY.get(metric or "")
    return m.unit if m else ("percent" if (metric or "").endswith(("_growth", "_share")) else None)


# The fact schema's metrics: what the news reader may emit.
FACT_METRICS: frozenset[str] = frozenset(k for k, m in VOCABULARY.items() if m.fact)

# Keys derived from a listed key X (label() names them, the pack may use them): X_growth, X_share_of_city,
# X_share, new_X.
_DERIVED_SUFFIXES = ("_growth", "_share_of_city", "_share")


def is_metric(key: str | None) -> bool:
    """Whether `key` is a metric of the vocabulary: listed, or derived from a listed key (X_growth,
    X_share_of_city, X_share, new_X). The policy pack's loader refuses any other key."""
    if not key:
        return False
    if key in VOCABULARY:
        return True
    for suffix in _DERIVED_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in VOCABULARY:
            return True
    return key.startswith("new_") and key[4:] in VOCABULARY


# ------------------------------------------------------------------------------------------- warehouse figures
@dataclass(frozen=True)
class FigureColumn:
    """One yearly enterprise figure: a column of the warehouse's enterprise_year table
    (store/migrations/0001_warehouse.sql) and of the import template's yearly-figures sheet."""

    field: str
    zh: str  # the import template's Chinese header
    en: str
    unit: str  # the warehouse's unit: yuan | mu | tce | tonne | person | ratio
    summed: bool = True  # adds up over firms (a ratio does not)

    @property
    def money(self) -> bool:
        return self.unit == "yuan"


ENTERPRISE_YEAR_FIGURES: tuple[FigureColumn, ...] = (
    FigureColumn("revenue", "营业收入", "Revenue", "yuan"),
    FigureColumn("output_value", "工业总产值", "Gross industrial output", "yuan"),
    FigureColumn("value_added", "工业增加值", "Industrial value added", "yuan"),
    FigureColumn("tax", "实缴税金", "Taxes paid", "yuan"),
    FigureColumn("profit", "利润总额", "Total profit", "yuan"),
    FigureColumn("land_mu", "用地面积", "Land area", "mu"),
    FigureColumn("energy_tce", "综合能耗", "Energy use", "tce"),
    FigureColumn("emission_equiv", "主要污染物排放当量", "Pollutant equivalent", "tonne"),
    FigureColumn("rd_expense", "研发经费支出", "R&D expenditure", "yuan"),
    FigureColumn("employees", "年平均职工人数", "Average employees", "person"),
    FigureColumn("fixed_investment", "工业投资", "Industrial investment", "yuan"),
    FigureColumn("tech_renovation_investment", "技改投资", "Technical renovation investment", "yuan"),
    FigureColumn("main_business_share", "主营业务收入占比", "Main business share", "ratio", summed=False),
)
FIGURE: dict[str, FigureColumn] = {f.field: f for f in ENTERPRISE_YEAR_FIGURES}
# every figure column, in the warehouse's order
FIGURE_COLUMNS: tuple[str, ...] = tuple(f.field for f in ENTERPRISE_YEAR_FIGURES)
# the figures that add up over firms (clusters, districts, the map), output first as the pages show them
SUMMED_FIGURES: tuple[str, ...] = (
    "output_value",
    "value_added",
    "revenue",
    "tax",
    "profit",
    "fixed_investment",
    "tech_renovation_investment",
    "rd_expense",
    "employees",
    "land_mu",
    "energy_tce",
    "emission_equiv",
)
# the money figures the cluster instrument totals by default
MONEY_FIGURES: tuple[str, ...] = (
    "output_value",
    "value_added",
    "revenue",
    "tax",
    "fixed_investment",
    "tech_renovation_investment",
)
assert set(SUMMED_FIGURES) == {f.field for f in ENTERPRISE_YEAR_FIGURES if f.summed}
assert set(MONEY_FIGURES) <= {f.field for f in ENTERPRISE_YEAR_FIGURES if f.money}


def figure_label(field: str, lang: str = "zh") -> str:
    """The name of an enterprise_year column in `lang` (the import template's header), or the field itself."""
    f = FIGURE.get(field)
    if f is None:
        return field
    return f.zh if lang == "zh" else f.en
