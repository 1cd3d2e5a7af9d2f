"""The metric vocabulary: trigger words (simplified Chinese) for each metric of the fact schema.

This is general vocabulary of Chinese industrial statistics, not tied to one place. Order matters:
the more specific trigger comes first. `BASE` triggers name a measure (产值, 增加值, 投资 ...);
`_growth` and `_share` variants are derived from cue words next to the number.
"""

from __future__ import annotations

import functools
import re

from ...vocab import FACT_METRICS

# (regex, base metric). `{IND}` marks metrics that become industry_* when a cluster is named.
BASE: list[tuple[str, str]] = [
    (r"亩均(工业)?产值", "output_per_mu"),
    (r"亩均税收", "tax_per_mu"),
    (r"亩均增加值", "value_added_per_mu"),
    (r"技改投资占(工业投资)?(的)?(比重|比例)?|技改投资占比", "tech_renovation_investment_share"),
    (r"(工业)?技改投资|技术改造投资", "tech_renovation_investment"),
    (r"制造业(固定资产)?投资", "manufacturing_investment"),
    (r"高技术产业投资", "high_tech_investment"),
    (r"民间投资", "private_investment"),
    (r"固定资产投资|固投", "fixed_asset_investment"),
    # 工业固定资产投资 / 工业固投 is industrial investment, the fixed-asset investment of industry
    (
        r"工业(领域)?(固定资产投资|固投)|工业投资|工业项目(投资|(完成|实现)投资)|工业项目.{0,12}(完成|实现)投资",
        "industrial_investment",
    ),
    (
        r"合同引资|工业引资|招商引资(到位)?(资金)?|引资|签约(金额|资金|投资)|协议投资|合同投资|合同金额|引进(内资|资金)",
        "attracted_investment",
    ),
    (r"实际(利用|使用)外资|利用外资|外资", "attracted_foreign_investment"),
    (r"总投资|(共计|合计|总计)投资|(拟|计划|将)在[^,。;]{1,12}?投资", "project_investment"),
    (
        r"(达产|投产|建成|满产|量产)(达效)?后.{0,12}?(年)?(产值|销售额|销售收入|营收)|(?<![全当今去上本半明同])年产值|预计(实现)?年产值",
        "project_output",
    ),
    (r"出口交货值", "export_delivery_value"),
    (r"进出口(总额|总值)?|外贸", "foreign_trade_value"),
    (r"出口(额|总额|总值)|(?<![交货])出口$", "export_value"),
    (r"新能源汽车(整车)?产量|生产新能源汽车|新能源汽车(?=增长|同比)", "nev_production"),
    (r"新能源汽车销量|销售新能源汽车", "nev_sales"),
    (
        r"(汽车|整车)(整机)?产量|生产(汽车|整车)|汽车产销|(?<!项目|产品)产量",
        "vehicle_production",
    ),  # (项目产量, 产品产量: not vehicles)
    (r"(工业)?(销售产值)", "industrial_sales_output"),
    (r"地区生产总值|生产总值|GDP", "gdp"),
    (r"主营业务收入|营业总收入|营业收入|营收|开票销售|销售收入", "revenue"),
    (r"利润总额|利润", "profit"),
    (r"(研发|R&D)(经费)?(投入)?强度", "rd_intensity"),
    (r"研发机构(建有率|覆盖率)|建有研发机构的?(企业)?(占比|比例)", "rd_institution_coverage"),
    (r"研发投入|研发经费", "rd_investment"),
    (r"(入库|实缴)?(税收|税金)", "industrial_tax"),
    (
        r"(规模以上|规上|规模)?工业(企业)?(总产值|产值)|规模(以上)?(工业)?(总产值|产值)|规上(工业)?总产值|实现总产值|完成总产值|"
        r"(综合)?总产值",
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
    (r"上市(企业|公司)(?!子公司|分公司)", "listed_company_count"),  # 上市公司子公司: not listed themselves
    (r"企业技术中心|技术中心", "enterprise_tech_center_count"),
    (r"科创平台|创新平台|研发平台", "innovation_platform_count"),
    (r"孵化(载体|器|平台)|众创空间", "incubator_count"),
    (r"产业创新综合体", "innovation_complex_count"),
    (r"智能化改造项目|智能化赋能项目", "smart_upgrade_project_count"),
    (r"技改项目|技术改造项目", "tech_renovation_project_count"),
    (r"百亿级(企业)?|百亿(元)?以上企业|百亿企业|(超|超过|逾)(100|一百|百)亿元?(的)?企业", "enterprise_count_over_10b"),
    (
        r"(30|三十)亿级(企业)?|(超|超过|逾)(30|三十)亿元?(的)?企业|(30|三十)亿(元)?以上(的)?企业",
        "enterprise_count_over_3b",
    ),
    (r"(10|十)亿级(企业)?|(10|十)亿(元)?以上(的)?企业|(超|超过|逾)(10|十)亿元?(的)?企业", "enterprise_count_over_1b"),
    (r"升规|新增规(模以)?上(工业)?企业|新培育规(模以)?上(工业)?企业|新入规", "new_enterprise_count"),
    (r"(?<!建成)投产企业|新投产项目", "project_completed_count"),  # 新增投产企业 (news-dev's convention)
    (
        r"规上(工业)?企业|规模以上(工业)?企业|规模工业企业|工业企业|整车企业|零部件企业|配套企业|企业",
        "enterprise_count",
    ),
]
COUNTS_RX = [(re.compile(p), m) for p, m in COUNTS]

# Project counts: the verb decides.
PROJECT_COUNTS: list[tuple[str, str]] = [
    (r"(新)?开工|集中开工", "project_started_count"),
    (r"竣工|投产|建成投产|建成完工|完工", "project_completed_count"),
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


# Any stock count said with a flow cue (新增高新技术企业10家) is its flow: new_ + the stock's key (news-dev
# conventions); these are the stocks whose flows the vocabulary lists itself.
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
    r"零售总额|社会消费品|消费品零售|社会消费|一般公共预算|财政|融资|存款|贷款|金融|房地产|旅游|农业|粮食|"
    r"农、林、牧、渔|农林牧渔|林业|牧业|渔业|畜牧|"
    r"建筑业|(?<!信息)(?<!软件)服务业|批发|零售|三次产业|第一产业|第二产业|第三产业|民营经济|"
    r"用电量|用能|能耗|排放|节约|节能(?!环保)|"
    r"走访|对接|培训|会员|协会|专利|商标|基站|"  # event and other counts
    r"在谈|在库|在统|在建项目|储备|投资机会|机会清单|"  # pipeline figures
    r"上榜|入选|获评|获批|世界500强|中国500强|全球第|占全球|"  # lists, awards, world ranks and shares
    r"市场主体|"  # market entities, software
    r"产能|年产\d|扩能|追加投资|增资|增值税|净增|亏损|"  # capacities, capital increases, VAT
    r"摩托车(年)?产量|生产摩托车|"  # motorcycle production
    # sectors outside manufacturing that statistics communiqués report beside it
    r"建筑企业|建筑业企业|住宿|餐饮|交通运输|货运|客运|旅客|邮政|电信业务|快递|软件业务|信息技术服务|商品房|保费|利税|"
    r"比重由|比例由)"
)  # shares moving between two values

# Growth cues between the measure and the number.
GROWTH = re.compile(r"(增长|增速|增幅|同比|比上年|较上年|上升|提高|下降|回落|减少|降低|增加|下滑|下跌)")
FALL = re.compile(r"(下降|回落|减少|降低|负增长|下滑|下跌)")
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


# The metric vocabulary itself (keys, labels, units, the fact schema's metrics) is zhizao/vocab.py.
# Metrics whose value is a stock (counted at a point in time).
STOCK_COUNTS = {
    m
    for m in FACT_METRICS
    if ("_count" in m)
    and not m.startswith("new_")
    and not m.startswith("project_")
    and m not in ("introduced_project_count", "tech_renovation_project_count", "smart_upgrade_project_count")
}


def is_fact_metric(metric: str) -> bool:
    """A metric the reader may emit: the fact schema's, or the flow (new_…) of one of its stock counts."""
    return metric in FACT_METRICS or (metric.startswith("new_") and metric[4:] in STOCK_COUNTS)


# any measure at all (one search before the seventeen that tell which)
ANY_BASE = re.compile("|".join(f"(?:{p})" for p, _ in BASE))


@functools.lru_cache(maxsize=8192)
def find_base(window: str) -> tuple[str, str, int, int] | None:
    """The rightmost measure named in `window`: (metric template, matched text, start, end)."""
    if ANY_BASE.search(window) is None:
        return None
    best = None
    for i, (rx, metric) in enumerate(BASE_RX):
        for mt in rx.finditer(window):
            key = (mt.end(), -mt.start(), -i)  # rightmost end, then longest, then the more specific pattern
            if best is None or key > best[0]:
                best = (key, (metric, mt.group(0), mt.start(), mt.end()))
    return best[1] if best else None


@functools.lru_cache(maxsize=8192)
def find_count_metric(noun: str) -> tuple[str, str] | None:
    for rx, metric in COUNTS_RX:
        mt = rx.search(noun)
        if mt:
            return metric, mt.group(0)
    return None


@functools.lru_cache(maxsize=8192)
def find_cluster(phrase: str) -> str | None:
    """An industry or cluster named at the end of `phrase` (the text before the measure)."""
    p = phrase.strip('“”"的,、:')
    p = re.sub(r"(实现|完成|累计|共|已|达到|达)+$", "", p)  # 电子信息产业上半年实现: the verb, then the time
    # a time after the industry (家电产业集群全年产值): drop it before dropping times in front
    p = re.sub(
        r"(全年|今年|去年|当年|上半年|下半年|前三季度|[一二三四]季度|\d{1,2}[-—至]\d{1,2}月|\d{1,2}月份?|同期)+$", "", p
    )
    p = re.sub(r"^.*(月份|年|月|季度|以来)", "", p)
    p = re.sub(
        r"^(其中|其中,|主要包括|包括|全区|全市|全县|全省|我区|我市|我县|我省|本区|本市|本县|(园|辖)?区内|县内|市内|境内|"
        r"新区|规上|规模以上|工业)+",
        "",
        p,
    )
    p = re.sub(r"(实现|完成|累计|共|已|达到|达)$", "", p)
    p = re.sub(r"^.*带动(全区|全市|全县|全省|区|市|县)?", "", p)  # 该企业带动全区汽车零部件产业: the industry
    p = re.sub(r"^.*?(产业|行业)中(?=[\u4e00-\u9fff])", "", p)  # 五大产业中新能源产业: the one of them
    p = re.sub(r"(?<=(产业|行业|集群))企业(实现|完成|累计|共|已|达到|达)*$", "", p)  # 五大产业企业累计完成产值
    p = re.sub(r"(规上|规模以上|规模)$", "", p)
    # A、B、C七大战略性新兴制造业: the count sums the list up; the industry starts there
    p = re.sub(r"^.*?(?=(\d+|[两二三四五六七八九十])大[\u4e00-\u9fff])", "", p)
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
    if NOT_CLUSTER.match(re.sub(r"^[\u4e00-\u9fff]{1,8}?(新区|园区|开发区|区|县|市|省)", "", c)):
        return None  # 江北区规上工业: a place and its whole industry, not an industry
    return c
