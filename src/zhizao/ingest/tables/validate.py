"""Check everything in an import file before anything is written.

`validate(path, con, pack)` reads the file, binds headers, parses every cell, resolves codes through
the policy pack, checks keys inside the file and against the warehouse, and returns a `Validation`:
the rows ready to load (`staged`, in base units and canonical codes) and every `Issue` found. The
warehouse is only read here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from ...reference import Pack
from ...vocab import FIGURE_COLUMNS, is_metric
from . import parse, spec
from .header import Layout, bind, detect_table
from .issues import ImportFileError, Issue, Issues
from .read import RawSheet, read_file
from .resolve import Reference

UNSPECIFIED_LEVEL = "unspecified"  # honour kinds the pack gives no levels (独角兽企业)
FIGURES = list(FIGURE_COLUMNS)  # every enterprise_year figure, in the warehouse's order


@dataclass
class Staged:
    """The rows of one table, ready to load (values in base units, codes canonical)."""

    table: spec.Table
    rows: list[int] = field(default_factory=list)  # Excel row of each record
    sheets: list[str] = field(default_factory=list)  # sheet of each record
    data: dict[str, list] = field(default_factory=dict)  # field -> values
    raw: dict[str, list] = field(default_factory=dict)  # field -> values as written (for messages)
    cols: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (sheet, field) -> (col, header)
    present: set[str] = field(default_factory=set)
    units: list[dict] = field(default_factory=list)  # what each column's unit was and where it came from
    existing: set = field(default_factory=set)  # keys already in the warehouse
    ok: list[bool] = field(default_factory=list)  # record passed every check

    def __len__(self) -> int:
        return len(self.rows)

    def where(self, i: int, fld: str | None) -> tuple[str, int, int | None, str | None]:
        sheet = self.sheets[i]
        col, header = self.cols.get((sheet, fld), (None, None)) if fld else (None, None)
        return sheet, self.rows[i], col, header


@dataclass
class Validation:
    path: Path
    kind: str  # xlsx | csv
    sha256: str
    staged: dict[str, Staged]
    issues: Issues
    sheets_used: list[tuple[str, str]] = field(default_factory=list)  # (sheet, table key)
    sheets_ignored: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def rows(self) -> int:
        return sum(len(s) for s in self.staged.values())


class Checker:
    def __init__(self, ref: Reference | None, con: duckdb.DuckDBPyConnection | None, issues: Issues):
        self.ref, self.con, self.issues = ref, con, issues
        self.notes: list[tuple[str, str]] = []
        self.stored_regions: dict[str, str] = {}

    def add(self, st: Staged, i: int, fld: str | None, value: object, reason: tuple[str, str]) -> None:
        sheet, row, col, header = st.where(i, fld)
        st.ok[i] = False
        self.issues.add(Issue(sheet, row, col, header, value, reason[0], reason[1], fld))

    # ------------------------------------------------------------ sheet -> staged columns
    def take(self, st: Staged, raw: RawSheet, layout: Layout) -> None:
        data_rows = []
        row_numbers = []
        for k in range(layout.first_data, len(raw.rows)):
            r = raw.rows[k]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in r):
                continue
            data_rows.append(r)
            row_numbers.append(k + 1)
        n0 = len(st.rows)
        n = len(data_rows)
        st.rows.extend(row_numbers)
        st.sheets.extend([raw.name] * n)
        st.ok.extend([True] * n)
        for fld in st.table.fields:
            st.data.setdefault(fld, [None] * n0)
            st.raw.setdefault(fld, [None] * n0)
        bound = {b.column.field: b for b in layout.columns}
        for fld in st.table.fields:
            b = bound.get(fld)
            if b is None:
                st.data[fld].extend([None] * n)
                st.raw[fld].extend([None] * n)
                continue
            st.present.add(fld)
            st.cols[(raw.name, fld)] = (b.index + 1, b.header)
            j = b.index
            vals = [r[j] if j < len(r) else None for r in data_rows]
            st.raw[fld].extend(vals)
            st.data[fld].extend(self.parse_column(st, n0, b, vals))
            if b.column.unit_kind:
                st.units.append(
                    dict(
                        sheet=raw.name,
                        field=fld,
                        header=b.header,
                        unit=b.unit,
                        factor=b.factor,
                        source=b.unit_source,
                        base=spec.BASE_UNIT[b.column.unit_kind],
                    )
                )

    def parse_column(self, st: Staged, n0: int, b, vals: list) -> list:
        c = b.column
        t = c.type
        out: list = [None] * len(vals)
        cache: dict = {}
        if t == "number" or t == "int":
            f = b.factor
            lo, hi = c.min, c.max
            pct = c.unit_kind == "ratio"
            for k, v in enumerate(vals):
                if v is None:
                    continue
                x, why = parse.number(v)
                if why and pct and isinstance(v, str) and v.strip().endswith(("%", "％")):
                    y, why2 = parse.number(v.strip()[:-1])
                    if why2 is None and y is not None:
                        x, why = y / 100 / f, None  # an explicit percent sign wins over the units row
                if why:
                    self.add(st, n0 + k, c.field, v, why)
                    continue
                if x is None:
                    continue
                x *= f
                if t == "int":
                    if abs(x - round(x)) > 1e-6:
                        self.add(
                            st,
                            n0 + k,
                            c.field,
                            v,
                            (f"{v} 不是整数（{c.zh}应为整数）", f"{v} is not a whole number ({c.field} must be one)"),
                        )
                        continue
                    x = int(round(x))
                if lo is not None and x < lo:
                    self.add(
                        st,
                        n0 + k,
                        c.field,
                        v,
                        (f"{c.zh}不能为负数", f"{c.field} cannot be negative")
                        if lo == 0
                        else (f"{c.zh}不能小于{lo}", f"{c.field} cannot be below {lo}"),
                    )
                    continue
                if hi is not None and x > hi:
                    if c.unit_kind == "ratio":
                        why = (
                            f"{c.zh}为{v}，大于1：占比应为0到1之间的小数（若填的是百分数，请在单位行选“%”）",
                            f"{c.field} is {v}, above 1: a share is a fraction 0..1 (for percentages choose "
                            f"'%' in the units row)",
                        )
                    else:
                        why = (f"{c.zh}不能大于{hi}", f"{c.field} cannot exceed {hi}")
                    self.add(st, n0 + k, c.field, v, why)
                    continue
                out[k] = x
            return out
        if t == "year":
            lo, hi = spec.FIRST_YEAR, spec.current_year()
            if st.table.key == "targets" and c.field == "year":
                hi = spec.current_year() + spec.TARGET_LAST_YEAR_AHEAD
            fn = lambda v: parse.year(v, lo, hi)
        elif t == "date":
            fn = lambda v: parse.date(v, spec.FIRST_FOUNDED, dt.date.today())
        elif t == "uscc":
            fn = parse.uscc
        elif t in ("honour_level", "scope", "qualifier", "status", "metric", "target_unit"):
            fn = getattr(self, "p_" + t)
        else:  # text and codes resolved later (region, industry, park, ...)
            fn = parse.text
        for k, v in enumerate(vals):
            if v is None:
                continue
            try:
                x, why = cache[v]
            except (KeyError, TypeError):
                x, why = fn(v)
                try:
                    cache[v] = (x, why)
                except TypeError:
                    pass
            if why:
                self.add(st, n0 + k, c.field, v, why)
            else:
                out[k] = x
        return out

    @staticmethod
    def _coded(v: object, table: dict, zh: str, en: str, choices: list[str]):
        if parse.is_empty(v):
            return None, None
        t = parse.norm_text(v)
        hit = table.get(t) or table.get(t.lower())
        if hit:
            return hit, None
        return None, (
            f"{zh}“{t}”无效（可用：{'、'.join(choices)}）",
            f"invalid {en} {t!r} (use one of {', '.join(choices)})",
        )

    def p_honour_level(self, v):
        return self._coded(
            v, spec.HONOUR_LEVELS, "级别", "level", spec.HONOUR_LEVEL_CHOICES + ["national", "municipal", "district"]
        )

    def p_scope(self, v):
        return self._coded(
            v, spec.SCOPES, "对象类型", "scope", spec.SCOPE_CHOICES + ["region", "cluster", "park", "enterprise"]
        )

    def p_qualifier(self, v):
        return self._coded(v, spec.QUALIFIER_SPELLINGS, "限定", "qualifier", spec.QUALIFIER_CHOICES)

    def p_status(self, v):
        return self._coded(v, spec.STATUSES, "核实状态", "status", ["verified", "reported", "unverified"])

    def p_metric(self, v):
        if parse.is_empty(v):
            return None, None
        t = parse.norm_text(v)
        if t in spec.METRIC_ALIASES:
            return spec.METRIC_ALIASES[t], None
        if is_metric(t):
            return t, None
        return None, (
            f"指标“{t}”无效：请填写指标英文键（如 industrial_output）或模板下拉表中的中文名",
            f"unknown metric {t!r}: give a metric key such as industrial_output or a Chinese name from the "
            f"template's list",
        )

    def p_target_unit(self, v):
        if parse.is_empty(v):
            return None, None
        t = spec.norm_unit(parse.norm_text(v))
        if t in spec.TARGET_UNITS:
            return spec.TARGET_UNITS[t], None
        return None, (
            f"单位“{v}”无效（可用：{'、'.join(spec.TARGET_UNIT_CHOICES)}…）",
            f"invalid unit {v!r} (use {', '.join(spec.TARGET_UNIT_CHOICES)} ...)",
        )

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

    def within(self, staged: dict[str, Staged], role: str, region: str) -> None:
        """A district user imports for enterprises and targets of their own region only (DESIGN: Access).

        Every row of every kind is checked on both sides: the value the file writes (a firm's new region, a
        target's new scope) and the value it would replace (the firm's region as stored, the stored target
        with the same id). So a district user can neither move a firm in nor out, nor rename or refigure
        another region's firm, nor overwrite another region's target by naming its id."""
        pack = self.ref.pack
        mine = pack.successor_of(region) if region in pack.regions else region

        def ok(code: str | None) -> bool:
            return (
                code is None
                or code not in pack.regions
                or pack.successor_of(code) == mine
                or mine in pack.ancestors(code)
                or code == region
            )

        name = pack.regions[region].name_zh if region in pack.regions else region
        why = (
            f"区县用户只能导入本区县（{name}）的数据",
            f"a district user may only import data of their own region ({region})",
        )
        regions = dict(self.stored_regions)
        if "enterprises" in staged:
            e = staged["enterprises"]
            for i, (u, code) in enumerate(zip(e.data["uscc"], e.data["region_code"])):
                if u and code:
                    regions[u] = code
                if not ok(code) or (u in self.stored_regions and not ok(self.stored_regions[u])):
                    self.add(e, i, "region", e.raw["region"][i], why)
        for key in ("enterprise_year", "honours"):
            if key in staged:
                st = staged[key]
                for i, u in enumerate(st.data["uscc"]):
                    if u and (not ok(regions.get(u)) or (u in self.stored_regions and not ok(self.stored_regions[u]))):
                        self.add(st, i, "uscc", st.raw["uscc"][i], why)

        def scope_ok(sc: str | None, code: str | None) -> bool:
            if code is None:
                return True
            if sc == "region":
                return ok(code)
            if sc == "enterprise":
                return ok(regions.get(code)) and ok(self.stored_regions.get(code))
            if sc == "park":
                pk = self.ref.parks.get(code)
                return bool(pk) and ok(pk[1])
            # a cluster of the district's own cluster system
            return (
                code in pack.cluster_system
                and ok(pack.systems[pack.cluster_system[code]].region)
                and pack.systems[pack.cluster_system[code]].region != pack.info.root_region
            )

        if "targets" in staged:
            st = staged["targets"]
            stored = self.stored_targets([t for t in st.data["id"] if t])
            for i, (sc, code) in enumerate(zip(st.data["scope"], st.data["scope_code"])):
                old = stored.get(st.data["id"][i]) if st.data["id"][i] else None
                if not scope_ok(sc, code) or (old is not None and not scope_ok(*old)):
                    self.add(st, i, "scope_id", st.raw["scope_id"][i], why)

    def stored_targets(self, ids: list[str]) -> dict[str, tuple[str, str | None]]:
        """(scope, scope code) of the warehouse's targets with these ids (a firm's scope as its credit code)."""
        if self.con is None or not ids:
            return {}
        self.con.register("_imp_keys", pa.table({"id": pa.array(sorted(set(ids)), pa.string())}))
        try:
            rows = self.con.execute(
                "SELECT t.id, t.scope, t.scope_id FROM target t JOIN _imp_keys k USING (id)"
            ).fetchall()
        finally:
            self.con.unregister("_imp_keys")
        firms = sorted(
            {code for _, sc, code in rows if sc == "enterprise" and code and code not in self.stored_regions}
        )
        if firms:
            self.con.register("_imp_keys", pa.table({"uscc": pa.array(firms, pa.string())}))
            try:
                for u, r in self.con.execute(
                    "SELECT e.uscc, e.region_code FROM enterprise e JOIN _imp_keys k USING (uscc)"
                ).fetchall():
                    self.stored_regions[u] = r
            finally:
                self.con.unregister("_imp_keys")
        return {i: (sc, code) for i, sc, code in rows}

    def enterprise_year(self, st: Staged, known: set[str], founded: dict[str, dt.date | None]) -> None:
        d = st.data
        n = len(st)
        for i in range(n):
            u = d["uscc"][i]
            if u is not None and u not in known:
                self.add(
                    st,
                    i,
                    "uscc",
                    st.raw["uscc"][i],
                    (
                        "企业不在本文件的“企业名录”中，也不在库中：请先导入该企业",
                        "the enterprise is neither in this file's enterprise sheet nor in the warehouse: "
                        "import it first",
                    ),
                )
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
            u = d["uscc"][i]
            if u is not None and u not in known:
                self.add(
                    st,
                    i,
                    "uscc",
                    st.raw["uscc"][i],
                    (
                        "企业不在本文件的“企业名录”中，也不在库中：请先导入该企业",
                        "the enterprise is neither in this file's enterprise sheet nor in the warehouse: "
                        "import it first",
                    ),
                )
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


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def choose_sheets(
    kind: str, sheets: list[RawSheet], sheet: str | None, table: str | None, issues: Issues
) -> tuple[list[tuple[RawSheet, spec.Table]], list[str]]:
    forced = None
    if table:
        forced = spec.TABLES.get(table) or spec.table_for_sheet(table)
        if forced is None:
            raise ImportFileError(
                f"未知的表“{table}”（可用：{', '.join(spec.TABLES)}）",
                f"unknown table {table!r} (use one of {', '.join(spec.TABLES)})",
            )
    if kind == "csv":
        raw = sheets[0]
        return [(raw, forced or detect_table(raw.rows, raw.name))], []
    if sheet is not None:
        hit = [s for s in sheets if s.name == sheet] or [
            s for s in sheets if s.name.strip().lower() == sheet.strip().lower()
        ]
        if not hit:
            raise ImportFileError(
                f"工作簿中没有名为“{sheet}”的工作表（有：{'、'.join(s.name for s in sheets)}）",
                f"no sheet named {sheet!r} (sheets: {', '.join(s.name for s in sheets)})",
            )
        raw = hit[0]
        t = forced or spec.table_for_sheet(raw.name) or detect_table(raw.rows, raw.name)
        return [(raw, t)], [s.name for s in sheets if s is not raw]
    chosen, ignored = [], []
    for s in sheets:
        t = spec.table_for_sheet(s.name)
        if forced is not None and t is None and len(sheets) == 1:
            t = forced
        if t is None or (forced is not None and t is not forced):
            ignored.append(s.name)
            continue
        chosen.append((s, t))
    if not chosen:
        want = "、".join(t.sheet for t in spec.TABLES.values())
        raise ImportFileError(
            f"工作簿中没有可导入的工作表（有：{'、'.join(s.name for s in sheets) or '无'}；"
            f"应为：{want}，或用 --sheet 指定）",
            f"no importable sheet in the workbook (found: {', '.join(s.name for s in sheets) or 'none'}; expected "
            f"{', '.join(t.sheet_en for t in spec.TABLES.values())} or their Chinese names, "
            "or choose one with --sheet)",
        )
    return chosen, ignored


ORDER = ("enterprises", "enterprise_year", "honours", "targets")


def validate(
    path: str | Path,
    con: duckdb.DuckDBPyConnection | None,
    pack: Pack,
    *,
    sheet: str | None = None,
    table: str | None = None,
    district: str | None = None,
) -> Validation:
    """Read and check an import file; never writes. File-level problems become a single issue.

    With `district` (a region code), every row must concern that region (a district user's import).
    """
    import time

    t0 = time.perf_counter()
    path = Path(path)
    issues = Issues()
    val = Validation(path, "", "", {}, issues)
    try:
        kind, sheets = read_file(path)
        val.kind = kind
        val.sha256 = file_sha256(path)
        chosen, ignored = choose_sheets(kind, sheets, sheet, table, issues)
    except ImportFileError as e:
        issues.add(e.issue())
        val.seconds = time.perf_counter() - t0
        return val
    val.sheets_ignored = ignored
    ref = Reference.build(pack, con)
    ck = Checker(ref, con, issues)
    staged: dict[str, Staged] = {}
    for raw, t in chosen:
        try:
            layout = bind(t, raw.rows, raw.name, issues)
        except ImportFileError as e:
            issues.add(e.issue())
            continue
        val.sheets_used.append((raw.name, t.key))
        if layout is None:
            continue
        st = staged.setdefault(t.key, Staged(t))
        ck.take(st, raw, layout)
    if not staged and not issues:
        issues.add(
            Issue(
                chosen[0][0].name if chosen else "", None, None, None, None, "没有可导入的工作表", "no importable sheet"
            )
        )
    total = sum(len(s) for s in staged.values())
    if staged and total == 0 and not issues:
        names = "、".join(n for n, _ in val.sheets_used)
        issues.add(
            Issue(
                names,
                None,
                None,
                None,
                None,
                "文件中没有数据行（表头之下是空的）",
                "the file has no data rows (nothing below the header)",
            )
        )
    for st in staged.values():
        ck.required(st)
    file_firms: set[str] = set()
    if "enterprises" in staged:
        ck.enterprises(staged["enterprises"])
        file_firms = {u for u in staged["enterprises"].data["uscc"] if u}
    referenced: set[str] = set()
    for k in ("enterprise_year", "honours"):
        if k in staged:
            referenced |= {u for u in staged[k].data["uscc"] if u}
    if "targets" in staged:
        d = staged["targets"].data
        for s, v in zip(d["scope"], d["scope_id"]):
            if s == "enterprise" and v:
                u, why = parse.uscc(v)
                if u:
                    referenced.add(u)
    # a district user's file: the stored region of every firm it names, enterprise rows included
    asked = referenced | (file_firms if district is not None else set())
    known, founded = ck.known_firms(asked, file_firms) if asked else (set(), {})
    known &= referenced | file_firms
    if "enterprises" in staged:
        e = staged["enterprises"].data
        for u, f in zip(e["uscc"], e["founded"]):
            if u and f:
                founded[u] = f
    if "enterprise_year" in staged:
        ck.enterprise_year(staged["enterprise_year"], known, founded)
    if "honours" in staged:
        ck.honours(staged["honours"], known)
    if "targets" in staged:
        ck.targets(staged["targets"], lambda u: u in known)
    if district is not None:
        ck.within(staged, "district", district)
    val.staged = {k: staged[k] for k in ORDER if k in staged}
    val.notes = ck.notes
    for st in val.staged.values():
        for u in st.units:
            if u["source"] == "assumed":
                c = st.table.column(u["field"])
                val.notes.append(
                    (
                        f"“{u['sheet']}”的“{c.zh}”未声明单位，按{u['unit']}读取",
                        f"{u['sheet']}: no unit declared for {c.field}; read as {spec.BASE_UNIT[c.unit_kind]}",
                    )
                )
    val.seconds = time.perf_counter() - t0
    return val
