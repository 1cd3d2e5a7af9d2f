"""The metric vocabulary: trigger words (simplified Chinese) for each metric of the fact schema.

This is general vocabulary of Chinese industrial statistics, not tied to one place. Order matters:
the more specific trigger comes first. `BASE` triggers name a measure (产值, 增加值, 投资 ...);
`_growth` and `_share` variants are derived from cue words next to the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (regex, base metric). `{IND}` marks metrics that become industry_* when a cluster is named.
BASE: list[tuple[str, str]] = [
    (r"亩均(工业)?产值", "output_per_mu"),
    (r"亩均税收", "tax_per_mu"),
    (r"亩均增加值", "value_added_per_mu"),
    (r"技改投资占(工业投资)?(的)?(比重|比例)?|技改投资占比", "tech_renovation_investment_share"),
    (r"(工业)?技改投资|技术改造投资", "tech_renovation_investment"),
    (r"制造业投资", "manufacturing_investment"),
    (r"高技术产业投资", "high_tech_investment"),
    (r"民间投资", "private_investment"),
    (r"固定资产投资|固投", "fixed_asset_investment"),
    (r"工业投资|工业项目(投资|(完成|实现)投资)|工业项目.{0,12}(完成|实现)投资", "industrial_investment"),
    (
        r"合同引资|工业引资|招商引资(到位)?(资金)?|引资|签约(金额|资金|投资)|协议投资|合同投资|引进(内资|资金)",
        "attracted_investment",
    ),
    (r"实际(利用|使用)外资|利用外资|外资", "attracted_foreign_investment"),
    (r"总投资|(共计|合计|总计)投资|(拟|计划|将)在[^,。;]{1,12}?投资", "project_investment"),
    (
        r"(达产|投产|建成|满产|量产)(达效)?后.{0,12}?(年)?(产值|销售额|销售收入|营收)|(?<![全当今去上本])年产值|预计(实现)?年产值",
        "project_output",
    ),
    (r"出口交货值", "export_delivery_value"),
    (r"进出口(总额|总值)?|外贸", "foreign_trade_value"),
    (r"出口(额|总额|总值)", "export_value"),
    (r"新能源汽车(整车)?产量|生产新能源汽车|新能源汽车(?=增长|同比)", "nev_production"),
    (r"新能源汽车销量|销售新能源汽车", "nev_sales"),
    (r"(汽车|整车)(整机)?产量|生产(汽车|整车)|汽车产销|产量", "vehicle_production"),
    (r"(工业)?(销售产值)", "industrial_sales_output"),
    (r"地区生产总值|生产总值|GDP", "gdp"),
    (r"主营业务收入|营业总收入|营业收入|营收|开票销售|销售收入", "revenue"),
    (r"利润总额|利润", "profit"),
    (r"研发投入|研发经费", "rd_investment"),
    (r"(入库|实缴)?(税收|税金)", "industrial_tax"),
    (
        r"(规模以上|规上|规模)?工业(企业)?(总产值|产值)|规模(以上)?(工业)?(总产值|产值)|规上(工业)?总产值|实现总产值|完成总产值|总产值",
        "{IND}output",
    ),
    (r"(规模以上|规上|规模)?工业(企业)?增加值|规模以上工业企业.{0,6}增加值|增加值", "{IND}value_added"),
    (
        r"规上工业增速|规模以上工业增速|规上工业增长|规模以上工业(?=增长|同比)|规模工业(?=增长|同比)|工业(?=增长|同比增长)",
        "{IND}value_added",
    ),
    (r"产值|产业规模|营业额", "{IND}output"),
]
BASE_RX = [(re.compile(p), m) for p, m in BASE]

# Count metrics: the noun that is counted (right after "N家"/"N个", or right before the number).
COUNTS: list[tuple[str, str]] = [
    (r"国家级?智能制造示范工厂|国家级智能工厂", "national_smart_factory_count"),
    (r"创新示范工厂", "innovation_demo_factory_count"),
    (r"智能(化)?工厂|智慧工厂", "smart_factory_count"),
    (r"数字化车间|数位化车间", "digital_workshop_count"),
    (r"智能制造[\u4e00-\u9fff]{0,4}?场景", "smart_scenario_count"),
    (r"(单项冠军|单项冠军产品|单项冠军企业)", "single_champion_count"),
    (r"小巨人", "little_giant_count"),
    (r"专精特新", "specialized_sme_count"),
    (r"高新技术企业|高企", "high_tech_enterprise_count"),
    (r"科技型企业|科创企业|科技型中小企业", "tech_enterprise_count"),
    (r"领军\(?链主\)?企业|链主企业|领军链主企业", "chain_leader_count"),
    (r"上市(企业|公司)", "listed_company_count"),
    (r"企业技术中心|技术中心", "enterprise_tech_center_count"),
    (r"科创平台|创新平台|研发平台", "innovation_platform_count"),
    (r"孵化(载体|器|平台)|众创空间", "incubator_count"),
    (r"产业创新综合体", "innovation_complex_count"),
    (r"智能化改造项目|智能化赋能项目", "smart_upgrade_project_count"),
    (r"技改项目|技术改造项目", "tech_renovation_project_count"),
    (r"百亿级(企业)?|百亿(元)?以上企业|百亿企业", "enterprise_count_over_10b"),
    (r"(30|三十)亿级(企业)?", "enterprise_count_over_3b"),
    (r"(10|十)亿级(企业)?|(10|十)亿(元)?以上(的)?企业", "enterprise_count_over_1b"),
    (r"升规|新增规(模以)?上(工业)?企业|新培育规(模以)?上(工业)?企业|新入规", "new_enterprise_count"),
    (
        r"规上(工业)?企业|规模以上(工业)?企业|规模工业企业|工业企业|整车企业|零部件企业|配套企业|企业",
        "enterprise_count",
    ),
]
COUNTS_RX = [(re.compile(p), m) for p, m in COUNTS]

# Project counts: the verb decides.
PROJECT_COUNTS: list[tuple[str, str]] = [
    (r"(新)?开工|集中开工", "project_started_count"),
    (r"竣工|投产|建成投产", "project_completed_count"),
    (r"签约|引进|引入|招引|签订|落地|落户|入驻", "introduced_project_count"),
]
PROJECT_COUNTS_RX = [(re.compile(p), m) for p, m in PROJECT_COUNTS]

# Flow counts (new_ prefix): cue words in front of the counted noun.
NEW_CUE = re.compile(
    r"(新增|新认定|新培育|新创建|新获评|新获批|新建成|新引进|认定为|新评定|新入选|(?<![专特])新(?=[\u4e00-\u9fff]{2,}))"
)
# Words in which 新 is part of a name or a noun, not "new" (高新区, 两江新区, 新材料, 创新): removed before
# looking for NEW_CUE.
NOT_NEW = re.compile(r"(高新|新区|新城|新都|新材料|新能源|新型|新兴|新一代|创新|更新|新技术|新经济|新基建)")


def not_new(text: str) -> str:
    return NOT_NEW.sub("", text)


FLOW_METRICS_WITH_NEW = {
    "smart_factory_count",
    "digital_workshop_count",
    "national_smart_factory_count",
    "smart_scenario_count",
    "single_champion_count",
    "little_giant_count",
    "specialized_sme_count",
    "tech_enterprise_count",
}

# Numbers next to these words are not facts of the vocabulary.
BLOCK = re.compile(
    # annotation rule 2 and the news-dev notes: figures outside the vocabulary
    r"(贡献率|拉动|百分点|"  # pull, contribution, gaps
    r"占有率|产销率|利润率|不良率|能源利用率|效率|成本|提升了|降低了|提高了|"  # rates, efficiency and cost gains
    r"城镇化率|失业|就业|职工|员工|人均|居民|可支配收入|人口|面积|"  # non-industrial figures
    r"零售总额|消费品|社会消费|一般公共预算|财政|融资|存款|贷款|金融|房地产|旅游|农业|粮食|"
    r"建筑业|(?<!信息)(?<!软件)服务业|批发|零售|三次产业|第一产业|第二产业|第三产业|民营经济|"
    r"用电量|用能|能耗|排放|节约|节能|"
    r"走访|对接|培训|会员|协会|专利|商标|基站|"  # event and other counts
    r"在谈|在库|在统|在建项目|储备|"  # pipeline figures
    r"上榜|入选|获评|获批|世界500强|中国500强|全球第|占全球|"  # lists, awards, world ranks and shares
    r"市场主体|"  # market entities, software
    r"产能|年产\d|扩能|追加投资|增资|增值税|净增|亏损|"  # capacities, capital increases, VAT
    r"摩托车(年)?产量|生产摩托车|"  # motorcycle production
    r"比重由|比例由)"
)  # shares moving between two values

# Growth cues between the measure and the number.
GROWTH = re.compile(r"(增长|增速|增幅|同比|比上年|较上年|上升|提高|下降|回落|减少|降低|增加)")
FALL = re.compile(r"(下降|回落|减少|降低|负增长)")
SHARE = re.compile(r"占(.{0,16}?)(的)?(比重|比例|份额|总量|总额|总产值|总值|工业|增加值)?")

# Industries and clusters: a noun phrase ending in one of these, or one of the general names.
CLUSTER_SUFFIX = re.compile(
    r"([\u4e00-\u9fff“”\"+\dN()]{1,14}?(产业集群|产业链|产业|制造业|行业|板块|集群|门类|领域|整车\(机\)|整车整机|业))$"
)
CLUSTER_WORDS = re.compile(
    r"(电子信息|汽车摩托车|汽车|摩托车|装备制造|智能装备|生物医药|医药|新材料|材料|化工|消费品|食品|能源|"
    r"集成电路|新型显示|智能终端|软件信息|数字经济|平板显示|光伏|锂电|动力电池|整车\(机\)|整车整机|整车|"
    # general short names of manufacturing industries (GB/T 4754 divisions as the press writes them)
    r"家电|家用电器|泛家居|家居|家具|白酒|酒类|饮料|纺织|服装|鞋服|皮革|造纸|印刷|塑料|橡胶|"
    r"石化|石油化工|化学|钢铁|冶金|有色|有色金属|建材|陶瓷|机械|工程机械|通用设备|专用设备|电气机械|"
    r"船舶|航空航天|航空|轨道交通|新能源汽车|新能源|氢能|储能|半导体|芯片|显示面板|光电|光电子|"
    r"通信设备|计算机|笔电|笔记本电脑|人工智能|机器人|医疗器械|生物|卫星互联网|无人机|"
    r"农产品加工|食品加工|烟草|绿色建材|节能环保|环保)$"
)
NOT_CLUSTER = re.compile(
    r"^(规上工业|规模以上工业|规模工业|工业|全部工业|规上|规模以上|全区工业|全市工业|全县工业|企业|"
    r"工业企业|规上工业企业|规模以上工业企业|其中|主要|其中规模以上工业|全区|全市)$"
)

# Enterprises by size or ownership (大中型企业增加值增长…) are a breakdown, not an industry.
ENTERPRISE_CLASS = re.compile(
    r"(大中型|小微|中小|大型|中型|小型|微型|国有|民营|私营|外资|外商投资|港澳台|股份制|集体|"
    r"国有控股|非公有制)(控股)?企业$|(轻|重)工业$"
)  # (light and heavy industry too)


# ------------------------------------------------------------------------------------------- vocabulary
# The metric vocabulary with its labels: key, Chinese label, English label, unit, and whether the key is one of
# the fact schema's metrics (../shared/seeds/README.md; the reader emits only those: `METRICS`). The other keys
# are measures that published targets and the analytics use (the pack's figures, the targets instrument).
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
VOCABULARY_ROWS: list[tuple[str, str, str, str, bool]] = [
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
VOCABULARY: dict[str, Metric] = {k: Metric(k, zh, en, unit, fact) for k, zh, en, unit, fact in VOCABULARY_ROWS}

# Units of the fact schema and the pack: (Chinese, English) as printed after a number.
UNITS: dict[str, tuple[str, str]] = {
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
QUALIFIERS: dict[str, tuple[str, str]] = {
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
METRICS = {k for k, m in VOCABULARY.items() if m.fact}
# Metrics whose value is a stock (counted at a point in time).
STOCK_COUNTS = {
    m
    for m in METRICS
    if ("_count" in m)
    and not m.startswith("new_")
    and not m.startswith("project_")
    and m not in ("introduced_project_count", "tech_renovation_project_count", "smart_upgrade_project_count")
}


def find_base(window: str) -> tuple[str, str, int, int] | None:
    """The rightmost measure named in `window`: (metric template, matched text, start, end)."""
    best = None
    for i, (rx, metric) in enumerate(BASE_RX):
        for mt in rx.finditer(window):
            key = (mt.end(), -mt.start(), -i)  # rightmost end, then longest, then the more specific pattern
            if best is None or key > best[0]:
                best = (key, (metric, mt.group(0), mt.start(), mt.end()))
    return best[1] if best else None


def find_count_metric(noun: str) -> tuple[str, str] | None:
    for rx, metric in COUNTS_RX:
        mt = rx.search(noun)
        if mt:
            return metric, mt.group(0)
    return None


def find_cluster(phrase: str) -> str | None:
    """An industry or cluster named at the end of `phrase` (the text before the measure)."""
    p = phrase.strip('“”"的,、:')
    # a time after the industry (家电产业集群全年产值): drop it before dropping times in front
    p = re.sub(
        r"(全年|今年|去年|当年|上半年|下半年|前三季度|[一二三四]季度|\d{1,2}[-—至]\d{1,2}月|\d{1,2}月份?|同期)+$", "", p
    )
    p = re.sub(r"^.*(年|月|季度|月份|以来)", "", p)
    p = re.sub(r"^(其中|其中,|主要包括|包括|全区|全市|全县|新区|规上|规模以上|工业)+", "", p)
    p = re.sub(r"(实现|完成|累计|共|已|达到|达)$", "", p)
    p = re.sub(r"(规上|规模以上|规模)$", "", p)
    if not p:
        return None
    mt = CLUSTER_SUFFIX.search(p) or CLUSTER_WORDS.search(p)
    if not mt:
        return None
    c = mt.group(1)
    c = re.sub(r"^(其中|主要包括|包括|等|和|与|及|以及|的|工业|规上|规模以上|实现|完成|其中规模以上)+", "", c)
    c = c.strip('“”"')
    if not c or NOT_CLUSTER.match(c) or len(c) < 2 or ENTERPRISE_CLASS.search(c):
        return None
    return c
