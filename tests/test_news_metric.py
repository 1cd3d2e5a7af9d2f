"""What a figure measures (ingest/news/metric.py): the specification table.

Each row is a general wording of Chinese industrial statistics, the figure as written, and the metric of
the fact schema it states (None: left out, as the annotation rules ask)."""

import datetime as dt

import pytest

from news_spec import fact_of, metric_of

TABLE = [
    # an amount names its measure right before it; the growth after it is the growth of that measure
    ("2023年,璧山区规上工业总产值突破1500亿元,同比增长10.2%。", "1500亿元", "industrial_output"),
    ("2023年,璧山区规上工业总产值突破1500亿元,同比增长10.2%。", "10.2%", "industrial_output_growth"),
    ("1-5月,全区规上工业增加值同比增长8.6%。", "8.6%", "industrial_value_added_growth"),
    ("今年1月至5月,全区技改投资增长19.7%。", "19.7%", "tech_renovation_investment_growth"),
    ("一季度,全区完成工业投资45.3亿元,同比下降3.2%。", "45.3亿元", "industrial_investment"),
    # 工业固定资产投资 / 工业固投 is industrial investment, not the whole fixed-asset investment
    ("1-5月,全区完成工业固定资产投资85.6亿元,同比增长12.3%。", "85.6亿元", "industrial_investment"),
    ("1-5月,全区完成工业固定资产投资85.6亿元,同比增长12.3%。", "12.3%", "industrial_investment_growth"),
    ("全年全区工业固投增长8.8%。", "8.8%", "industrial_investment_growth"),
    ("全区固定资产投资增长5.2%,其中工业投资增长12.5%。", "5.2%", "fixed_asset_investment_growth"),
    ("全区制造业固定资产投资增长6.1%。", "6.1%", "manufacturing_investment_growth"),
    ("上半年,全区技改投资占工业固定资产投资比重达到35.2%。", "35.2%", "tech_renovation_investment_share"),
    ("全区技改投资占固定资产投资比重达到15.2%。", "15.2%", None),
    # an industry before the measure makes it the industry's
    ("2023年,长寿区新材料产业实现产值800亿元。", "800亿元", "industry_output"),
    ("汽车和家电制造业两大支柱产业分别实现产值901.9亿元和161.2亿元。", "161.2亿元", "industry_output"),
    ("七大战略性新兴制造业实现产值491.4亿元,占全区规模以上工业总产值35.9%。", "35.9%", "industry_share_of_output"),
    # counts: the noun counted, a flow cue gives new_
    ("今年以来,全区新增专精特新企业12家。", "12家", "new_specialized_sme_count"),
    ("今年以来,开州高新区新增高新技术企业10家。", "10家", "new_high_tech_enterprise_count"),
    ("2023年,江津区规上工业企业达到652家。", "652家", "enterprise_count"),
    # a count compared with the stock at an earlier date is a net change (净增), outside the vocabulary; the total
    # after a change is the stock
    ("截至6月底,全区规上工业企业达到652户,较年初新增25户。", "25户", None),
    ("年末全区规模以上工业企业416家,比上年末增加19家。", "19家", None),
    ("截至6月底,全区共有专精特新企业120家,较年初新增专精特新企业12家。", "12家", None),
    ("全区规上工业企业较年初新增25户,达到652户。", "652户", "enterprise_count"),
    ("今年以来,全区新增专精特新企业12家,累计达到120家。", "12家", "new_specialized_sme_count"),
    ("全县开工在建重点项目81个,建成完工重点项目40个。", "40个", "project_completed_count"),
    ("此次共签约10个项目,合同金额共计13.8亿元。", "13.8亿元", "attracted_investment"),
    # output added by projects, stated as a change, is left out; at full production it is the projects' target
    ("上半年,27个项目实现达产达效,新增规上工业产值近10亿元。", "10亿元", None),
    ("集中投产15个项目,预计全部达产后可新增产值261亿元。", "261亿元", "project_output"),
    # subsidiaries of listed companies are not listed companies
    ("园区拥有上市公司子公司8家,上市企业3家。", "8家", None),
    ("园区拥有上市公司子公司8家,上市企业3家。", "3家", "listed_company_count"),
    # profit is in the vocabulary, its growth is not (news-dev: 利润增长 is left out)
    ("1-5月,全区规上工业企业实现利润总额45亿元,同比增长12%。", "45亿元", "profit"),
    ("1-5月,全区规上工业企业实现利润总额45亿元,同比增长12%。", "12%", None),
    # the output of projects or products is not vehicle production
    ("万丰轮毂、赛特刚玉等项目产量同比增长一倍以上。", "一倍", None),
    # a fall told as 下滑/下跌 is a negative growth
    ("全区规上工业产值同比下滑5%。", "5%", "industrial_output_growth"),
    # growth by a multiple is a percentage
    ("新能源汽车产量16.7万辆,比上年增长2.3倍。", "2.3倍", "nev_production_growth"),
    # from A to B, and a goal ahead, take the measure the sentence named
    ("该州地区生产总值从478亿元增加到1299亿元。", "1299亿元", "gdp"),
    ("全市地区生产总值正朝着2000亿元的新台阶迈进。", "2000亿元", "gdp"),
    # left out: pull, gaps, rankings, agriculture, other units, products, thresholds crossed on the way
    ("工业投资拉动全区经济增长1.8个百分点,对经济增长的贡献率为35.6%。", "35.6%", None),
    ("全年农、林、牧、渔业增加值比上年增长3.7%。", "3.7%", None),
    ("其中,印制电路板25.6万平方米,增长8.9%。", "8.9%", None),
    ("新产品产量保持较快增长,其中,集成电路增长5.2倍。", "5.2倍", None),
    ("该州地区生产总值连续突破500亿元、1000亿元大关。", "500亿元", None),
    ("发布投资机会清单29个项目,总投资达500亿元。", "500亿元", None),
    # an amount after 达 takes the measure named in an earlier clause of the sentence
    ("其中工程机械产业产值创历史新高,达1615亿元。", "1615亿元", "industry_output"),
    # a named sub-unit and a verb carry the measure named before
    ("到2022年,全市工业园区将实现工业总产值2万亿元,其中两江新区力争达到5000亿元。", "5000亿元", "industrial_output"),
    # a list is of one kind: a company in it makes the names beside it companies
    (
        "三一集团、山河智能、中联工起、铁建重工产值比上年分别增长22.7%、35.7%、19.5%、7.8%。",
        "35.7%",
        "enterprise_output_growth",
    ),
    # 消费品工业 is an industry; only retail sales of consumer goods are left out
    ("消费品工业产值增长6.3%。", "6.3%", "industry_output_growth"),
    ("社会消费品零售总额增长6.5%。", "6.5%", None),
    # a change in an amount is not a figure of the vocabulary
    ("全区亩均税收达到35.6万元,同比提高2.1万元。", "2.1万元", None),
    # 节能环保 is an industry, not an energy saving
    ("节能环保产业实现产值120亿元。", "120亿元", "industry_output"),
    # an outlook after a figure (预计全年将突破…, 全年有望达到…) is of the measure just given
    ("上半年全区完成规上工业产值812亿元,预计全年将突破1700亿元。", "1700亿元", "industrial_output"),
    ("1-6月全区实现工业投资120亿元,增长12%,全年将超过300亿元。", "300亿元", "industrial_investment"),
    ("上半年全区汽车产业完成产值812亿元,全年有望达到1700亿元。", "1700亿元", "industry_output"),
    # a gloss in brackets does not name the measure: the words outside it do
    ("1-6月,全区汽车产业实现产值(营收)312.5亿元,增长15.3%。", "312.5亿元", "industry_output"),
    ("上半年全区实现地区生产总值(GDP)812.3亿元。", "812.3亿元", "gdp"),
    # a place and its whole industry (璧山区规上工业) is no industry; nor are the firms within it (区内规上工业企业)
    ("一季度,区内规上工业企业实现产值120亿元,增长8%。", "120亿元", "industrial_output"),
    ("上半年璧山区规上工业实现产值1200亿元、增加值300亿元。", "300亿元", "industrial_value_added"),
    ("上半年璧山区规上工业实现产值1200亿元、增加值300亿元。", "1200亿元", "industrial_output"),
    # 两大产业分别…: the industries of the list, not a count of industries
    ("上半年,全区汽车、电子两大产业分别实现产值600亿元、400亿元。", "400亿元", "industry_output"),
    # firms counted by size: 超10亿元企业, 30亿元以上企业, 超100亿元企业
    ("全区现有规上工业企业652户,其中产值超10亿元企业20户,超100亿元企业3户。", "20户", "enterprise_count_over_1b"),
    ("全区现有规上工业企业652户,其中产值超10亿元企业20户,超100亿元企业3户。", "3户", "enterprise_count_over_10b"),
    ("其中产值10亿元以上企业20户,30亿元以上企业8户。", "8户", "enterprise_count_over_3b"),
    # measures of the vocabulary told as a rate or a part of a total
    ("上半年,全区研发投入强度达到3.2%。", "3.2%", "rd_intensity"),
    ("2022年,全区R&D经费投入强度2.8%,比上年提高0.3个百分点。", "2.8%", "rd_intensity"),
    ("全区规上工业企业研发机构覆盖率达到65%。", "65%", "rd_institution_coverage"),
    ("上半年,全区实现进出口总额320亿元,其中出口210亿元。", "210亿元", "export_value"),
    # 台 counts vehicles when its clause names them; other machines are not in the vocabulary
    ("上半年,全区汽车产量达到12.5万台,同比增长15%。", "12.5万台", "vehicle_production"),
    ("上半年,全区生产工业机器人1.2万台,同比增长15%。", "15%", None),
    # a measure named in a clause with no figure is the measure of the growth right after it
    ("上半年,全区规上工业增加值保持较快增长,同比增长1.2%。", "1.2%", "industrial_value_added_growth"),
    ("上半年,全区规上工业增加值增速由负转正,增长1.2%。", "1.2%", "industrial_value_added_growth"),
    ("上半年,全区汽车产业产值保持较快增长,同比增长12%。", "12%", "industry_output_growth"),
    ("上半年,全区规上工业产值812亿元,增加值保持较快增长,同比增长1.2%。", "1.2%", "industrial_value_added_growth"),
    ("6月,全区规上工业增加值同比增长8.2%,环比增长1.2%。", "1.2%", None),
    # sectors outside manufacturing that a communiqué reports beside it are left out
    ("全市具有资质等级的总承包和专业承包建筑企业实现利润26.38亿元。", "26.38亿元", None),
    ("全年完成货运量1.2亿吨,旅客发送量增长5.1%。", "5.1%", None),
    ("1-7月份,全市完成软件业务收入2105.6亿元。", "2105.6亿元", None),
]


@pytest.mark.parametrize("text, figure, metric", TABLE)
def test_metric(text, figure, metric):
    assert metric_of(text, figure) == metric


@pytest.mark.parametrize(
    "text, figure, cluster",
    [
        ("截至9月底,全区共有规上工业企业68家。", "68家", None),  # the place and the verb are not a kind of firm
        ("涪陵现有规上企业76户。", "76户", None),
        ("全区共有汽车零部件企业320家。", "320家", "汽车零部件"),
    ],
)
def test_the_kind_of_firm_counted(text, figure, cluster):
    c = fact_of(text, figure, dt.date(2024, 10, 12))
    assert c.choice.metric == "enterprise_count" and c.choice.cluster == cluster


def test_a_year_of_the_half_is_not_a_plant_at_full_production():
    # 上半年产值 is the half-year's output; 年产值 after 达产后/投产后 is a project's at full production
    assert metric_of("位于璧山区的星辰汽车股份公司上半年产值达到120亿元。", "120亿元") == "enterprise_output"
    assert metric_of("项目建成达产后年产值可达50亿元。", "50亿元") == "project_output"


def test_an_industry_before_its_time_and_verb_is_the_industrys():
    text = "在龙头企业带动下,璧山区电子信息产业上半年实现产值300亿元,同比增长12%。"
    assert metric_of(text, "300亿元") == "industry_output"
    assert (
        metric_of("1-4月份规模工业累计完成工业增加值10.11亿元,同比增长10.9%。", "10.11亿元") == "industrial_value_added"
    )


@pytest.mark.parametrize("verb", ["下降", "回落", "下滑", "下跌"])
def test_a_fall_is_a_negative_growth(verb):
    c = fact_of(f"全区规上工业产值同比{verb}5%。", "5%", dt.date(2024, 7, 1))
    assert c.choice.metric == "industrial_output_growth" and c.choice.value == -5
