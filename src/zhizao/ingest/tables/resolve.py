"""Coded values resolved through the policy pack (and the warehouse for parks and sources).

Regions: a code, full name, short name or former name. A name that several regions used (两江新区 is
the 2010 functional area and, since 2025-11, a district) resolves to the one valid in the row's
`region_year` (default: this year). An enterprise must be in a county-level region. A former region
(梁平县 500228, 江北区 500105) is stored as written — the warehouse keeps regions as recorded and the
pack's successions roll them up onto later maps — and the import summary says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from ...reference import Pack
from .parse import Reason, norm_text


@dataclass
class Reference:
    pack: Pack
    parks: dict[str, tuple[str, str]] = field(default_factory=dict)  # id or name -> (id, region code)
    _industry_digits: dict[str, list[str]] = field(default_factory=dict)
    _honours: dict[str, str] = field(default_factory=dict)
    _clusters: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, pack: Pack, con: duckdb.DuckDBPyConnection | None = None) -> "Reference":
        ref = cls(pack)
        for code in pack.industries:
            ref._industry_digits.setdefault(code[1:], []).append(code)
        for k in pack.ladder.honour_kinds:
            for form in (k.key, k.name_zh, k.name_en):
                ref._honours[norm_text(form).lower()] = k.key
        for cid, c in pack.clusters.items():
            for form in (cid, c.name_zh, c.name_en):
                lst = ref._clusters.setdefault(norm_text(form).lower(), [])
                if cid not in lst:
                    lst.append(cid)
        for pk in pack.parks.values():
            for form in (pk.id, pk.name_zh, *(pk.aliases or [])):
                ref.parks.setdefault(norm_text(form), (pk.id, pk.region))
        if con is not None:
            try:
                for pid, name, region in con.execute("SELECT id, name_zh, region_code FROM park").fetchall():
                    ref.parks[norm_text(pid)] = (pid, region)
                    ref.parks.setdefault(norm_text(name), (pid, region))
            except duckdb.Error:
                pass
        return ref

    # ------------------------------------------------------------ regions
    def region(self, v: object, year: int | None, *, county: bool = True) -> tuple[str | None, Reason | None]:
        t = norm_text(v)
        on = dt.date(year, 12, 31) if year else dt.date.today()
        r = self.pack.resolve_region(t, on=on)
        if r is None:
            return None, (
                f"未知区县“{t}”：不是政策包中的区县名称、简称、曾用名或代码",
                f"unknown region {t!r}: not a name, short name, former name or code of the pack",
            )
        if r.valid_from and on < r.valid_from:
            return None, (
                f"“{t}”在{on.year}年尚未设立（{r.valid_from}起）",
                f"{t!r} did not exist yet in {on.year} (from {r.valid_from})",
            )
        if county and r.level != "county":
            what_zh = {
                "functional_area": "功能区",
                "group": "区域分组",
                "subgroup": "区域分组",
                "province": "省级行政区",
            }.get(r.level, r.level)
            extra = ""
            overl = [o.region for o in self.pack.overlaps if o.area == r.code]
            if overl:
                names = "、".join(self.pack.regions[c].name_zh for c in overl if c in self.pack.regions)
                extra = f"（涉及 {names}）"
            return None, (
                f"“{t}”是{what_zh}，不是区县：请填写企业所在的区县{extra}",
                f"{t!r} is a {r.level.replace('_', ' ')}, not a county-level region: give the county the firm is in",
            )
        return r.code, None

    def is_former(self, code: str, on: dt.date | None = None) -> bool:
        r = self.pack.regions.get(code)
        on = on or dt.date.today()
        return bool(r and r.valid_to and r.valid_to <= on)

    # ------------------------------------------------------------ industries
    def industry(self, v: object) -> tuple[str | None, Reason | None]:
        t = norm_text(v)
        tok = t.split(" ")[0].upper() if t else t
        if tok.isdigit():
            cands = self._industry_digits.get(tok, [])
            if len(cands) == 1:
                return cands[0], None
            if len(cands) > 1:
                return None, (
                    f"行业代码“{t}”不明确（{'、'.join(cands)}），请带上门类字母",
                    f"industry code {t!r} is ambiguous ({', '.join(cands)}); add the section letter",
                )
        elif tok in self.pack.industries:
            return tok, None
        hint_zh = hint_en = ""
        probe = tok if tok[:1].isalpha() else ("C" + tok if tok else tok)
        while len(probe) > 1:
            probe = probe[:-1]
            if probe in self.pack.industries and len(probe) > 1:
                ind = self.pack.industries[probe]
                hint_zh = f"；最接近的是 {probe} {ind.name_zh}"
                hint_en = f"; the nearest is {probe} {ind.name_en or ind.name_zh}"
                break
        return None, (
            f"行业代码“{t}”不在政策包的 GB/T 4754-2017 行业表中{hint_zh}",
            f"industry code {t!r} is not in the pack's GB/T 4754-2017 list{hint_en}",
        )

    # ------------------------------------------------------------ parks, honours, clusters
    def park(self, v: object) -> tuple[str | None, Reason | None]:
        t = norm_text(v)
        hit = self.parks.get(t)
        if hit:
            return hit[0], None
        return None, (
            f"未知园区“{t}”：不是库中或政策包中的园区名称或编号",
            f"unknown park {t!r}: not a park name or id in the warehouse or the pack",
        )

    def honour_kind(self, v: object) -> tuple[str | None, Reason | None]:
        t = norm_text(v)
        k = self._honours.get(t.lower())
        if k:
            return k, None
        known = "、".join(k.name_zh for k in self.pack.ladder.honour_kinds[:12])
        return None, (f"未知荣誉类型“{t}”（可用：{known}…）", f"unknown honour kind {t!r} (not in the pack's ladder)")

    def honour_levels(self, kind: str) -> list[str]:
        for k in self.pack.ladder.honour_kinds:
            if k.key == kind:
                return list(k.levels)
        return []

    def cluster(self, v: object, region: str | None = None) -> tuple[str | None, Reason | None]:
        """A cluster by id or name. A name several systems use (a district system reusing the city's names)
        means the cluster of `region`'s own system when there is one, else the city's (the pack's root)."""
        t = norm_text(v)
        ids = self._clusters.get(t.lower(), [])
        if len(ids) > 1:
            for owner in (region, self.pack.info.root_region):
                if owner is None:
                    continue
                mine = [c for c in ids if self.pack.systems[self.pack.cluster_system[c]].region == owner]
                if len(mine) == 1:
                    return mine[0], None
        if len(ids) == 1:
            return ids[0], None
        if len(ids) > 1:
            return None, (
                f"集群名称“{t}”不唯一（{'、'.join(ids)}），请填写集群编号",
                f"cluster name {t!r} is ambiguous ({', '.join(ids)}); give the cluster id",
            )
        return None, (
            f"未知集群“{t}”：不是政策包中的集群名称或编号",
            f"unknown cluster {t!r}: not a cluster name or id of the pack",
        )

    # ------------------------------------------------------------ choices for the template's dropdowns
    def region_choices(self) -> list[str]:
        today = dt.date.today()
        return [r.name_zh for r in self.pack.counties(on=today)]

    def industry_choices(self) -> list[str]:
        return [f"{c} {i.name_zh}" for c, i in self.pack.industries.items() if i.level != "section"]

    def honour_choices(self) -> list[str]:
        return [k.name_zh for k in self.pack.ladder.honour_kinds]
