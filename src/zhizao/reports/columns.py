"""The columns of every report table: header in Chinese and English with its unit, and how the number is kept.

One list per table, so the workbook and the PDF print the same headers; `web/briefing/gather.py` fills the rows.
"""

from __future__ import annotations

from .model import Col

# ------------------------------------------------------------------------------------------------ overview
HEADLINE = [
    Col("metric", "指标", "Measure"),
    Col("value", "数值", "Value", "row"),
    Col("unit_text", "单位", "Unit"),
    Col("growth", "同比增长", "Year-on-year growth", "pct"),
    Col("share", "占全市比重", "Share of the city", "pct"),
]
# (figure key, zh, en, row unit, unit text zh, unit text en)
HEADLINE_METRICS = [
    ("firms", "企业数", "Enterprises", "int", "家", "firms"),
    ("output_value", "工业总产值", "Industrial output", "yi", "亿元", "100 m yuan"),
    ("value_added", "工业增加值", "Value added", "yi", "亿元", "100 m yuan"),
    ("revenue", "营业收入", "Revenue", "yi", "亿元", "100 m yuan"),
    ("tax", "税收", "Tax", "yi", "亿元", "100 m yuan"),
    ("profit", "利润总额", "Profit", "yi", "亿元", "100 m yuan"),
    ("fixed_investment", "工业投资", "Industrial investment", "yi", "亿元", "100 m yuan"),
    ("tech_renovation_investment", "技改投资", "Technical-renovation investment", "yi", "亿元", "100 m yuan"),
    ("rd_expense", "研发费用", "R&D expense", "yi", "亿元", "100 m yuan"),
    ("employees", "从业人员", "Employees", "int", "人", "persons"),
    ("land_mu", "用地面积", "Land", "num", "亩", "mu"),
    ("energy_tce", "综合能耗", "Energy use", "num", "吨标准煤", "tce"),
]
# The same figures in the 规上 scope (analytics/scale.py: above-scale industrial firm-years, and sections without a
# size rule counted whole) — what the clusters instrument's figures hold and what published 规上 figures compare with
ABOVE_SCALE_METRICS = {
    "firms": ("规上口径企业数", "Enterprises in the above-scale scope"),
    "above_scale_firms": ("规上工业企业数", "Above-scale industrial enterprises"),
    "output_value": ("规上工业总产值", "Above-scale industrial output"),
    "value_added": ("规上工业增加值", "Above-scale value added"),
    "revenue": ("营业收入（规上）", "Revenue (above scale)"),
    "tax": ("税收（规上）", "Tax (above scale)"),
    "profit": ("利润总额（规上）", "Profit (above scale)"),
    "fixed_investment": ("工业投资（规上）", "Industrial investment (above scale)"),
    "tech_renovation_investment": ("技改投资（规上）", "Technical-renovation investment (above scale)"),
    "rd_expense": ("研发费用（规上）", "R&D expense (above scale)"),
    "employees": ("从业人员（规上）", "Employees (above scale)"),
    "land_mu": ("用地面积（规上）", "Land (above scale)"),
    "energy_tce": ("综合能耗（规上）", "Energy use (above scale)"),
}
SERIES = [
    Col("year", "年份", "Year", "text", width=8),
    Col("firms", "企业数", "Enterprises", "int", "家", "firms"),
    Col("output_value", "工业总产值", "Industrial output", "yi"),
    Col("output_value_growth", "产值增速", "Output growth", "pct"),
    Col("value_added", "工业增加值", "Value added", "yi"),
    Col("revenue", "营业收入", "Revenue", "yi"),
    Col("tax", "税收", "Tax", "yi"),
    Col("fixed_investment", "工业投资", "Industrial investment", "yi"),
]
DISTRICTS = [
    Col("region_name", "区县", "District"),
    Col("group_name", "所属片区", "Group"),
    Col("firms", "企业数", "Enterprises", "int", "家", "firms"),
    Col("output_value", "工业总产值", "Industrial output", "yi"),
    Col("output_value_growth", "产值增速", "Output growth", "pct"),
    Col("output_value_share", "占全市产值比重", "Share of city output", "pct"),
    Col("value_added", "工业增加值", "Value added", "yi"),
    Col("tax", "税收", "Tax", "yi"),
    Col("fixed_investment", "工业投资", "Industrial investment", "yi"),
    Col("fixed_investment_share", "占全市投资比重", "Share of city investment", "pct"),
]
GROUPS = [
    Col("region_name", "片区", "Group"),
    Col("firms", "企业数", "Enterprises", "int", "家", "firms"),
    Col("output_value", "工业总产值", "Industrial output", "yi"),
    Col("output_value_share", "占全市产值比重", "Share of city output", "pct"),
    Col("revenue_share", "占全市营业收入比重", "Share of city revenue", "pct"),
    Col("fixed_investment_share", "占全市工业投资比重", "Share of city investment", "pct"),
]

# ------------------------------------------------------------------------------------------------ clusters
# the clusters instrument's figures are 规上 (measures.cells): the headers say so
CLUSTERS = [
    Col("cluster_name", "产业集群", "Cluster"),
    Col("system_name", "集群体系", "System"),
    Col("tier_name", "层级", "Tier"),
    Col("firms", "规上口径企业数", "Enterprises in the above-scale scope", "int", "家", "firms"),
    Col("above_scale_firms", "规上工业企业数", "Above-scale industrial firms", "int", "家", "firms", optional=True),
    Col("output_value", "规上产值", "Above-scale output", "yi"),
    Col("output_value_growth", "规上产值增速", "Above-scale output growth", "pct"),
    Col("output_value_share_of_region", "占本地区规上产值比重", "Share of the area's above-scale output", "pct"),
    Col("output_value_share_of_city", "占全市该集群比重", "Share of the cluster city-wide", "pct"),
    Col("value_added", "规上增加值", "Above-scale value added", "yi"),
    Col("tax", "税收（规上）", "Tax (above scale)", "yi"),
    Col("fixed_investment", "工业投资（规上）", "Industrial investment (above scale)", "yi"),
    Col("tech_renovation_investment", "技改投资（规上）", "Technical renovation (above scale)", "yi"),
]
CONTRIBUTIONS = [
    Col("region_name", "区县", "District"),
    Col("firms", "规上口径企业数", "Enterprises in the above-scale scope", "int", "家", "firms"),
    Col("output_value", "规上产值", "Above-scale output", "yi"),
    Col("output_value_growth", "规上产值增速", "Above-scale output growth", "pct"),
    Col("output_value_share_of_city", "占全市该集群比重", "Share of the cluster city-wide", "pct"),
    Col("output_value_share_of_region", "占本区县规上产值比重", "Share of the district's above-scale output", "pct"),
    Col("value_added", "规上增加值", "Above-scale value added", "yi"),
    Col("tax", "税收（规上）", "Tax (above scale)", "yi"),
]

# ------------------------------------------------------------------------------------------------ targets
TARGETS = [
    Col("scope_name", "范围", "Scope"),
    Col("label", "目标", "Target"),
    Col("target_value", "目标值", "Target value", "row"),
    Col("unit_text", "单位", "Unit"),
    Col("target_year", "目标年份", "Target year", "text", width=8),
    Col("actual_value", "最新实际值", "Latest actual", "row"),
    Col("actual_year", "实际值年份", "Year of actual", "text", width=8),
    Col("progress", "完成进度", "Progress", "pct"),
    Col("required_growth", "所需年均增速", "Required yearly growth", "pct"),
    Col("status_text", "状态", "Status"),
    Col("source_title", "来源", "Source"),
]

# ------------------------------------------------------------------------------------------------ 亩均
MUJUN_REGIONS = [
    Col("region_name", "区县", "District"),
    Col("firms", "参评企业", "Firms evaluated", "int", "家", "firms"),
    Col("rated", "已分类", "Classed", "int", "家", "firms"),
    Col("class_A", "A类", "Class A", "int", "家", "firms"),
    Col("class_B", "B类", "Class B", "int", "家", "firms"),
    Col("class_C", "C类", "Class C", "int", "家", "firms"),
    Col("class_D", "D类", "Class D", "int", "家", "firms"),
    Col("land_mu", "用地", "Land", "num", "亩", "mu"),
    Col("tax_per_mu", "亩均税收", "Tax per mu", "num", "万元/亩", "10k yuan per mu"),
    Col("value_added_per_mu", "亩均增加值", "Value added per mu", "num", "万元/亩", "10k yuan per mu"),
    Col(
        "value_added_per_energy", "单位能耗增加值", "Value added per energy", "num", "万元/吨标准煤", "10k yuan per tce"
    ),
    Col("labour_productivity", "全员劳动生产率", "Labour productivity", "num", "万元/人", "10k yuan per person"),
    Col("rd_ratio", "研发经费占比", "R&D share", "pct"),
    Col("mean_score", "平均得分", "Mean score", "num", "分", "points"),
]
MUJUN_CLASSES = [
    Col("class", "类别", "Class", width=6),
    Col("class_name", "类别名称", "Class name"),
    Col("firms", "企业数", "Firms", "int", "家", "firms"),
    Col("share_of_rated", "占已分类企业比重", "Share of classed firms", "pct"),
    Col("mean_score", "平均得分", "Mean score", "num", "分", "points"),
    Col("policy", "差别化政策", "Differentiated policy"),
]
MUJUN_FIRMS = [
    Col("rank_region", "区内排名", "Rank in district", "int"),
    Col("name", "企业名称", "Enterprise"),
    Col("uscc", "统一社会信用代码", "Credit code", width=20),
    Col("region_name", "区县", "District"),
    Col("industry_name", "行业", "Industry"),
    Col("class", "类别", "Class", width=6),
    Col("total_score", "综合得分", "Total score", "num", "分", "points"),
    Col("tax_per_mu", "亩均税收", "Tax per mu", "num", "万元/亩", "10k yuan per mu"),
    Col("value_added_per_mu", "亩均增加值", "Value added per mu", "num", "万元/亩", "10k yuan per mu"),
    Col("labour_productivity", "全员劳动生产率", "Labour productivity", "num", "万元/人", "10k yuan per person"),
    Col("rd_ratio", "研发经费占比", "R&D share", "pct"),
]

# ------------------------------------------------------------------------------------------------ ladder
LADDER_COUNTS = [
    Col("region_name", "区县", "District"),
    Col("tier_name", "梯度层级", "Tier"),
    Col("screened", "筛查企业", "Firms screened", "int", "家", "firms"),
    Col("holders", "已获认定", "Holders", "int", "家", "firms"),
    Col("candidates", "候选企业", "Candidates", "int", "家", "firms"),
    Col("confirmed", "确认达标", "Confirmed", "int", "家", "firms"),
    Col("not_met", "未达标", "Not met", "int", "家", "firms"),
]
LADDER_PIPELINE = [
    Col("tier_name", "梯度层级", "Tier"),
    Col("label", "目标", "Target"),
    Col("period", "期间", "Period", width=11),
    Col("target", "目标数", "Target", "int", "家", "firms"),
    Col("achieved", "已完成", "Achieved", "int", "家", "firms"),
    Col("gap", "差额", "Gap", "int", "家", "firms"),
    Col("candidates", "候选企业", "Candidates", "int", "家", "firms"),
    Col("confirmed", "确认达标", "Confirmed", "int", "家", "firms", optional=True),
    Col("needed_per_year", "每年需新增", "Needed per year", "num", "家", "firms"),
    Col("covered_text", "候选能否覆盖差额", "Candidates cover the gap"),
    Col("source_title", "来源", "Source"),
]
LADDER_FIRMS = [
    Col("name", "企业名称", "Enterprise"),
    Col("uscc", "统一社会信用代码", "Credit code", width=20),
    Col("region_name", "区县", "District"),
    Col("tier_name", "候选层级", "Candidate for"),
    Col("screen_text", "筛查结论", "Screening"),
    Col("met", "满足条件数", "Criteria met", "int"),
    Col("not_met", "未满足条件数", "Criteria not met", "int"),
    Col("unknown", "数据不足条件数", "Criteria unknown", "int"),
    Col("score_high", "得分（上限）", "Score (upper)", "num"),
]

# ------------------------------------------------------------------------------------------------ chains
CHAIN_SUMMARY = [
    Col("chain_name", "产业链", "Chain"),
    Col("region_name", "区县", "District"),
    Col("nodes", "环节数", "Nodes", "int"),
    Col("covered", "已覆盖", "Covered", "int"),
    Col("thin", "薄弱", "Thin", "int"),
    Col("gap", "缺失（补链）", "Gaps", "int"),
    Col("extend", "延链方向", "Next steps", "int"),
    Col("coverage", "覆盖率", "Coverage", "pct"),
]
CHAIN_NODES = [
    Col("chain_name", "产业链", "Chain"),
    Col("region_name", "区县", "District"),
    Col("node_name", "环节", "Node"),
    Col("stage_text", "位置", "Stage", width=8),
    Col("firms", "企业数", "Firms", "int", "家", "firms"),
    Col("leaders", "链主数", "Leaders", "int", "家", "firms"),
    Col("output", "产值", "Output", "yi"),
    Col("node_share", "占本链产值比重", "Share of chain output", "pct"),
    Col("expected_share", "应有比重", "Expected share", "pct"),
    Col("status_text", "状态", "Status"),
    Col("extend_text", "延链", "Next step"),
]
RECRUITMENT = [
    Col("rank", "序号", "Rank", "int", width=6),
    Col("region_name", "区县", "District"),
    Col("chain_name", "产业链", "Chain"),
    Col("node_name", "环节", "Node"),
    Col("action_text", "方向", "Action"),
    Col("firms", "本地企业", "Local firms", "int", "家", "firms"),
    Col("firms_elsewhere", "市内其他区县企业", "Firms elsewhere in the city", "int", "家", "firms"),
    Col("reason_text", "理由", "Reason", width=60),
]

# ------------------------------------------------------------------------------------------------ opportunities
OPPORTUNITIES = [
    Col("rank", "排名", "Rank", "int", width=6),
    Col("region_name", "区县", "District"),
    Col("kind_text", "类型", "Kind", width=8),
    Col("name", "方向", "Opportunity"),
    Col("quadrant_text", "象限", "Quadrant"),
    Col("score", "综合得分", "Score", "num4"),
    Col("rca", "显示性比较优势", "RCA", "num4"),
    Col("density", "关联密度", "Density", "num4"),
    Col("cog", "机会收益", "Opportunity gain", "num4"),
    Col("reason_text", "理由", "Reason", width=60),
]

# ------------------------------------------------------------------------------------------------ facts
FACTS = [
    Col("entity", "主体", "Entity"),
    Col("label", "指标", "Measure"),
    Col("value", "数值", "Value", "row"),
    Col("unit_text", "单位", "Unit"),
    Col("period_text", "时期", "Period"),
    Col("kind_text", "性质", "Kind", width=8),
    Col("quote", "原文", "Quote", width=60),
    Col("source_title", "来源", "Source"),
]
SOURCES = [
    Col("n", "编号", "No.", "int", width=6),
    Col("title", "标题", "Title", width=50),
    Col("publisher", "发布单位", "Publisher"),
    Col("published", "发布日期", "Published", width=12),
    Col("address", "网址", "Address", width=50),
]
