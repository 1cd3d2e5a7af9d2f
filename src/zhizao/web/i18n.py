"""Interface language: Simplified Chinese by default, English on request (`?lang=en`, kept in a cookie).

Messages are keyed by short English identifiers; `t(key)` gives the text in the request's language and
falls back to the key itself, so a missing entry shows up as an English identifier, never as an error.
Column names of result tables are translated when known and shown as they are otherwise.
"""

from __future__ import annotations

import math

LANGS = ("zh", "en")
DEFAULT = "zh"

MESSAGES: dict[str, tuple[str, str]] = {
    "app": ("智造 · 制造业集群运行平台", "zhizao · manufacturing cluster platform"),
    "overview": ("全市总览", "City overview"),
    "district": ("区县", "District"),
    "districts": ("区县", "Districts"),
    "cluster": ("产业集群", "Cluster"),
    "clusters": ("产业集群", "Clusters"),
    "chains": ("产业链", "Industry chains"),
    "chain": ("产业链", "Chain"),
    "enterprise": ("企业", "Enterprise"),
    "enterprises": ("企业", "Enterprises"),
    "targets": ("目标", "Targets"),
    "facts": ("事实与来源", "Facts and sources"),
    "sources": ("来源", "Sources"),
    "source": ("来源", "Source"),
    "imports": ("数据导入", "Imports"),
    "mujun": ("亩均论英雄", "Per-mu evaluation"),
    "ladder": ("企业梯度培育", "Enterprise ladder"),
    "opportunities": ("发展机会", "Growth opportunities"),
    "specialisation": ("专业化", "Specialisation"),
    "login": ("登录", "Sign in"),
    "logout": ("退出", "Sign out"),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "login_failed": ("用户名或密码错误", "Wrong user name or password"),
    "login_limited": ("登录失败次数过多，请稍后再试", "Too many failed sign-ins; try again later"),
    "synthetic_banner": (
        "演示数据：本页企业及其数据为合成数据（名称带“（演示）”），不是真实企业。区县、集群体系与公开数字为真实资料。",
        "Demo data: the enterprises on this page and their figures are synthetic (names marked "
        "（演示）), not real firms. Districts, the cluster system and published figures are real.",
    ),
    "not_evaluated": ("尚未计算 — 请运行 zhizao evaluate", "not evaluated yet — run zhizao evaluate"),
    "not_evaluated_year": (
        "{year} 年尚未计算 — 请运行 zhizao evaluate --year {year}",
        "not evaluated for {year} yet — run zhizao evaluate --year {year}",
    ),
    "suppressed_note": ("少于3家企业的汇总数已隐去", "aggregates over fewer than 3 enterprises are suppressed"),
    "suppressed": ("已隐去", "suppressed"),
    "forbidden": ("无权查看", "Not allowed"),
    "year": ("年份", "Year"),
    "metric": ("指标", "Metric"),
    "measure": ("口径", "Measure"),
    "level": ("层级", "Level"),
    "measure_level": ("总量", "Level"),
    "measure_growth": ("同比增速", "Year-on-year growth"),
    "measure_share": ("占全市比重", "Share of the city"),
    "growth": ("同比增速", "Year-on-year growth"),
    "share": ("占全市比重", "Share of the city"),
    "map_current": ("当前区划", "Today's map"),
    "map_recorded": ("统计时区划", "Map as recorded"),
    "map": ("区划", "Map"),
    "cluster_tree": ("集群体系", "Cluster system"),
    "group_shares": ("各片区占全市比重", "Groups' shares of the city"),
    "targets_glance": ("目标进展", "Targets at a glance"),
    "on_track": ("按计划推进", "on track"),
    "at_risk": ("存在风险", "at risk"),
    "off_track": ("进度滞后", "off track"),
    "unknown": ("无法判断", "unknown"),
    "achieved": ("已完成", "achieved"),
    "firms": ("企业数", "Firms"),
    "output_value": ("工业总产值", "Industrial output"),
    "value_added": ("工业增加值", "Value added"),
    "revenue": ("营业收入", "Revenue"),
    "tax": ("税收", "Tax"),
    "profit": ("利润总额", "Profit"),
    "fixed_investment": ("工业投资", "Industrial investment"),
    "tech_renovation_investment": ("技改投资", "Technical renovation investment"),
    "rd_expense": ("研发经费", "R&D expenditure"),
    "employees": ("从业人员", "Employees"),
    "land_mu": ("用地（亩）", "Land (mu)"),
    "energy_tce": ("综合能耗（吨标煤）", "Energy (tce)"),
    "emission_equiv": ("排放当量", "Emissions (equiv.)"),
    "main_business_share": ("主营业务占比", "Main-business share"),
    "region_code": ("区域代码", "Region code"),
    "region_name": ("区域", "Region"),
    "region": ("区域", "Region"),
    "name": ("名称", "Name"),
    "uscc": ("统一社会信用代码", "Credit code (USCC)"),
    "industry": ("行业", "Industry"),
    "industry_code": ("行业代码", "Industry code"),
    "park": ("园区", "Park"),
    "founded": ("成立日期", "Founded"),
    "tier": ("层级", "Tier"),
    "size": ("规模", "Size"),
    "status": ("状态", "Status"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "period": ("时期", "Period"),
    "kind": ("类型", "Kind"),
    "quote": ("原文", "Quote"),
    "published": ("发布日期", "Published"),
    "title": ("标题", "Title"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "json": ("JSON", "JSON"),
    "search": ("查询", "Search"),
    "all": ("全部", "All"),
    "previous": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "rows": ("行", "rows"),
    "none": ("无", "none"),
    "figures_over_years": ("历年数据", "Figures over the years"),
    "key_figures": ("主要指标", "Key figures"),
    "chain_coverage": ("产业链覆盖（补链·强链·延链）", "Chain coverage (gaps, thin and next nodes)"),
    "recruitment": ("招商建议", "Recruitment suggestions"),
    "mujun_classes": ("亩均评价分类", "Per-mu classes"),
    "ladder_candidates": ("梯度培育候选企业", "Ladder candidates"),
    "covered": ("已覆盖", "covered"),
    "thin": ("薄弱（强链）", "thin (strengthen)"),
    "gap": ("缺失（补链）", "gap (fill)"),
    "extend": ("延链", "extend"),
    "upstream": ("上游", "Upstream"),
    "midstream": ("中游", "Midstream"),
    "downstream": ("下游", "Downstream"),
    "contributions": ("各区县贡献与专业化", "Districts' contributions and specialisation"),
    "leaders": ("链主企业配套网络", "Chain leaders' supplier networks"),
    "industries": ("对应行业（GB/T 4754-2017）", "Industries (GB/T 4754-2017)"),
    "honours": ("荣誉", "Honours"),
    "chain_roles": ("产业链角色", "Chain roles"),
    "mujun_score": ("亩均评价", "Per-mu evaluation"),
    "screening": ("梯度培育筛查", "Ladder screening"),
    "upload": ("上传文件", "Upload a file"),
    "validate": ("校验", "Validate"),
    "confirm": ("确认导入", "Confirm the import"),
    "import_ok": ("校验通过，可以导入", "The file is valid and can be imported"),
    "import_errors": ("校验未通过，未写入任何数据", "The file has errors; nothing was written"),
    "imported": ("已导入", "Imported"),
    "template": ("下载导入模板", "Download the import template"),
    "history": ("导入记录", "Import history"),
    "quadrants": ("可行性 × 吸引力", "Feasibility × attractiveness"),
    "feasibility": ("可行性", "Feasibility"),
    "attractiveness": ("吸引力", "Attractiveness"),
    "back": ("返回", "Back"),
    "role": ("角色", "Role"),
    "demo_accounts": ("演示账号", "Demo accounts"),
    "lang_switch": ("English", "中文"),
    "no_rows": ("没有数据", "No rows"),
    "city_total": ("全市合计", "City total"),
    "share_of_city": ("占全市", "Share of city"),
    "lq": ("区位熵", "Location quotient"),
    "strength": ("集群强度", "Cluster strength"),
    "article": ("原文", "Article"),
    "fact_count": ("条事实", "facts"),
    "no_body": ("该来源未保存正文", "The article text is not held for this source"),
    "baseline": ("基期", "Baseline"),
    "baseline_in_warehouse": ("数据库同口径", "in the warehouse"),
    "nominal_growth": ("名义增速（现价）", "nominal growth (current prices)"),
    "mujun_contributions": (
        "各指标得分列于总分旁：某一指标得分远超其权重时一目了然。",
        "Each indicator's score is shown beside the total, so an indicator far above its weight is visible.",
    ),
    "mujun_completion": ("待补充数据的企业", "Firms to complete"),
    "mujun_completion_note": (
        "以下企业缺少评价所需数据（如用地面积），暂不评分、不按0分计，请补充数据后重新评价。",
        "These firms lack a figure the method needs (such as land area): they are not scored (not counted as 0) "
        "until the figure is completed.",
    ),
    "latest": ("最新", "Latest"),
    "required_growth": ("所需年均增速", "Required annual growth"),
    "actual_growth": ("实际年均增速", "Actual annual growth"),
    "target_year": ("目标年", "Target year"),
    "target_value": ("目标值", "Target value"),
    "progress": ("进度", "Progress"),
    "scope": ("范围", "Scope"),
    "proposed": ("待确认", "proposed"),
    "open_page": ("查看", "Open"),
    "results": ("分析结果", "Analytics results"),
    "choose_region": ("选择区域", "Choose a region"),
    "supply_rate": ("本地配套率", "Local supply rate"),
    "suppliers": ("供应商", "Suppliers"),
    "error": ("出错了", "Something went wrong"),
    "not_found": ("未找到", "Not found"),
    "output_value_growth": ("产值增速", "Output growth"),
    "output_value_share_of_city": ("占全市产值", "Share of city output"),
    "output_value_share": ("占全市产值", "Share of city output"),
    "output_value_share_of_region": ("占本区产值", "Share of the region's output"),
    "industry_name": ("行业名称", "Industry"),
    "name_zh": ("名称", "Name"),
    "basis": ("依据", "Basis"),
    "total_score": ("总分", "Score"),
    "class": ("分类", "Class"),
    "class_name": ("分类名称", "Class name"),
    "rank_region": ("区县排名", "Rank in district"),
    "rank_industry": ("行业排名", "Rank in industry"),
    "tax_per_mu": ("亩均税收", "Tax per mu"),
    "value_added_per_mu": ("亩均增加值", "Value added per mu"),
    "value_added_per_energy": ("单位能耗增加值", "Value added per tce"),
    "value_added_per_emission": ("单位排放增加值", "Value added per emission"),
    "labour_productivity": ("全员劳动生产率", "Labour productivity"),
    "rd_ratio": ("研发投入强度", "R&D intensity"),
    "mean_score": ("平均得分", "Mean score"),
    "rated": ("参评企业", "Rated firms"),
    "chain_name": ("产业链", "Chain"),
    "node_name": ("节点", "Node"),
    "action": ("动作", "Action"),
    "shortfall": ("缺口", "Shortfall"),
    "reason": ("理由", "Reason"),
    "rank": ("排名", "Rank"),
    "leader": ("链主代码", "Leader code"),
    "leader_name": ("链主", "Chain leader"),
    "purchases": ("采购额", "Purchases"),
    "local_rate": ("本地配套率", "Local supply rate"),
    "group_rate": ("片区配套率", "Group supply rate"),
    "core_suppliers": ("核心供应商", "Core suppliers"),
    "core_same_county": ("同区县核心供应商", "Core suppliers in the county"),
    "screen": ("筛查", "Screen"),
    "score_high": ("得分上限", "Score (high)"),
    "score_low": ("得分下限", "Score (low)"),
    "screened": ("筛查企业", "Screened"),
    "holders": ("已获认定", "Holders"),
    "candidates": ("候选", "Candidates"),
    "confirmed": ("确认达标", "Confirmed"),
    "not_met": ("未达标", "Not met"),
    "met": ("满足", "Met"),
    "criterion": ("标准", "Criterion"),
    "figure": ("数值", "Figure"),
    "stage": ("环节", "Stage"),
    "role_in_chain": ("角色", "Role"),
    "share_of_rated": ("占参评比重", "Share of rated"),
    "policy_zh": ("差别化政策", "Policy"),
    "policy_en": ("差别化政策", "Policy"),
    "rows_loaded": ("导入行数", "Rows loaded"),
    "file": ("文件", "File"),
    "actor": ("操作人", "By"),
    "at": ("时间", "At"),
    "id": ("编号", "Id"),
}

# Column headers of the result tables (with MESSAGES above; X_growth, X_prev, X_share_of_city, X_score and
# class_X are derived from X in column()).
MESSAGES.update(
    {
        "above": ("已获更高层级", "Above"),
        "actual_synthetic": ("实际值为演示数据", "Actual is synthetic"),
        "actual_value": ("实际值", "Actual"),
        "actual_year": ("实际值年份", "Actual year"),
        "address": ("网址", "Address"),
        "amount": ("金额", "Amount"),
        "base_year": ("基期年", "Base year"),
        "baseline_source": ("基期来源", "Baseline from"),
        "baseline_value": ("基期值（数据库）", "Baseline (warehouse)"),
        "baseline_published": ("基期值（公布）", "Baseline (published)"),
        "growth_prices": ("增速价格口径", "Growth prices"),
        "baseline_year": ("基期年", "Baseline year"),
        "benchmark": ("基准值", "Benchmark"),
        "body": ("正文", "Text"),
        "cagr": ("年均增速", "Annual growth (CAGR)"),
        "cap": ("得分上限（权重倍数）", "Cap (× weight)"),
        "chain_firms": ("产业链企业数", "Firms on the chain"),
        "chain_id": ("产业链编号", "Chain id"),
        "chain_output": ("产业链产值", "Chain output"),
        "change": ("变化量", "Change"),
        "city_growth": ("全市增长分量", "City growth"),
        "city_share": ("占全市比重", "Share of the city"),
        "class_name_en": ("分类名称（英文）", "Class name"),
        "class_order": ("分类次序", "Order"),
        "cluster_id": ("集群编号", "Cluster id"),
        "cluster_name": ("集群", "Cluster"),
        "code": ("代码", "Code"),
        "cog": ("机会增益（COG）", "Opportunity gain (COG)"),
        "coi": ("复杂度前景（COI）", "Complexity outlook (COI)"),
        "competitive": ("竞争力分量", "Competitiveness"),
        "core_amount": ("核心配套采购额", "Core purchases"),
        "core_same_group": ("同片区核心供应商", "Core suppliers in the group"),
        "density": ("关联密度", "Density"),
        "detail": ("详情", "Detail"),
        "diversity": ("多样性", "Diversity"),
        "division": ("行业大类", "Division"),
        "downstream_present": ("本地下游节点", "Local downstream nodes"),
        "eci": ("经济复杂度（ECI）", "Economic complexity (ECI)"),
        "entity": ("主体", "Entity"),
        "entity_code": ("主体代码", "Entity code"),
        "entity_type": ("主体类型", "Entity type"),
        "expected_output": ("按权重应有产值", "Expected output"),
        "expected_share": ("按权重应占比重", "Expected share"),
        "fact_id": ("事实编号", "Fact id"),
        "failed": ("未满足的条件", "Failed criteria"),
        "figure_2": ("数值2", "Figure 2"),
        "figure_2_measure": ("数值2口径", "Figure 2 measure"),
        "figure_measure": ("数值口径", "Figure measure"),
        "firms_city": ("全市该节点企业数", "Firms at the node citywide"),
        "firms_elsewhere": ("其他区县该节点企业数", "Firms at the node elsewhere"),
        "firms_weighted": ("企业数（按份额）", "Firms (weighted)"),
        "group_amount": ("片区内采购额", "Purchases in the group"),
        "growth_basis": ("增速依据", "Growth basis"),
        "growth_so_far": ("已实现年均增速", "Growth so far"),
        "held": ("持有企业数", "Holders"),
        "holder": ("已获认定", "Holder"),
        "holds_higher": ("已获更高层级", "Holds higher"),
        "indicator": ("指标", "Indicator"),
        "industry_mix": ("产业结构分量", "Industry mix"),
        "label_en": ("标准（英文）", "Criterion"),
        "label_zh": ("标准", "Criterion"),
        "label": ("标准", "Criterion"),
        "leaders_downstream": ("下游链主数", "Leaders downstream"),
        "levels": ("级别", "Levels"),
        "local_amount": ("本区县采购额", "Purchases in the county"),
        "lq_base": ("基期区位熵", "LQ, base year"),
        "lq_change": ("区位熵变化", "LQ change"),
        "mapped_code": ("映射代码", "Mapped code"),
        "max_score": ("最高分", "Highest score"),
        "mcp": ("是否专业化（RCA≥1）", "Specialised (RCA ≥ 1)"),
        "measurable": ("可测算", "Measurable"),
        "measured_as": ("测算口径", "Measured as"),
        "method": ("方法", "Method"),
        "metric_zh": ("指标（原文）", "Metric (as written)"),
        "min_score": ("最低分", "Lowest score"),
        "missing": ("缺失指标", "Missing"),
        "missing_average": ("缺失时平均得分", "Average score for missing"),
        "missing_rule": ("缺失处理", "Missing-data rule"),
        "needed_per_year": ("每年需新增", "Needed per year"),
        "new": ("新增企业数", "New"),
        "node_id": ("节点编号", "Node id"),
        "node_share": ("节点产值占比", "Node's share"),
        "not_applicable": ("不适用", "Not applicable"),
        "not_rated_reason": ("不参评原因", "Why not rated"),
        "note": ("备注", "Note"),
        "origin": ("来源类型", "Origin"),
        "output": ("产值", "Output"),
        "park_id": ("园区编号", "Park id"),
        "park_name": ("园区", "Park"),
        "pci": ("产品复杂度（PCI）", "Product complexity (PCI)"),
        "per_firm": ("逐企业判断", "Per firm"),
        "period_end": ("期末", "Period end"),
        "period_start": ("期初", "Period start"),
        "points_high": ("得分（高）", "Points (high)"),
        "points_low": ("得分（低）", "Points (low)"),
        "profile": ("权重方案", "Profile"),
        "projection": ("推算值", "Projection"),
        "publisher": ("发布单位", "Publisher"),
        "quadrant": ("象限", "Quadrant"),
        "qualifier": ("限定", "Qualifier"),
        "qualifying": ("合格", "Qualifying"),
        "qualifying_clusters": ("合格集群数", "Qualifying clusters"),
        "rca": ("显示性比较优势（RCA）", "RCA"),
        "region_group": ("片区", "Group"),
        "region_level": ("区域层级", "Region level"),
        "region_map": ("区划口径", "Map"),
        "region_share": ("占本区域比重", "Share of the region"),
        "region_value": ("区域合计", "Region total"),
        "related": ("相关已有行业", "Related industries held"),
        "required_growth_from_baseline": ("自基期所需年均增速", "Required growth from the baseline"),
        "required_per_year": ("每年需新增", "Required per year"),
        "requirement": ("必要条件", "Requirement"),
        "result_year": ("结果年份", "Result year"),
        "rule": ("判定规则", "Rule"),
        "same_county": ("同区县", "Same county"),
        "same_group": ("同片区", "Same group"),
        "scope_code": ("范围代码", "Scope code"),
        "scope_id": ("范围代码", "Scope id"),
        "scope_name": ("范围", "Scope"),
        "score": ("综合得分", "Score"),
        "scored": ("已计分", "Scored"),
        "seq": ("序号", "No."),
        "sha256": ("SHA-256", "SHA-256"),
        "share_ratio": ("占比/应占比", "Share ratio"),
        "significant": ("显著", "Significant"),
        "significant_clusters": ("显著集群数", "Significant clusters"),
        "source_id": ("来源编号", "Source id"),
        "source_status": ("来源状态", "Source status"),
        "span_end": ("引文止", "Quote end"),
        "span_start": ("引文起", "Quote start"),
        "strong": ("强", "Strong"),
        "strong_clusters": ("强集群数", "Strong clusters"),
        "strong_list": ("强集群", "Strong clusters (by LQ)"),
        "strong_share": ("强集群产值占比", "Share in strong clusters"),
        "supplier_region": ("供应商所在区县代码", "Supplier county code"),
        "supplier_region_name": ("供应商所在区县", "Supplier county"),
        "synthetic": ("演示数据", "Synthetic"),
        "system_id": ("集群体系", "Cluster system"),
        "target": ("目标", "Target"),
        "target_id": ("目标编号", "Target id"),
        "target_score": ("目标得分", "Target score"),
        "target_status": ("目标状态", "Target status"),
        "thin_rule": ("薄弱原因", "Why thin"),
        "tier_name": ("层级名称", "Tier"),
        "tier_rank": ("层级次序", "Tier rank"),
        "tier_score": ("层级得分", "Tier score"),
        "ubiquity": ("普遍性", "Ubiquity"),
        "unit_id": ("统计单元", "Unit"),
        "upstream_covered": ("本地已覆盖上游节点", "Upstream covered locally"),
        "value_base": ("基期值", "Base value"),
        "weight": ("权重", "Weight"),
        "with_figure": ("有数据企业", "With a figure"),
        "without_figure": ("无数据企业", "Without a figure"),
        "years_left": ("剩余年数", "Years left"),
        "policy": ("差别化政策", "Policy"),
        "cluster_share": ("计入集群的份额", "Share counted to the cluster"),
        "role_admin": ("管理员", "administrator"),
        "role_city": ("市级用户", "city user"),
        "role_district": ("区县用户", "district user"),
        "role_public": ("公众", "public"),
        "note_col": ("说明", "Note"),
        "points": ("得分", "Points"),
        "mujun_policies": ("分类与差别化政策", "Classes and differentiated policies"),
        "firms_ranked": ("企业排名", "Firms ranked"),
        "facts_list": ("事实", "Facts"),
        "n_firms": ("{n}家企业", "{n} firms"),
        "whole_industry": ("全部工业", "all industry"),
        "import_table": ("数据表", "Table"),
        "import_new": ("新增", "New"),
        "import_updated": ("更新", "Updated"),
        "import_unchanged": ("未变", "Unchanged"),
        "sheet": ("工作表", "Sheet"),
        "row": ("行", "Row"),
        "column": ("列", "Column"),
        "header": ("表头", "Header"),
        "sheet_enterprises": ("企业", "Enterprises"),
        "sheet_enterprise_year": ("企业年度数据", "Yearly figures"),
        "sheet_honours": ("荣誉", "Honours"),
        "sheet_targets": ("目标", "Targets"),
        "held_share_of_city": ("持有企业占全市比重", "Share of the city's holders"),
        "firms_share_of_city": ("企业数占全市比重", "Share of the city's firms"),
        "above_scale_firms": ("规上工业企业数", "Above-scale industrial firms"),
        "leader_node_count": ("链主所在环节数", "Nodes the leader sits on"),
        "covered_basis": ("缺口比较口径", "Gap compared with"),
        "eval_region": ("评价区域", "Evaluated in"),
        "top_indicator": ("最大得分项", "Largest contribution"),
        "top_share": ("最大得分项占总分比重", "Its share of the total"),
        "missing_figures": ("缺少的数据", "Missing figures"),
        "covered_by_candidates": ("含未核实候选可覆盖缺口", "Covered counting unchecked candidates"),
        "current_code": ("当前区划", "Today's region"),
        "level_name": ("级别", "Level"),
        "region_level_name": ("区域层级", "Region level"),
    }
)
_DERIVED = (
    ("_share_of_region", "{}占本区域比重", "{}: share of the region"),
    ("_share_of_city", "{}占全市比重", "{}: share of the city"),
    ("_share", "{}占全市比重", "{}: share of the city"),
    ("_growth", "{}增速", "{} growth"),
    ("_prev", "上年{}", "{}, previous year"),
    ("_score", "{}得分", "{} score"),
    ("_all", "{}（全部企业）", "{} (all firms)"),
)

COLUMNS_ZH = {k: v[0] for k, v in MESSAGES.items()}


def t(key: str, lang: str = DEFAULT, **kw) -> str:
    pair = MESSAGES.get(key)
    text = key if pair is None else pair[0 if lang == "zh" else 1]
    return text.format(**kw) if kw else text


def column(name: str, lang: str = DEFAULT) -> str:
    """A column header: the translation when known (or derived: X_growth, X_prev, X_share_of_city, X_score,
    class_X), else the column name."""
    pair = MESSAGES.get(name)
    if pair:
        return pair[0 if lang == "zh" else 1]
    for suffix, zh, en in _DERIVED:
        if name.endswith(suffix) and name[: -len(suffix)] in MESSAGES:
            base = column(name[: -len(suffix)], lang)
            return (zh if lang == "zh" else en).format(base)
    if name.startswith("class_") and len(name) == 7:
        return f"{name[6]}类" if lang == "zh" else f"Class {name[6]}"
    if name.endswith(("_zh", "_en")) and name[:-3] in MESSAGES:
        return column(name[:-3], lang)
    return name


def js_labels(lang: str = DEFAULT) -> dict:
    """The words the charts (static/app.js) print, and the money scale they divide yuan by."""
    zh = lang == "zh"
    return {
        "scale": 1e8 if zh else 1e9,
        "money_unit": "亿" if zh else "bn",
        "money_axis": "亿元" if zh else "bn yuan",
        "firms_unit": "家企业" if zh else "firms",
        "suppressed": "已隐去" if zh else "suppressed",
        "output": "产值" if zh else "Output",
        "lq": "区位熵" if zh else "LQ",
        "extend": "延链" if zh else "extend (延链)",
        "stages": ["上游", "中游", "下游"] if zh else ["Upstream", "Midstream", "Downstream"],
        "own_system": "区县自有集群体系" if zh else "the district's own system",
        "thin_rule": {
            "firms": "企业少于3家" if zh else "fewer than 3 firms",
            "share": "产值占比偏低" if zh else "low output share",
            "firms+share": "企业少且占比偏低" if zh else "few firms, low share",
        },
    }


def pick(lang: str, zh: str | None, en: str | None) -> str:
    return (en or zh or "") if lang == "en" else (zh or en or "")


# ------------------------------------------------------------------------------ number formats
YI = 1e8


def money(v, lang: str = DEFAULT) -> str:
    """Yuan shown in 亿元 (100 million yuan), as Chinese statistics print them; in billions in English."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if lang != "zh":
        x = v / 1e9
        return (f"{x:,.2f}" if abs(x) < 100 else f"{x:,.0f}") + " bn yuan"
    x = v / YI
    s = f"{x:,.2f}" if abs(x) < 1000 else f"{x:,.0f}"
    return f"{s} 亿元"


def pct(v, digits: int = 1) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{v * 100:+.{digits}f}%" if v < 0 or digits < 0 else f"{v * 100:.{digits}f}%"


def num(v, lang: str = DEFAULT) -> str:
    if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return "—"
    if isinstance(v, bool):
        return "✓" if v else ""
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        a = abs(v)
        if a >= 1e8 and lang != "zh":
            return f"{v / 1e9:,.2f} bn" if a >= 1e9 else f"{v / 1e6:,.0f} m"
        if a >= 1e8:
            return f"{v / 1e8:,.2f}亿"
        if a >= 1e4:
            return f"{v:,.0f}"
        if a >= 1:
            return f"{v:,.2f}"
        return f"{v:.3g}"
    return str(v)
