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
    "synthetic_banner": ("演示数据：本页企业及其数据为合成数据（名称带“（演示）”），不是真实企业。区县、集群体系与公开数字为真实资料。",
                         "Demo data: the enterprises on this page and their figures are synthetic (names marked "
                         "（演示）), not real firms. Districts, the cluster system and published figures are real."),
    "not_evaluated": ("尚未计算 — 请运行 zhizao evaluate", "not evaluated yet — run zhizao evaluate"),
    "not_evaluated_year": ("{year} 年尚未计算 — 请运行 zhizao evaluate --year {year}",
                           "not evaluated for {year} yet — run zhizao evaluate --year {year}"),
    "suppressed_note": ("少于3家企业的汇总数已隐去", "aggregates over fewer than 3 enterprises are suppressed"),
    "suppressed": ("已隐去", "suppressed"),
    "forbidden": ("无权查看", "Not allowed"),
    "year": ("年份", "Year"),
    "metric": ("指标", "Metric"),
    "measure": ("口径", "Measure"),
    "level": ("数值", "Level"),
    "growth": ("同比增速", "Year-on-year growth"),
    "share": ("占全市比重", "Share of the city"),
    "map_current": ("当前区划", "Today's map"),
    "map_recorded": ("统计时区划", "Map as recorded"),
    "map": ("区划", "Map"),
    "lj_note": ("两江新区（2025年11月由江北区、渝北区大部设立）在当前区划图上以江北区与渝北区的合并边界近似绘制（地图数据 cnmaps 尚无该区）。",
                "两江新区 (a district since November 2025, from 江北区 and most of 渝北区) is drawn on today's map "
                "as the union of the 江北 and 渝北 boundaries, an approximation (the cnmaps boundaries predate it)."),
    "cluster_tree": ("集群体系", "Cluster system"),
    "group_shares": ("一区两群占比", "Shares of the 一区两群 groups"),
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

COLUMNS_ZH = {k: v[0] for k, v in MESSAGES.items()}


def t(key: str, lang: str = DEFAULT, **kw) -> str:
    pair = MESSAGES.get(key)
    text = key if pair is None else pair[0 if lang == "zh" else 1]
    return text.format(**kw) if kw else text


def column(name: str, lang: str = DEFAULT) -> str:
    """A column header: the translation when known, else the column name."""
    pair = MESSAGES.get(name)
    return pair[0 if lang == "zh" else 1] if pair else name


def pick(lang: str, zh: str | None, en: str | None) -> str:
    return (en or zh or "") if lang == "en" else (zh or en or "")


# ------------------------------------------------------------------------------ number formats
YI = 1e8


def money(v, lang: str = DEFAULT) -> str:
    """Yuan shown in 亿元 (100 million yuan), as Chinese statistics print them."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    x = v / YI
    s = f"{x:,.2f}" if abs(x) < 1000 else f"{x:,.0f}"
    return f"{s} 亿元" if lang == "zh" else f"{s} × 100m yuan"


def pct(v, digits: int = 1) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{v * 100:+.{digits}f}%" if v < 0 or digits < 0 else f"{v * 100:.{digits}f}%"


def num(v) -> str:
    if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return "—"
    if isinstance(v, bool):
        return "✓" if v else ""
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        a = abs(v)
        if a >= 1e8:
            return f"{v / 1e8:,.2f}亿"
        if a >= 1e4:
            return f"{v:,.0f}"
        if a >= 1:
            return f"{v:,.2f}"
        return f"{v:.3g}"
    return str(v)
