"""Written forms of the import format's coded values: honour levels, target scopes, qualifiers, statuses and
metrics, each spelling (Chinese or English) -> its canonical code, and the choices the template offers.
"""

from __future__ import annotations

import re

from ...vocab import VOCABULARY

HONOUR_LEVELS = {
    "national": "national",
    "国家级": "national",
    "国家": "national",
    "国家级别": "national",
    "municipal": "municipal",
    "市级": "municipal",
    "省级": "municipal",
    "省部级": "municipal",
    "provincial": "municipal",
    "district": "district",
    "区县级": "district",
    "区级": "district",
    "县级": "district",
    "区（县）级": "district",
}
HONOUR_LEVEL_CHOICES = ["国家级", "市级", "区县级"]
SCOPES = {
    "region": "region",
    "区县": "region",
    "区域": "region",
    "地区": "region",
    "区": "region",
    "县": "region",
    "城市": "region",
    "片区": "region",
    "cluster": "cluster",
    "集群": "cluster",
    "产业集群": "cluster",
    "产业": "cluster",
    "park": "park",
    "园区": "park",
    "开发区": "park",
    "enterprise": "enterprise",
    "企业": "enterprise",
}
SCOPE_CHOICES = ["区县", "集群", "园区", "企业"]
QUALIFIER_SPELLINGS = {
    "over": "over",
    "超过": "over",
    "突破": "over",
    "超": "over",
    "逾": "over",
    "at_least": "at_least",
    "以上": "at_least",
    "不低于": "at_least",
    "至少": "at_least",
    "about": "about",
    "约": "about",
    "左右": "about",
    "近": "about",
    "level": "level",
    "级": "level",
    "under": "under",
    "以下": "under",
    "低于": "under",
    "at_most": "at_most",
    "不超过": "at_most",
    "以内": "at_most",
}
QUALIFIER_CHOICES = ["超过", "以上", "约", "级", "以下", "不超过"]
STATUSES = {
    "verified": "verified",
    "已核实": "verified",
    "reported": "reported",
    "有报道": "reported",
    "unverified": "unverified",
    "未核实": "unverified",
}
# Metric keys most targets use, with their Chinese names from the project's vocabulary (zhizao/vocab.py; the
# template's dropdown); any other key of the vocabulary is accepted as written (vocab.is_metric).
TEMPLATE_METRIC_KEYS = (
    "industrial_output",
    "industrial_output_growth",
    "industrial_value_added",
    "industrial_value_added_growth",
    "industry_output",
    "industry_output_growth",
    "revenue",
    "industrial_investment",
    "tech_renovation_investment",
    "enterprise_count",
    "enterprise_count_over_10b",
    "specialized_sme_count",
    "little_giant_count",
    "single_champion_count",
    "high_tech_enterprise_count",
    "chain_leader_count",
    "smart_factory_count",
    "digital_workshop_count",
    "output_per_mu",
    "tax_per_mu",
    "vehicle_production",
    "nev_production",
)
TEMPLATE_METRICS: dict[str, str] = {k: VOCABULARY[k].zh for k in TEMPLATE_METRIC_KEYS}
METRIC_ALIASES = {
    **{m.zh: k for k, m in VOCABULARY.items()},
    "工业总产值": "industrial_output",
    "规上工业产值": "industrial_output",
    "工业增加值": "industrial_value_added",
    "产值": "industry_output",
}
METRIC_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
