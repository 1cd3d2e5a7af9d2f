"""Text no rule was written for: the reader on new sentences and short articles.

Four batches, written from the annotation rules (shared/seeds/README.md) and the metric vocabulary,
not from the seeds or news-dev, each with the facts a careful annotator records. Each batch was
scored once before the reader was changed for it, as a held-out check of coverage (strict F1; the
second figure is the reader as it was before the audit of its rules):

    batch 1  30 sentences, 51 facts, standard wordings                      0.950   (0.950)
    batch 2  20 sentences, 43 facts: lists, shares, projects, stocks,       0.871   (0.860)
             targets, distractors
    batch 3  6 short articles, 36 facts: page chrome, implicit 全区,        0.829   (0.812)
             context across paragraphs, an enterprise, an undated text
    batch 4  8 short articles, 30 facts: a bulletin dated only by its       0.885   (0.885)
             address, targets, glosses, a province and its cities, a
             project, distractors, stocks, an undated park (scored last:
             the final held-out figure)

What failed were general gaps, fixed after scoring: a growth inheriting an industrial-tax measure,
产值、增加值分别…, 其中高新区 in a city article, 累计达到 after a flow count, 截至…年底 and 截至6月底
stocks, a company's capacity-named project, shares of GDP and of fixed-asset investment, an industry
named before the time, a year review's flow counts, 其中…项目N个, a plant named …工厂 and its 该工厂,
全年产值 read as a project's 年产值, 生产整车. Every case passes now except one article of batch 4,
whose park is written 宜宾经开区 and expected under its full name (the reader does not expand 经开区;
the news-dev gold itself keeps 铜梁高新区 short). From here on these are regression tests: the next
held-out check needs new text.
"""

import datetime as dt

import pytest

from news_eval.score import norm_entity
from zhizao.ingest.news.extract import extract, read_article

D = dt.date

BATCH1 = [
    (
        "璧山",
        "2023年,璧山区规上工业总产值突破1500亿元,同比增长10.2%。",
        D(2024, 3, 15),
        {
            ("璧山区", "industrial_output", 1.5e11, "2023", "actual"),
            ("璧山区", "industrial_output_growth", 10.2, "2023", "actual"),
        },
    ),
    (
        "綦江区1-2月工业经济开局良好",
        "1-2月,全区规上工业增加值同比增长8.6%,增速居全市第2位。",
        D(2024, 3, 15),
        {("綦江区", "industrial_value_added_growth", 8.6, "2024-01..2024-02", "actual")},
    ),
    (
        "荣昌",
        "今年一季度,荣昌区完成工业投资45.3亿元,同比下降3.2%。",
        D(2024, 4, 25),
        {
            ("荣昌区", "industrial_investment", 4.53e9, "2024-01..2024-03", "actual"),
            ("荣昌区", "industrial_investment_growth", -3.2, "2024-01..2024-03", "actual"),
        },
    ),
    (
        "重庆市专精特新",
        "截至目前,全市累计培育国家级专精特新“小巨人”企业283家。",
        D(2024, 3, 15),
        {("重庆市", "little_giant_count", 283, "as_of:2024-03", "actual")},
    ),
    (
        "南岸",
        "2023年,南岸区新增规上工业企业36家,总数达到398家。",
        D(2024, 3, 15),
        {
            ("南岸区", "new_enterprise_count", 36, "2023", "actual"),
            ("南岸区", "enterprise_count", 398, "as_of:2023-12", "actual"),
        },
    ),
    (
        "永川",
        "到2027年,永川区规上工业总产值力争突破3000亿元。",
        D(2024, 3, 15),
        {("永川区", "industrial_output", 3e11, "2027", "target")},
    ),
    (
        "长寿",
        "2023年,长寿区战略性新兴产业产值占规上工业总产值比重达到38.5%。",
        D(2024, 3, 15),
        {("长寿区", "industry_share_of_output", 38.5, "2023", "actual")},
    ),
    (
        "合川",
        "2023年,合川区工业经济稳中有进。全年实现工业税收18.6亿元,同比增长12.1%。",
        D(2024, 1, 20),
        {
            ("合川区", "industrial_tax", 1.86e9, "2023", "actual"),
            ("合川区", "industrial_tax_growth", 12.1, "2023", "actual"),
        },
    ),
    (
        "两江新区",
        "上半年,两江新区汽车产量达到45.6万辆,同比增长15.3%。",
        D(2023, 7, 20),
        {
            ("两江新区", "vehicle_production", 456000, "2023-01..2023-06", "actual"),
            ("两江新区", "vehicle_production_growth", 15.3, "2023-01..2023-06", "actual"),
        },
    ),
    (
        "江津",
        "2023年,江津区高技术制造业增加值增长14.2%,占规上工业增加值比重为12.8%。",
        D(2024, 3, 15),
        {
            ("江津区", "industry_value_added_growth", 14.2, "2023", "actual"),
            ("江津区", "industry_share_of_value_added", 12.8, "2023", "actual"),
        },
    ),
    (
        "九龙坡",
        "九龙坡区2023年技改投资同比增长21.5%,占工业投资比重达45.2%。",
        D(2024, 3, 15),
        {
            ("九龙坡区", "tech_renovation_investment_growth", 21.5, "2023", "actual"),
            ("九龙坡区", "tech_renovation_investment_share", 45.2, "2023", "actual"),
        },
    ),
    (
        "万州",
        "2023年,万州区国家级高新技术企业总数达到312家。",
        D(2024, 3, 15),
        {("万州区", "high_tech_enterprise_count", 312, "as_of:2023-12", "actual")},
    ),
    (
        "大足",
        "1-5月,大足区规上工业企业实现营业收入412.3亿元,同比增长9.8%;实现利润总额23.1亿元。",
        D(2024, 6, 20),
        {
            ("大足区", "revenue", 4.123e10, "2024-01..2024-05", "actual"),
            ("大足区", "revenue_growth", 9.8, "2024-01..2024-05", "actual"),
            ("大足区", "profit", 2.31e9, "2024-01..2024-05", "actual"),
        },
    ),
    (
        "铜梁",
        "今年前4个月,铜梁区完成固定资产投资86.5亿元,同比增长6.1%,其中工业投资增长18.9%。",
        D(2024, 5, 20),
        {
            ("铜梁区", "fixed_asset_investment", 8.65e9, "2024-01..2024-04", "actual"),
            ("铜梁区", "fixed_asset_investment_growth", 6.1, "2024-01..2024-04", "actual"),
            ("铜梁区", "industrial_investment_growth", 18.9, "2024-01..2024-04", "actual"),
        },
    ),
    (
        "重庆市新能源汽车",
        "今年1至7月,全市新能源汽车产量达到34.2万辆,同比增长1.2倍。",
        D(2024, 8, 20),
        {
            ("重庆市", "nev_production", 342000, "2024-01..2024-07", "actual"),
            # 增长1.2倍 is +120 % (news-dev's convention: 增长2.3倍 is +230 %)
            ("重庆市", "nev_production_growth", 120, "2024-01..2024-07", "actual"),
        },
    ),
    (
        "潼南",
        "2023年,潼南区实现出口额52.3亿元。",
        D(2024, 3, 15),
        {("潼南区", "export_value", 5.23e9, "2023", "actual")},
    ),
    (
        "黔江",
        "据统计,2022年黔江区规模以上工业企业达到98户,实现产值236亿元。",
        D(2023, 3, 15),
        {
            # a stock in a past year: at that year's end (news-dev's annotators: dev029, dev047, dev049)
            ("黔江区", "enterprise_count", 98, "as_of:2022-12", "actual"),
            ("黔江区", "industrial_output", 2.36e10, "2022", "actual"),
        },
    ),
    (
        "綦江区工业",
        "2023年,綦江区规上工业增加值增长8.1%。全区规上工业增加值增速高于全市平均水平2.6个百分点,居全市第3位。",
        D(2024, 3, 15),
        {("綦江区", "industrial_value_added_growth", 8.1, "2023", "actual")},
    ),
    (
        "梁平",
        "2023年,梁平区食品及农产品加工产业实现产值180亿元,增长7.6%。",
        D(2024, 3, 15),
        {
            ("梁平区", "industry_output", 1.8e10, "2023", "actual"),
            ("梁平区", "industry_output_growth", 7.6, "2023", "actual"),
        },
    ),
    (
        "南川",
        "今年1-10月,南川区规上工业总产值增长9.1%。预计全年规上工业总产值将达到820亿元。",
        D(2023, 11, 10),
        {
            ("南川区", "industrial_output_growth", 9.1, "2023-01..2023-10", "actual"),
            ("南川区", "industrial_output", 8.2e10, "2023", "target"),
        },
    ),
    (
        "綦江",
        "2023年,綦江區規模以上工業增加值增長8.3%。",
        D(2024, 3, 15),
        {("綦江区", "industrial_value_added_growth", 8.3, "2023", "actual")},
    ),
    (
        "开州",
        "2023年,开州区引进工业项目45个,协议引资达到156亿元。",
        D(2024, 3, 15),
        {
            ("开州区", "introduced_project_count", 45, "2023", "actual"),
            ("开州区", "attracted_investment", 1.56e10, "2023", "actual"),
        },
    ),
    (
        "垫江",
        "2023年,垫江县新开工工业项目32个,竣工投产项目18个。",
        D(2024, 3, 15),
        {
            ("垫江县", "project_started_count", 32, "2023", "actual"),
            ("垫江县", "project_completed_count", 18, "2023", "actual"),
        },
    ),
    (
        "成都",
        "2023年,成都市规上工业增加值增长5.8%,其中高新区增长9.6%。",
        D(2024, 3, 15),
        {
            ("成都市", "industrial_value_added_growth", 5.8, "2023", "actual"),
            ("成都高新区", "industrial_value_added_growth", 9.6, "2023", "actual"),
        },
    ),
    (
        "苏州",
        "苏州市1-11月规模以上工业总产值达到40186亿元,同比增长1.9%。",
        D(2023, 12, 20),
        {
            ("苏州市", "industrial_output", 4.0186e12, "2023-01..2023-11", "actual"),
            ("苏州市", "industrial_output_growth", 1.9, "2023-01..2023-11", "actual"),
        },
    ),
    (
        "萧山",
        "2023年,杭州市萧山区实现规上工业增加值1120亿元,同比增长6.5%。",
        D(2024, 2, 1),
        {
            ("萧山区", "industrial_value_added", 1.12e11, "2023", "actual"),
            ("萧山区", "industrial_value_added_growth", 6.5, "2023", "actual"),
        },
    ),
    (
        "江北",
        "江北区2023年数字经济核心产业营业收入突破600亿元。",
        D(2024, 3, 15),
        {("江北区", "revenue", 6e10, "2023", "actual")},
    ),
    (
        "沙坪坝",
        "2023年,沙坪坝区新增市级智能工厂5个、数字化车间21个。",
        D(2024, 3, 15),
        {
            ("沙坪坝区", "new_smart_factory_count", 5, "2023", "actual"),
            ("沙坪坝区", "new_digital_workshop_count", 21, "2023", "actual"),
        },
    ),
    (
        "巴南",
        "2023年,巴南区规上工业产值、增加值分别增长8.2%和7.5%。",
        D(2024, 3, 15),
        {
            ("巴南区", "industrial_output_growth", 8.2, "2023", "actual"),
            ("巴南区", "industrial_value_added_growth", 7.5, "2023", "actual"),
        },
    ),
    (
        "武隆",
        "武隆区2023年亩均税收达到12.5万元。",
        D(2024, 3, 15),
        {("武隆区", "tax_per_mu", 125000, "2023", "actual")},
    ),
]

BATCH2 = [
    (
        "长寿经开区",
        "今年1-6月,长寿经开区实现规上工业产值586亿元,同比增长7.3%;其中,新材料产业产值312亿元,增长9.1%。",
        D(2024, 7, 25),
        {
            ("长寿经开区", "industrial_output", 5.86e10, "2024-01..2024-06", "actual"),
            ("长寿经开区", "industrial_output_growth", 7.3, "2024-01..2024-06", "actual"),
            ("长寿经开区", "industry_output", 3.12e10, "2024-01..2024-06", "actual"),
            ("长寿经开区", "industry_output_growth", 9.1, "2024-01..2024-06", "actual"),
        },
    ),
    (
        "重庆市",
        "2023年,全市规上工业增加值增长6.6%,其中汽车产业增长11.3%、电子产业增长2.4%。",
        D(2024, 1, 25),
        {
            ("重庆市", "industrial_value_added_growth", 6.6, "2023", "actual"),
            ("重庆市", "industry_value_added_growth", 11.3, "2023", "actual"),
            ("重庆市", "industry_value_added_growth", 2.4, "2023", "actual"),
        },
    ),
    (
        "江北区",
        "江北区1-9月工业投资同比增长25.6%,技改投资增长31.2%,分别高于全市12.1个和15.3个百分点。",
        D(2023, 10, 20),
        {
            ("江北区", "industrial_investment_growth", 25.6, "2023-01..2023-09", "actual"),
            ("江北区", "tech_renovation_investment_growth", 31.2, "2023-01..2023-09", "actual"),
        },
    ),
    (
        "璧山",
        "力争到2025年,璧山区规上工业企业突破800家,规上工业产值达到2000亿元。",
        D(2023, 3, 1),
        {
            ("璧山区", "enterprise_count", 800, "2025", "target"),
            ("璧山区", "industrial_output", 2e11, "2025", "target"),
        },
    ),
    (
        "荣昌区",
        "荣昌区2023年新增国家级专精特新“小巨人”企业3家,累计达到8家。",
        D(2024, 2, 1),
        {
            ("荣昌区", "new_little_giant_count", 3, "2023", "actual"),
            ("荣昌区", "little_giant_count", 8, "2023", "actual"),
        },
    ),
    (
        "綦江区",
        "重庆博赛矿业集团年产50万吨铝材项目在綦江区开工,项目总投资35亿元,达产后年产值可达60亿元。",
        D(2023, 5, 1),
        {
            ("重庆博赛矿业集团", "project_investment", 3.5e9, None, "target"),
            ("重庆博赛矿业集团", "project_output", 6e9, None, "target"),
        },
    ),
    (
        "涪陵",
        "涪陵区聚力打造千亿级先进材料产业集群。",
        D(2023, 5, 1),
        {("涪陵区", "industry_output", 1e11, None, "target")},
    ),
    (
        "大足",
        "2023年,大足區(qū)規(guī)上工業(yè)增加值增長(zhǎng)9.2%。",
        D(2024, 2, 1),
        {("大足区", "industrial_value_added_growth", 9.2, "2023", "actual")},
    ),
    (
        "两江新区",
        "一季度,两江新区实现地区生产总值1020亿元,同比增长6.2%;规上工业产值1350亿元,增长8.8%。",
        D(2024, 4, 20),
        {
            ("两江新区", "gdp", 1.02e11, "2024-01..2024-03", "actual"),
            ("两江新区", "gdp_growth", 6.2, "2024-01..2024-03", "actual"),
            ("两江新区", "industrial_output", 1.35e11, "2024-01..2024-03", "actual"),
            ("两江新区", "industrial_output_growth", 8.8, "2024-01..2024-03", "actual"),
        },
    ),
    (
        "万州区",
        "万州区今年前三季度规上工业企业实现利润总额18.7亿元,同比增长21.4%。",
        D(2023, 10, 30),
        {("万州区", "profit", 1.87e9, "2023-01..2023-09", "actual")},
    ),
    (
        "九龙坡",
        "截至2023年底,九龙坡区共有高新技术企业836家、科技型企业2915家。",
        D(2024, 2, 1),
        {
            ("九龙坡区", "high_tech_enterprise_count", 836, "as_of:2023-12", "actual"),
            ("九龙坡区", "tech_enterprise_count", 2915, "as_of:2023-12", "actual"),
        },
    ),
    (
        "永川",
        "2023年,永川区数字经济核心产业增加值增长12.6%,占GDP比重为8.5%。",
        D(2024, 2, 1),
        {("永川区", "industry_value_added_growth", 12.6, "2023", "actual")},
    ),
    (
        "西安",
        "2023年,西安市汽车产量突破100万辆,同比增长11.2%,其中新能源汽车产量达到84.7万辆。",
        D(2024, 1, 20),
        {
            ("西安市", "vehicle_production", 1e6, "2023", "actual"),
            ("西安市", "vehicle_production_growth", 11.2, "2023", "actual"),
            ("西安市", "nev_production", 847000, "2023", "actual"),
        },
    ),
    (
        "江津区",
        "江津区2023年实现工业总产值2150亿元,比上年增长8.1%,其中规上工业总产值1820亿元。",
        D(2024, 2, 1),
        {
            ("江津区", "industrial_output", 2.15e11, "2023", "actual"),
            ("江津区", "industrial_output_growth", 8.1, "2023", "actual"),
            ("江津区", "industrial_output", 1.82e11, "2023", "actual"),
        },
    ),
    (
        "南岸",
        "全区规上工业增加值增速较一季度提高2.1个百分点。2023年上半年,南岸区规上工业增加值增长4.5%。",
        D(2023, 7, 20),
        {("南岸区", "industrial_value_added_growth", 4.5, "2023-01..2023-06", "actual")},
    ),
    (
        "巴南区",
        "巴南区生物医药产业今年1-8月实现产值98.6亿元,同比增长14.3%,产值占全区规上工业比重达到18.2%。",
        D(2023, 9, 20),
        {
            ("巴南区", "industry_output", 9.86e9, "2023-01..2023-08", "actual"),
            ("巴南区", "industry_output_growth", 14.3, "2023-01..2023-08", "actual"),
            ("巴南区", "industry_share_of_output", 18.2, "2023-01..2023-08", "actual"),
        },
    ),
    (
        "沙坪坝",
        "2023年,沙坪坝区实现规上工业产值1036.5亿元,同比增长6.2%,总量居全市第5位。",
        D(2024, 2, 1),
        {
            ("沙坪坝区", "industrial_output", 1.0365e11, "2023", "actual"),
            ("沙坪坝区", "industrial_output_growth", 6.2, "2023", "actual"),
        },
    ),
    (
        "合川",
        "合川区2023年工业投资增长15.8%,其中制造业投资增长18.2%,民间投资增长6.3%。",
        D(2024, 2, 1),
        {
            ("合川区", "industrial_investment_growth", 15.8, "2023", "actual"),
            ("合川区", "manufacturing_investment_growth", 18.2, "2023", "actual"),
            ("合川区", "private_investment_growth", 6.3, "2023", "actual"),
        },
    ),
    (
        "长寿",
        "2023年,长寿区规上工业总产值达到1200亿元,居全市第二;全区常住人口增加1.2万人。",
        D(2024, 2, 1),
        {("长寿区", "industrial_output", 1.2e11, "2023", "actual")},
    ),
    (
        "丰都",
        "2023年丰都县引进项目86个,签约金额达到320亿元。",
        D(2024, 2, 1),
        {
            ("丰都县", "introduced_project_count", 86, "2023", "actual"),
            ("丰都县", "attracted_investment", 3.2e10, "2023", "actual"),
        },
    ),
]


@pytest.mark.parametrize(
    "title,body,date,expected", BATCH1 + BATCH2, ids=lambda x: x if isinstance(x, str) and len(x) < 12 else ""
)
def test_sentence(title, body, date, expected):
    facts = extract(read_article(data=f"# title: {title}\n{body}\n".encode(), article_id="u", published=date))
    got = {(f.entity, f.metric, round(f.value, 4), f.period, f.kind) for f in facts}
    want = {(a, b, round(float(c), 4), d, k) for a, b, c, d, k in expected}
    assert got == want, (body, sorted(want - got), sorted(got - want))


ARTICLES = [
    (
        """# source: http://www.cqhc.gov.cn/zwxx/2023-08/15/content_123.html
# title: 合川区上半年工业经济运行情况
首页 > 政务公开 > 统计信息
合川区上半年工业经济运行情况
发布时间：2023-08-15 来源：区经济信息委
上半年,全区工业经济保持平稳增长。规上工业企业实现总产值686.2亿元,同比增长7.9%;规上工业增加值同比增长8.3%,高于全市平均水平1.6个百分点。
分行业看,装备制造产业实现产值212.5亿元,增长11.2%;食品产业实现产值98.3亿元,增长4.6%。
工业投资完成112亿元,同比增长21.4%,其中技改投资增长25.7%。
截至6月底,全区规上工业企业达到512家,上半年新增规上工业企业23家。
责任编辑：王红
""",
        None,
        {
            ("合川区", "industrial_output", 6.862e10, "2023-01..2023-06", "actual"),
            ("合川区", "industrial_output_growth", 7.9, "2023-01..2023-06", "actual"),
            ("合川区", "industrial_value_added_growth", 8.3, "2023-01..2023-06", "actual"),
            ("合川区", "industry_output", 2.125e10, "2023-01..2023-06", "actual"),
            ("合川区", "industry_output_growth", 11.2, "2023-01..2023-06", "actual"),
            ("合川区", "industry_output", 9.83e9, "2023-01..2023-06", "actual"),
            ("合川区", "industry_output_growth", 4.6, "2023-01..2023-06", "actual"),
            ("合川区", "industrial_investment", 1.12e10, "2023-01..2023-06", "actual"),
            ("合川区", "industrial_investment_growth", 21.4, "2023-01..2023-06", "actual"),
            ("合川区", "tech_renovation_investment_growth", 25.7, "2023-01..2023-06", "actual"),
            ("合川区", "enterprise_count", 512, "as_of:2023-06", "actual"),
            ("合川区", "new_enterprise_count", 23, "2023-01..2023-06", "actual"),
        },
    ),
    (
        """# source: https://www.example.gov.cn/news/2024/0125/88.html
# title: 2023年芜湖市工业经济成绩单出炉
2023年,芜湖市规模以上工业增加值同比增长9.1%,增速居全省第2位。全市规上工业总产值突破6000亿元。
分区域看,鸠江区、弋江区规上工业增加值分别增长12.3%和8.7%。
全市新增国家级专精特新“小巨人”企业15家,累计达到52家。
""",
        None,
        {
            ("芜湖市", "industrial_value_added_growth", 9.1, "2023", "actual"),
            ("芜湖市", "industrial_output", 6e11, "2023", "actual"),
            ("鸠江区", "industrial_value_added_growth", 12.3, "2023", "actual"),
            ("弋江区", "industrial_value_added_growth", 8.7, "2023", "actual"),
            ("芜湖市", "new_little_giant_count", 15, "2023", "actual"),
            ("芜湖市", "little_giant_count", 52, "as_of:2024-01", "actual"),
        },
    ),
    (
        """# title: 璧山高新區(qū)一季度簽約項目12個
璧山高新區一季度新簽約工業項目12個,協議引資86.5億元,其中智能網聯新能源汽車項目7個。
1-3月,高新區規上工業產值同比增長15.2%,完成工業投資28.6億元。
""",
        D(2024, 4, 10),
        {
            ("璧山高新区", "introduced_project_count", 12, "2024-01..2024-03", "actual"),
            ("璧山高新区", "attracted_investment", 8.65e9, "2024-01..2024-03", "actual"),
            ("璧山高新区", "introduced_project_count", 7, "2024-01..2024-03", "actual"),
            ("璧山高新区", "industrial_output_growth", 15.2, "2024-01..2024-03", "actual"),
            ("璧山高新区", "industrial_investment", 2.86e9, "2024-01..2024-03", "actual"),
        },
    ),
    (
        """# title: 长安汽车两江工厂产量创新高
今年前三季度,长安汽车两江工厂累计生产整车28.6万辆,实现产值312亿元,同比增长18.5%。
该工厂负责人表示,预计全年产值将突破420亿元。
""",
        D(2024, 10, 20),
        {
            ("长安汽车两江工厂", "vehicle_production", 286000, "2024-01..2024-09", "actual"),
            ("长安汽车两江工厂", "enterprise_output", 3.12e10, "2024-01..2024-09", "actual"),
            ("长安汽车两江工厂", "enterprise_output_growth", 18.5, "2024-01..2024-09", "actual"),
            ("长安汽车两江工厂", "enterprise_output", 4.2e10, "2024", "target"),
        },
    ),
    (
        """# title: 去年绵阳市工业增加值增长8.4%
2024-02-03 10:21 来源：绵阳日报
2023年,绵阳市规上工业增加值增长8.4%,高于全省2.3个百分点,居全省第3位。其中,电子信息产业增加值增长12.1%,占全市规上工业比重达到35.6%。
全年工业投资增长15.2%,技改投资增长18.7%。全市拥有高新技术企业1012家。
社会消费品零售总额增长7.2%,城镇居民人均可支配收入增长5.1%。
""",
        None,
        {
            ("绵阳市", "industrial_value_added_growth", 8.4, "2023", "actual"),
            ("绵阳市", "industry_value_added_growth", 12.1, "2023", "actual"),
            ("绵阳市", "industry_share_of_value_added", 35.6, "2023", "actual"),
            ("绵阳市", "industrial_investment_growth", 15.2, "2023", "actual"),
            ("绵阳市", "tech_renovation_investment_growth", 18.7, "2023", "actual"),
            ("绵阳市", "high_tech_enterprise_count", 1012, "as_of:2024-02", "actual"),
        },
    ),
    (
        """# title: 前10月綦江区工业经济稳中向好
1—10月,綦江区规上工业总产值完成486.3亿元,同比增长6.8%。
10月当月,规上工业增加值增长9.2%。
""",
        None,
        {
            ("綦江区", "industrial_output", 4.863e10, "????-01..????-10", "actual"),
            ("綦江区", "industrial_output_growth", 6.8, "????-01..????-10", "actual"),
            ("綦江区", "industrial_value_added_growth", 9.2, "????-10..????-10", "actual"),
        },
    ),
]


@pytest.mark.parametrize("text,published,expected", ARTICLES, ids=[f"article{i}" for i in range(len(ARTICLES))])
def test_article(text, published, expected):
    facts = extract(read_article(data=text.encode("utf-8"), article_id="a", published=published))
    got = {(f.entity, f.metric, round(f.value, 4), f.period, f.kind) for f in facts}
    want = {(a, b, round(float(c), 4), d, k) for a, b, c, d, k in expected}
    assert got == want, (sorted(want - got), sorted(got - want))


ARTICLES_4 = [
    (
        """# source: http://tjj.example.gov.cn/tjsj/202310/t20231025_555.html
# title: 2023年1-9月南川区工业经济运行简析
一、工业生产稳中有升
1-9月,全区规模以上工业增加值同比增长6.4%,较上半年提高0.8个百分点。规模以上工业企业实现总产值312.6亿元,同比增长5.1%。
二、重点行业支撑有力
分行业看,材料行业产值增长9.8%,能源行业产值下降3.5%。
三、工业投资较快增长
1-9月,全区工业投资同比增长16.2%,占全区固定资产投资的比重为38.4%。
""",
        None,
        {
            ("南川区", "industrial_value_added_growth", 6.4, "2023-01..2023-09", "actual"),
            ("南川区", "industrial_output", 3.126e10, "2023-01..2023-09", "actual"),
            ("南川区", "industrial_output_growth", 5.1, "2023-01..2023-09", "actual"),
            ("南川区", "industry_output_growth", 9.8, "2023-01..2023-09", "actual"),
            ("南川区", "industry_output_growth", -3.5, "2023-01..2023-09", "actual"),
            ("南川区", "industrial_investment_growth", 16.2, "2023-01..2023-09", "actual"),
        },
    ),
    (
        """# title: 铜梁区召开工业发展大会
2024年3月20日,铜梁区召开工业高质量发展大会。会议提出,到2027年,全区规上工业产值力争突破1500亿元,规上工业企业达到600家,培育专精特新企业100家以上。
2023年,铜梁区规上工业产值达到1021亿元,同比增长9.6%。
""",
        None,
        {
            ("铜梁区", "industrial_output", 1.5e11, "2027", "target"),
            ("铜梁区", "enterprise_count", 600, "2027", "target"),
            ("铜梁区", "specialized_sme_count", 100, "2027", "target"),
            ("铜梁区", "industrial_output", 1.021e11, "2023", "actual"),
            ("铜梁区", "industrial_output_growth", 9.6, "2023", "actual"),
        },
    ),
    (
        """# title: 宜賓市前三季度工業經濟穩步增長
今(jīn)年(nián)前三季度,宜(yí)賓(bīn)市(shì)規(guī)模以上工業(yè)增加值同比增長(zhǎng)9.1%,其中動(dòng)力電池產(chǎn)業(yè)增加值增長(zhǎng)35.2%。
""",
        D(2023, 10, 28),
        {
            ("宜宾市", "industrial_value_added_growth", 9.1, "2023-01..2023-09", "actual"),
            ("宜宾市", "industry_value_added_growth", 35.2, "2023-01..2023-09", "actual"),
        },
    ),
    (
        """# title: 上半年全省工业经济运行情况
上半年,四川省规模以上工业增加值同比增长4.9%。分地区看,成都市、绵阳市、宜宾市规上工业增加值分别增长3.6%、5.8%和10.2%。
""",
        D(2023, 7, 25),
        {
            ("四川省", "industrial_value_added_growth", 4.9, "2023-01..2023-06", "actual"),
            ("成都市", "industrial_value_added_growth", 3.6, "2023-01..2023-06", "actual"),
            ("绵阳市", "industrial_value_added_growth", 5.8, "2023-01..2023-06", "actual"),
            ("宜宾市", "industrial_value_added_growth", 10.2, "2023-01..2023-06", "actual"),
        },
    ),
    (
        """# title: 赛力斯超级工厂二期项目开工
4月10日,赛力斯汽车超级工厂二期项目在两江新区开工建设。项目总投资55亿元,建成后将新增年产能20万辆,达产后预计年产值超过600亿元。
""",
        D(2024, 4, 11),
        {
            ("赛力斯汽车超级工厂二期项目", "project_investment", 5.5e9, None, "target"),
            ("赛力斯汽车超级工厂二期项目", "project_output", 6e10, None, "target"),
        },
    ),
    (
        """# title: 开州区经济运行情况
2023年,开州区实现地区生产总值638.5亿元,同比增长6.1%,增速排全市第8位。全区规上工业增加值增长8.3%,对经济增长的贡献率达到28.6%,拉动经济增长1.7个百分点。
全区常住人口118.3万人,城镇化率54.2%。全年完成固定资产投资增长4.2%。
""",
        D(2024, 2, 1),
        {
            ("开州区", "gdp", 6.385e10, "2023", "actual"),
            ("开州区", "gdp_growth", 6.1, "2023", "actual"),
            ("开州区", "industrial_value_added_growth", 8.3, "2023", "actual"),
            ("开州区", "fixed_asset_investment_growth", 4.2, "2023", "actual"),
        },
    ),
    (
        """# title: 重庆市新增一批国家级智能制造示范工厂
记者从市经济信息委获悉,今年我市新增国家级智能制造示范工厂5个,截至目前,全市累计建成国家级智能制造示范工厂15个、市级智能工厂267个、数字化车间1363个。
""",
        D(2024, 12, 10),
        {
            ("重庆市", "new_national_smart_factory_count", 5, "2024", "actual"),
            ("重庆市", "national_smart_factory_count", 15, "as_of:2024-12", "actual"),
            ("重庆市", "smart_factory_count", 267, "as_of:2024-12", "actual"),
            ("重庆市", "digital_workshop_count", 1363, "as_of:2024-12", "actual"),
        },
    ),
    (
        """# title: 一季度经开区工业经济开门红
一季度,宜宾经开区规上工业总产值同比增长18.6%,工业投资增长32.1%,新入规企业8家。
""",
        None,
        {
            ("宜宾经济技术开发区", "industrial_output_growth", 18.6, "????-01..????-03", "actual"),
            ("宜宾经济技术开发区", "industrial_investment_growth", 32.1, "????-01..????-03", "actual"),
            ("宜宾经济技术开发区", "new_enterprise_count", 8, "????-01..????-03", "actual"),
        },
    ),
]


@pytest.mark.parametrize(
    "text,published,expected",
    [
        pytest.param(*a, marks=pytest.mark.xfail(reason="经开区 is not expanded to 经济技术开发区", strict=True))
        if "宜宾经开区" in a[0]
        else a
        for a in ARTICLES_4
    ],
    ids=[f"article4_{i}" for i in range(len(ARTICLES_4))],
)
def test_article_batch4(text, published, expected):
    facts = extract(read_article(data=text.encode("utf-8"), article_id="a", published=published))
    got = {(norm_entity(f.entity), f.metric, round(f.value, 4), f.period, f.kind) for f in facts}
    want = {(norm_entity(a), b, round(float(c), 4), d, k) for a, b, c, d, k in expected}
    assert got == want, (sorted(want - got, key=str), sorted(got - want, key=str))
