"""Row checks of an import (a part of validate.Checker): required cells, duplicate keys in the file, and each
table's rows resolved through the policy pack and checked against the warehouse (read only) — enterprises, yearly
figures, honours, targets.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pyarrow as pa

from . import parse, spec
from .staged import FIGURES, Staged

UNSPECIFIED_LEVEL = "unspecified"  # honour kinds the pack gives no levels (独角兽企业)


class RowChecks:
    """Methods of validate.Checker: they record problems with `self.add(staged, i, field, value, reason)`, read the
    pack through `self.ref` and the warehouse through `self.con` (None: no warehouse)."""

    # ------------------------------------------------------------ row checks
    def required(self, st: Staged) -> None:
        for c in st.table.columns:
            if not c.required or c.field not in st.present:
                continue
            vals, raws = st.data[c.field], st.raw[c.field]
            for i, (x, r) in enumerate(zip(vals, raws)):
                if x is None and parse.is_empty(r):
                    self.add(st, i, c.field, r, (f"必填项“{c.zh}”为空", f"required {c.field} is empty"))

    def duplicates(self, st: Staged, key_fields: tuple[str, ...], key_of=None) -> None:
        seen: dict = {}
        cols = [st.data[f] for f in key_fields]
        for i in range(len(st)):
            k = key_of(i) if key_of else tuple(c[i] for c in cols)
            if k is None or any(x is None for x in (k if isinstance(k, tuple) else (k,))):
                continue
            j = seen.get(k)
            if j is None:
                seen[k] = i
                continue
            where = f"第{st.rows[j]}行" if st.sheets[j] == st.sheets[i] else f"工作表“{st.sheets[j]}”第{st.rows[j]}行"
            where_en = f"row {st.rows[j]}" if st.sheets[j] == st.sheets[i] else f"row {st.rows[j]} of {st.sheets[j]!r}"
            names = "+".join(st.table.column(f).zh for f in key_fields if f in st.table.fields) or "编号"
            self.add(
                st,
                i,
                key_fields[0],
                st.raw[key_fields[0]][i] if key_fields[0] in st.raw else k,
                (f"重复的键（{names}）：与{where}相同", f"duplicate key ({'+'.join(key_fields)}): same as {where_en}"),
            )

    def warehouse_keys(self, sql: str, tbl: pa.Table) -> set:
        if self.con is None:
            return set()
        self.con.register("_imp_keys", tbl)
        try:
            return {r if len(r) > 1 else r[0] for r in self.con.execute(sql).fetchall()}
        finally:
            self.con.unregister("_imp_keys")

    # ------------------------------------------------------------ tables
    def enterprises(self, st: Staged) -> None:
        ref = self.ref
        n = len(st)
        d = st.data
        d["region_code"] = [None] * n
        d["park_id"] = [None] * n
        former: dict[str, int] = {}
        rcache: dict = {}
        icache: dict = {}
        pcache: dict = {}
        for i in range(n):
            v = d["region"][i]
            if v is not None:
                key = (v, d["region_year"][i])
                if key not in rcache:
                    rcache[key] = ref.region(v, d["region_year"][i])
                code, why = rcache[key]
                if why:
                    self.add(st, i, "region", st.raw["region"][i], why)
                else:
                    d["region_code"][i] = code
                    if ref.is_former(code):
                        former[code] = former.get(code, 0) + 1
            v = d["industry_code"][i]
            if v is not None:
                if v not in icache:
                    icache[v] = ref.industry(v)
                code, why = icache[v]
                if why:
                    self.add(st, i, "industry_code", st.raw["industry_code"][i], why)
                else:
                    d["industry_code"][i] = code
            v = d["park"][i]
            if v is not None:
                if v not in pcache:
                    pcache[v] = ref.park(v)
                code, why = pcache[v]
                if why:
                    self.add(st, i, "park", st.raw["park"][i], why)
                else:
                    d["park_id"][i] = code
        for code, cnt in former.items():
            r = ref.pack.regions[code]
            succ = ref.pack.successor_of(code)
            sname = ref.pack.regions[succ].name_zh if succ in ref.pack.regions else succ
            self.notes.append(
                (
                    f"{cnt} 家企业登记在已撤销的区划 {r.name_zh}（{code}），按原区划保存，统计时并入 {sname}（{succ}）",
                    f"{cnt} firm(s) in the former region {r.name_en} ({code}): stored as written; "
                    f"figures roll up into {succ}",
                )
            )
        self.duplicates(st, ("uscc",))
        if self.con is not None:
            keys = pa.table({"uscc": pa.array(sorted({u for u in d["uscc"] if u}), pa.string())})
            st.existing = self.warehouse_keys("SELECT e.uscc FROM enterprise e JOIN _imp_keys k USING (uscc)", keys)

    def known_firms(self, usccs: set[str], file_firms: set[str]) -> tuple[set[str], dict[str, dt.date | None]]:
        """The USCCs among `usccs` that are in the file's enterprise sheet or the warehouse, and founding dates
        (the warehouse's regions of those firms go to `self.stored_regions`)."""
        found: dict[str, dt.date | None] = {}
        if self.con is not None and usccs:
            keys = pa.table({"uscc": pa.array(sorted(usccs), pa.string())})
            self.con.register("_imp_keys", keys)
            try:
                synthetic = 0
                for u, f, r, syn in self.con.execute(
                    "SELECT e.uscc, e.founded, e.region_code, e.synthetic FROM enterprise e "
                    "JOIN _imp_keys k USING (uscc)"
                ).fetchall():
                    found[u] = f
                    self.stored_regions[u] = r
                    synthetic += bool(syn)
                if synthetic:
                    self.notes.append(
                        (
                            f"{synthetic} 家企业是演示用的合成企业（synthetic），导入的数据写入这些合成企业",
                            f"{synthetic} of the enterprises are synthetic demo firms; the imported rows "
                            f"are written onto them",
                        )
                    )
            finally:
                self.con.unregister("_imp_keys")
        return (set(found) | file_firms) & usccs, found

    def firm_known(self, st: Staged, i: int, known: set[str]) -> None:
        """Row i's firm is in the file's enterprise sheet or the warehouse (`known`)."""
        u = st.data["uscc"][i]
        if u is not None and u not in known:
            self.add(
                st,
                i,
                "uscc",
                st.raw["uscc"][i],
                (
                    "企业不在本文件的“企业名录”中，也不在库中：请先导入该企业",
                    "the enterprise is neither in this file's enterprise sheet nor in the warehouse: import it first",
                ),
            )

    def enterprise_year(self, st: Staged, known: set[str], founded: dict[str, dt.date | None]) -> None:
        d = st.data
        n = len(st)
        for i in range(n):
            self.firm_known(st, i, known)
        self.duplicates(st, ("uscc", "year"))
        # merge with stored figures: cross-column checks see what the warehouse will hold after the load
        stored: dict[tuple[str, int], tuple] = {}
        if self.con is not None:
            keys = pa.table({"uscc": pa.array(d["uscc"], pa.string()), "year": pa.array(d["year"], pa.int16())})
            self.con.register("_imp_keys", keys)
            try:
                cols = ", ".join(f"y.{f}" for f in FIGURES)
                for row in self.con.execute(
                    f"SELECT y.uscc, y.year, {cols} FROM enterprise_year y "
                    f"JOIN (SELECT DISTINCT uscc, year FROM _imp_keys) k USING (uscc, year)"
                ).fetchall():
                    stored[(row[0], int(row[1]))] = row[2:]
            finally:
                self.con.unregister("_imp_keys")
        st.existing = set(stored)
        idx = {f: k for k, f in enumerate(FIGURES)}

        def merged(i: int, fld: str):
            x = d[fld][i]
            if x is None:
                s = stored.get((d["uscc"][i], d["year"][i]))
                if s is not None:
                    return s[idx[fld]]
            return x

        def blame(i: int, *flds: str) -> str:
            for f in flds:
                if d[f][i] is not None:
                    return f
            return flds[0]

        any_figure = [f for f in FIGURES if f in st.present]
        for i in range(n):
            if not st.ok[i]:
                continue
            if not any(d[f][i] is not None for f in any_figure):
                self.add(
                    st,
                    i,
                    None,
                    None,
                    ("这一行没有任何数据（只有代码和年份）", "the row has no figures (only code and year)"),
                )
                continue
            out, va = merged(i, "output_value"), merged(i, "value_added")
            if out is not None and va is not None and va > out * (1 + 1e-9) + 1e-6:
                f = blame(i, "value_added", "output_value")
                self.add(
                    st,
                    i,
                    f,
                    st.raw[f][i],
                    (
                        f"工业增加值（{va:,.0f}元）大于工业总产值（{out:,.0f}元）",
                        f"value added ({va:,.0f} yuan) exceeds gross output ({out:,.0f} yuan)",
                    ),
                )
            land = merged(i, "land_mu")
            if land is not None and land == 0 and out is not None and out > 0:
                f = blame(i, "land_mu", "output_value")
                self.add(
                    st,
                    i,
                    f,
                    st.raw[f][i],
                    (
                        "用地面积为0但工业总产值大于0：请填写实际用地面积（未知请留空）",
                        "land is 0 while gross output is above 0: give the land in use (leave empty if unknown)",
                    ),
                )
            fi, tr = merged(i, "fixed_investment"), merged(i, "tech_renovation_investment")
            if fi is not None and tr is not None and tr > fi * (1 + 1e-9) + 1e-6:
                f = blame(i, "tech_renovation_investment", "fixed_investment")
                self.add(
                    st,
                    i,
                    f,
                    st.raw[f][i],
                    (
                        f"技改投资（{tr:,.0f}元）大于工业投资（{fi:,.0f}元）",
                        f"technical renovation investment ({tr:,.0f} yuan) exceeds industrial investment "
                        f"({fi:,.0f} yuan)",
                    ),
                )
            fd = founded.get(d["uscc"][i])
            if fd is not None and d["year"][i] is not None and d["year"][i] < fd.year:
                self.add(
                    st,
                    i,
                    "year",
                    st.raw["year"][i],
                    (f"年份早于企业成立日期（{fd}）", f"the year is before the firm was founded ({fd})"),
                )

    def honours(self, st: Staged, known: set[str]) -> None:
        ref = self.ref
        d = st.data
        kcache: dict = {}
        for i in range(len(st)):
            self.firm_known(st, i, known)
            v = d["kind"][i]
            if v is not None:
                if v not in kcache:
                    kcache[v] = ref.honour_kind(v)
                k, why = kcache[v]
                if why:
                    self.add(st, i, "kind", st.raw["kind"][i], why)
                    d["kind"][i] = None
                    continue
                d["kind"][i] = k
                lv = d["level"][i]
                levels = ref.honour_levels(k)
                if lv is None and levels:
                    if parse.is_empty(st.raw["level"][i]):
                        self.add(st, i, "level", st.raw["level"][i], ("必填项“级别”为空", "required level is empty"))
                elif lv is None:
                    d["level"][i] = UNSPECIFIED_LEVEL
                if lv is not None and levels and lv not in levels:
                    zh = {"national": "国家级", "municipal": "市级", "district": "区县级"}
                    self.add(
                        st,
                        i,
                        "level",
                        st.raw["level"][i],
                        (
                            f"“{v}”没有{zh.get(lv, lv)}（可用：{'、'.join(zh.get(x, x) for x in levels)}）",
                            f"{k} has no {lv} level (levels: {', '.join(levels)})",
                        ),
                    )
        self.duplicates(st, ("uscc", "kind", "level", "year"))
        keys = pa.table(
            {f: pa.array(d[f], pa.int16() if f == "year" else pa.string()) for f in ("uscc", "kind", "level", "year")}
        )
        st.existing = self.warehouse_keys(
            "SELECT h.uscc, h.kind, h.level, h.year FROM honour h JOIN _imp_keys k USING (uscc, kind, level, year)",
            keys,
        )

    def targets(self, st: Staged, known_firm) -> None:
        ref = self.ref
        d = st.data
        n = len(st)
        for f in ("scope_code", "cluster_id", "unit_base", "value_base", "baseline_base", "source_id"):
            d[f] = [None] * n
        cache: dict = {}
        for i in range(n):
            scope, sid = d["scope"][i], d["scope_id"][i]
            if scope is not None and sid is not None:
                key = (scope, sid, d["year"][i])
                if key not in cache:
                    if scope == "region":
                        cache[key] = ref.region(
                            sid,
                            d["year"][i] if d["year"][i] and d["year"][i] <= spec.current_year() else None,
                            county=False,
                        )
                    elif scope == "cluster":
                        cache[key] = ref.cluster(sid)
                    elif scope == "park":
                        cache[key] = ref.park(sid)
                    else:
                        u, why = parse.uscc(sid)
                        if why is None and not known_firm(u):
                            why = (
                                "企业不在本文件的“企业名录”中，也不在库中",
                                "the enterprise is neither in this file nor in the warehouse",
                            )
                        cache[key] = (u, why)
                code, why = cache[key]
                if why:
                    self.add(st, i, "scope_id", st.raw["scope_id"][i], why)
                else:
                    d["scope_code"][i] = code
            cl = d["cluster"][i]
            if cl is not None:
                cid, why = ref.cluster(cl, d["scope_code"][i] if scope == "region" else None)
                if why:
                    self.add(st, i, "cluster", st.raw["cluster"][i], why)
                else:
                    d["cluster_id"][i] = cid
            ut = d["unit"][i]
            if ut is not None:
                base, f = ut
                d["unit_base"][i] = base
                if d["value"][i] is not None:
                    d["value_base"][i] = d["value"][i] * f
                if d["baseline_value"][i] is not None:
                    d["baseline_base"][i] = d["baseline_value"][i] * f
            by, ty = d["baseline_year"][i], d["year"][i]
            if by is not None and ty is not None and by > ty:
                self.add(
                    st,
                    i,
                    "baseline_year",
                    st.raw["baseline_year"][i],
                    (f"基期年份 {by} 晚于目标年份 {ty}", f"baseline year {by} is after the target year {ty}"),
                )
            if by is not None and by > spec.current_year():
                self.add(
                    st,
                    i,
                    "baseline_year",
                    st.raw["baseline_year"][i],
                    (f"基期年份 {by} 在未来", f"baseline year {by} is in the future"),
                )
            if d["id"][i] is None and st.ok[i]:
                basis = "|".join(
                    str(x)
                    for x in (
                        d["scope"][i],
                        d["scope_code"][i],
                        d["cluster_id"][i],
                        d["metric"][i],
                        d["year"][i],
                        d["qualifier"][i],
                    )
                )
                d["id"][i] = "imp-" + hashlib.sha1(basis.encode()).hexdigest()[:12]
        self.duplicates(st, ("id",))
        self.duplicates(
            st,
            ("scope", "scope_code", "cluster_id", "metric", "year", "qualifier"),
            key_of=lambda i: (
                (d["scope"][i], d["scope_code"][i], d["cluster_id"][i], d["metric"][i], d["year"][i], d["qualifier"][i])
                if d["scope_code"][i] and d["metric"][i]
                else None
            ),
        )
        keys = pa.table({"id": pa.array(d["id"], pa.string())})
        st.existing = self.warehouse_keys("SELECT t.id FROM target t JOIN _imp_keys k USING (id)", keys)
