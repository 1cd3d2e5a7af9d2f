"""Who a figure belongs to (ingest/news/subject.py): the specification table.

Each row: a text, the figure as written, and the entity the fact schema gives it (None: left out)."""

import datetime as dt

import pytest

from news_spec import fact_of

D = dt.date(2024, 7, 1)
PARK = "梁平工业园区一季度经济运行分析"  # a title naming a park, not its district
CITY = "重庆市上半年工业经济运行"  # a city's article that names its districts
GANZHOU = "赣州市工业园区经济运行情况"  # a city's parks taken together
FULING = "涪陵区工业经济运行情况"  # a district with a high-tech zone in the policy pack (涪陵高新区)

TABLE = [
    # a name before the figure in its clause or sentence
    ("2023年,长寿区规上工业总产值突破1000亿元。", "1000亿元", "长寿区"),
    # 全区 is the article's place (here the title's)
    ("今年1月至5月,全区技改投资增长19.7%。", "19.7%", "璧山区"),
    # the subject carries across clauses
    ("一季度,荣昌区完成工业投资45.3亿元,同比下降3.2%。", "3.2%", "荣昌区"),
    # a park's figures are the park's; 全区 in a park's article is the district the park is named after
    ("梁平工业园区一季度实现工业总产值7亿元。全区工业投资增长12%。", "7亿元", "梁平工业园区", PARK),
    ("梁平工业园区一季度实现工业总产值7亿元。全区工业投资增长12%。", "12%", "梁平区", PARK),
    # a park written with its county's old full name keeps the place's short name; 我县工业园区 is that park
    ("荣昌县工业园区一季度发展良好。今年1—3月,我县工业园区实现工业总产值76.61亿元。", "76.61亿元", "荣昌工业园区"),
    # …and a county's 县工业园区 the text never names is the park named after the county
    ("上半年,县工业园区完成规上工业产值120亿元。", "120亿元", "忠县工业园区", "忠县工业经济运行"),
    ("今年1-6月,我县规上工业产值增长10%,其中工业园区增长12%。", "12%", "忠县工业园区", "忠县工业经济运行"),
    ("今年1-6月,我县规上工业产值增长10%,其中工业园区增长12%。", "10%", "忠县", "忠县工业经济运行"),
    (
        "该县工业园区是全县工业发展的主战场。去年,园区实现规上工业产值310亿元。",
        "310亿元",
        "忠县工业园区",
        "忠县工业经济运行",
    ),
    # a title that names a park after its district is about the park
    ("上半年,园区实现规上工业产值320亿元。", "320亿元", "德感工业园", "江津区德感工业园上半年经济运行"),
    # a company is the subject of its own output and tax
    ("去年,重庆凯纳光电科技有限公司实现产值86.4亿元,入库税金2.1亿元。", "2.1亿元", "重庆凯纳光电科技有限公司"),
    # a company introduced by its role (作为…龙头,X…) is the subject of its own output
    ("作为全区工业龙头,长安福特上半年实现产值120亿元,同比增长15%。", "15%", "长安福特"),
    ("作为全市工业重镇,江津区上半年实现产值120亿元。", "120亿元", "江津区"),
    # a company drives the district's industry: the industry's figure is the district's
    ("该企业的投产带动全区新材料产业实现产值320亿元。", "320亿元", "璧山区"),
    # 该企业 is the company the sentence before introduces by a name the gazetteer does not know (X是…企业);
    # a company the text never names is no one's: never the place's
    ("星辰电子是全区的龙头企业。今年上半年,该企业实现产值32亿元,同比增长19%。", "32亿元", "星辰电子"),
    ("星辰电子是全区的龙头企业。今年上半年,该企业实现产值32亿元,同比增长19%。", "19%", "星辰电子"),
    ("今年上半年,该企业实现产值32亿元,带动全区电子产业实现产值120亿元。", "32亿元", None),
    ("今年上半年,该企业实现产值32亿元,带动全区电子产业实现产值120亿元。", "120亿元", "璧山区"),
    # a stated group of firms whose figure follows is an enterprise group, and stays the subject of its growth
    ("45家规模以上工业专精特新企业实现产值161.8亿元,增长3.7%。", "3.7%", "璧山区45家规模以上工业专精特新企业"),
    # …also when the group closes the clause before the figure's
    ("入驻园区共计6家总部结算平台企业,实现入库税金6567万元。", "6567万元", "璧山区6家总部结算平台企业"),
    ("全区5家龙头企业,累计实现产值120亿元,增长8%。", "8%", "璧山区5家龙头企业"),
    # …but all the firms above designated size are the place's industry
    ("134家规模以上工业企业实现总产值1368.4亿元。", "1368.4亿元", "璧山区"),
    # a benchmark in brackets is the benchmark place's figure
    ("规上工业增加值增长10.9%,高于郑州市平均增速(7.9%)3个百分点。", "7.9%", "郑州市"),
    # an autonomous prefecture (该州) is the prefecture named before
    (
        "文山壮族苗族自治州地处云南省东大门。陈明表示,该州地区生产总值从478亿元增加到1299亿元。",
        "1299亿元",
        "文山壮族苗族自治州",
    ),
    # 该公司 in a text that names the company only in its title is that company
    (
        "该公司去年实现营业收入56.8亿元,同比增长23.5%。",
        "56.8亿元",
        "重庆青山工业有限责任公司",
        "重庆青山工业有限责任公司一季度产值增长",
    ),
    # the short names listed beside a company are companies
    ("三一集团、山河智能、中联工起、铁建重工产值比上年分别增长22.7%、35.7%、19.5%、7.8%。", "19.5%", "中联工起"),
    # a park found by its form is in the city its name starts with (not the pack's city by default); the
    # city's parks taken together (全市工业园区) are one park entity (news-dev's convention)
    (
        "1-7月,全市工业园区实现主营业务收入1520.3亿元。上饶经济技术开发区实现主营业务收入580.2亿元。",
        "1520.3亿元",
        "上饶市工业园区",
        "园区",
    ),
    # …and a bare 经开区/高新区 in an article about the city's parks together is that city's zone
    ("1-9月,全市工业园区实现营业收入820亿元。其中,经开区实现营业收入300亿元。", "300亿元", "赣州经开区", GANZHOU),
    ("1-9月,全市工业园区实现营业收入820亿元。其中,高新区实现营业收入200亿元。", "200亿元", "赣州高新区", GANZHOU),
    # places listed each with its own figure (A增长12%、B增长10%) own them; a second 分别 keeps the first one's places
    ("上半年,全市规上工业增加值增长8%。分区县看,璧山区增长12%、江津区增长10%、永川区增长9%。", "10%", "江津区", CITY),
    ("上半年,全市规上工业增加值增长8%。分区县看,璧山区增长12%、江津区增长10%、永川区增长9%。", "8%", "重庆市", CITY),
    ("上半年,璧山区、江津区规上工业产值分别达到600亿元和800亿元,分别增长12%和10%。", "10%", "江津区", CITY),
    # a zone keeps the short name it is written with
    ("2022年,万盛经开区实现规上工业总产值305.6亿元。", "305.6亿元", "万盛经开区"),
    ("其中,成都经开区实现规上工业总产值1603.2亿元。", "1603.2亿元", "成都经开区"),
    # a district's park told as 该区高新区, 区内X园区: the park the pack knows in that district, not the district
    ("2023年,涪陵区规上工业总产值突破1500亿元。该区高新区实现规上工业产值600亿元。", "600亿元", "涪陵高新区", FULING),
    ("2023年,涪陵区规上工业总产值突破1500亿元。区内高新区实现产值600亿元,增长10%。", "10%", "涪陵高新区", FULING),
    ("2023年,涪陵区规上工业总产值突破1500亿元。区内白涛新材料科技城实现产值300亿元。", "300亿元", "白涛新材料科技城"),
    ("2023年,涪陵区规上工业总产值突破1500亿元,其中区内临港经济区实现产值200亿元。", "200亿元", "临港经济区"),
    ("2023年,涪陵区规上工业总产值突破1500亿元。该区涪陵高新区实现产值600亿元。", "600亿元", "涪陵高新区"),
    ("2023年,涪陵区规上工业总产值突破1500亿元。该区高新区实现规上工业产值600亿元。", "1500亿元", "涪陵区", FULING),
    # …only a park the pack knows: a district's zone the pack does not list leaves the figure to the district
    ("2023年,璧山区规上工业总产值突破1500亿元。该区高新区实现产值600亿元。", "600亿元", "璧山区"),
    # a place the sentence opens with (在X,) is its subject
    ("在璧山高新区,今年上半年规上工业产值达到600亿元。", "600亿元", "璧山高新区"),
    # the projects a place signs are the place's; a named project is its own
    ("会上举行了奉节县眼镜项目集中签约仪式。此次共签约10个项目,总投资13.8亿元。", "13.8亿元", "奉节县"),
    ("其中,奉节县隐形眼镜制造全产业链项目总投资2亿元。", "2亿元", "奉节县隐形眼镜制造全产业链项目"),
]


@pytest.mark.parametrize("row", TABLE, ids=[f"{r[1]} {r[2]}" for r in TABLE])
def test_entity(row):
    text, figure, entity, *title = row
    c = fact_of(text, figure, D, **({"title": title[0]} if title else {}))
    assert (c.entity.name if c is not None else None) == entity
