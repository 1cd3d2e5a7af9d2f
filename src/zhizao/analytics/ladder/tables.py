"""The ladder's screening laid out as tables: the wide screening (a row per firm, a column group per line of every
tier), tier_screening (per firm × tier × criterion), ladder_firm (per firm × tier) and ladder_criteria (per tier ×
criterion, with counts of firms by status).

    status       holder (holds the tier's honour); above (holds a higher-ranked tier); candidate (T is not false:
                 meets every computable criterion, not a holder); not_met (T false)

The lines themselves and their three-valued logic: analytics/ladder/screening.py.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from ...reference.models import LadderFile
from ..mujun import join_words
from .measures import holds_column, ranked_tiers
from .screening import CODE, MET, NA, NOT_MET, SCORED, STATUS, UNKNOWN, any_true, tier_rows


def _col(ti: int, seq: int, part: str) -> str:
    return f"t{ti}r{seq}_{part}"


def screening_wide(w: ir.Table, ladder: LadderFile) -> tuple[ir.Table, list[dict]]:
    """One row per firm: the status code, figures and points of every row of every tier that depends on the
    firm (t<i>r<j>_status/_figure/_figure_2/_points_low/_points_high), the tier holdings and score ranges;
    and the metadata of every row of every tier (also the rows that are unknown for every firm)."""
    tiers = ranked_tiers(ladder)
    cols, meta = {}, []
    for ti, tier in enumerate(tiers):
        rows, score_range = tier_rows(w, tier, tiers)
        for seq, r in enumerate(rows):
            (l1, f1), (l2, f2) = (r.figures + [(None, None), (None, None)])[:2]
            m = {
                "tier": tier.key,
                "tier_rank": tier.rank,
                "seq": seq,
                "criterion": r.criterion,
                "kind": r.kind,
                "label_zh": r.label_zh,
                "label_en": r.label_en,
                "requirement": r.requirement,
                "per_firm": r.per_firm,
                "figure_measure": l1,
                "figure_2_measure": l2,
                "source_status": r.source_status,
                "columns": {},
                "points_low": r.const_points[0] if r.const_points else None,
                "points_high": r.const_points[1] if r.const_points else None,
            }
            meta.append(m)
            if not r.per_firm:
                continue
            parts = {"status": r.status.cast("int64"), "figure": f1, "figure_2": f2}
            if r.points:
                parts["points_low"], parts["points_high"] = r.points
            for part, expr in parts.items():
                if expr is None:
                    continue
                name = _col(ti, seq, part)
                cols[name] = expr if part == "status" else expr.cast("float64")
                m["columns"][part] = name
        cols[f"t{ti}_holder"] = w[holds_column(tier.key)]
        cols[f"t{ti}_higher"] = any_true([w[holds_column(t.key)] for t in tiers if t.rank > tier.rank])
        if score_range:
            cols[f"t{ti}_score_low"], cols[f"t{ti}_score_high"] = (x.cast("float64") for x in score_range)
    wide = w.select("uscc", "name", "region_code", "industry_code", "synthetic", **cols)
    return wide, meta


def firm_table(wide: ir.Table, ladder: LadderFile, meta: list[dict], year: int) -> ir.Table:
    """ladder_firm: per firm × tier — holder, holds a higher tier, the screen (met / not met / unknown over the
    requirements), the status (holder / above / candidate / not_met), counts, failed requirements, score range."""
    parts = []
    for ti, tier in enumerate(ranked_tiers(ladder)):
        reqs = [m for m in meta if m["tier"] == tier.key and m["requirement"]]
        codes = [wide[m["columns"]["status"]] for m in reqs if m["per_firm"]]
        constant_unknown = any(not m["per_firm"] for m in reqs)
        n_met, n_not, n_unk = (
            ibis.literal(0),
            ibis.literal(0),
            ibis.literal(sum(1 for m in reqs if not m["per_firm"])),
        )
        failed_words = []
        any_not, all_met = ibis.literal(False), ibis.literal(not constant_unknown)
        for m, c in zip([m for m in reqs if m["per_firm"]], codes):
            n_met = n_met + ibis.cases((c == CODE[MET], 1), else_=0)
            n_not = n_not + ibis.cases((c == CODE[NOT_MET], 1), else_=0)
            n_unk = n_unk + ibis.cases((c == CODE[UNKNOWN], 1), else_=0)
            failed_words.append((c == CODE[NOT_MET], m["criterion"]))
            any_not = any_not | (c == CODE[NOT_MET])
            all_met = all_met & c.isin([CODE[MET], CODE[NA]])
        screen = ibis.cases((any_not, NOT_MET), (all_met, MET), else_=UNKNOWN)
        holder, higher = wide[f"t{ti}_holder"], wide[f"t{ti}_higher"]
        status = ibis.cases((holder, "holder"), (higher, "above"), (any_not, "not_met"), else_="candidate")
        lo = wide[f"t{ti}_score_low"] if f"t{ti}_score_low" in wide.columns else ibis.null("float64")
        hi = wide[f"t{ti}_score_high"] if f"t{ti}_score_high" in wide.columns else ibis.null("float64")
        parts.append(
            wide.select(
                ibis.literal(year).cast("int64").name("year"),
                "uscc",
                "name",
                "region_code",
                "industry_code",
                "synthetic",
                ibis.literal(tier.key).name("tier"),
                ibis.literal(tier.rank).cast("int64").name("tier_rank"),
                holder.name("holder"),
                higher.name("holds_higher"),
                screen.name("screen"),
                status.name("status"),
                n_met.cast("int64").name("met"),
                n_not.cast("int64").name("not_met"),
                n_unk.cast("int64").name("unknown"),
                join_words(failed_words).name("failed"),
                lo.cast("float64").name("score_low"),
                hi.cast("float64").name("score_high"),
            )
        )
    return ibis.union(*parts)


SCREENING_SCHEMA = pa.schema(
    [
        ("year", pa.int64()),
        ("uscc", pa.dictionary(pa.int32(), pa.string())),
        ("tier", pa.dictionary(pa.int8(), pa.string())),
        ("criterion", pa.dictionary(pa.int16(), pa.string())),
        ("status", pa.dictionary(pa.int8(), pa.string())),
        ("figure", pa.float64()),
        ("figure_2", pa.float64()),
        ("points_low", pa.float64()),
        ("points_high", pa.float64()),
    ]
)


def long_screening(wide: pa.Table, meta: list[dict], year: int) -> pa.Table:
    """tier_screening: the wide screening (already computed) laid out per firm × tier × criterion — a reshape,
    no computation. Strings are dictionary-encoded (a million firms × 27 rows fit in memory)."""
    import numpy as np

    rows = [m for m in meta if m["per_firm"]]
    n = wide.num_rows
    tiers = list(dict.fromkeys(m["tier"] for m in meta))
    crits = list(dict.fromkeys(m["criterion"] for m in meta))
    uscc = wide.column("uscc").combine_chunks()
    uscc_d = pa.DictionaryArray.from_arrays(pa.array(np.arange(n, dtype=np.int32)), uscc)
    status_dict = pa.array(list(STATUS), pa.string())
    year_a = pa.array(np.full(n, year, dtype=np.int64))
    nulls = pa.nulls(n, pa.float64())
    parts = []
    for m in rows:
        cols = m["columns"]
        code = wide.column(cols["status"]).combine_chunks().cast(pa.int8())

        def const(value, values, typ):
            return pa.DictionaryArray.from_arrays(
                pa.array(np.full(n, values.index(value), dtype=typ)), pa.array(values, pa.string())
            )

        def num(part, cols=cols):
            return wide.column(cols[part]).combine_chunks().cast(pa.float64()) if part in cols else nulls

        parts.append(
            pa.Table.from_arrays(
                [
                    year_a,
                    uscc_d,
                    const(m["tier"], tiers, np.int8),
                    const(m["criterion"], crits, np.int16),
                    pa.DictionaryArray.from_arrays(code, status_dict),
                    num("figure"),
                    num("figure_2"),
                    num("points_low"),
                    num("points_high"),
                ],
                schema=SCREENING_SCHEMA,
            )
        )
    if not parts:
        return SCREENING_SCHEMA.empty_table()
    return pa.concat_tables(parts)


def screening_long(wide: ir.Table, meta: list[dict], year: int) -> ir.Table:
    """tier_screening as an expression: the rows long_screening lays out, computed by the engine (so that
    `zhizao evaluate` streams them to the warehouse instead of holding tens of millions of rows in memory)."""
    status = lambda c: ibis.cases(*((c == i, s) for i, s in enumerate(STATUS)), else_=ibis.null("string"))
    parts = []
    for m in (m for m in meta if m["per_firm"]):
        cols = m["columns"]
        num = lambda part, cols=cols: (wide[cols[part]].cast("float64") if part in cols else ibis.null("float64")).name(
            part
        )
        parts.append(
            wide.select(
                ibis.literal(year).cast("int64").name("year"),
                wide.uscc.cast("string").name("uscc"),
                ibis.literal(m["tier"]).cast("string").name("tier"),
                ibis.literal(m["criterion"]).cast("string").name("criterion"),
                status(wide[cols["status"]]).name("status"),
                num("figure"),
                num("figure_2"),
                num("points_low"),
                num("points_high"),
            )
        )
    return ibis.union(*parts) if parts else None


def status_counts(wide: ir.Table, meta: list[dict]) -> ir.Table:
    """One row: the number of firms screened (`screened`) and, per per-firm row of every tier, the firms with
    each status (`<status column>__<code>`) — what criteria_table counts, computed by the engine."""
    aggs = {"screened": wide.count()}
    for m in (m for m in meta if m["per_firm"]):
        c = wide[m["columns"]["status"]]
        for i in range(len(STATUS)):
            aggs[f"{m['columns']['status']}__{i}"] = ibis.cases((c == i, 1), else_=0).sum()
    return wide.aggregate(**aggs)


def criteria_table(meta: list[dict], wide: pa.Table, year: int) -> pa.Table:
    """ladder_criteria: every row of every tier with the counts of firms by status (rows that depend on no
    firm's data are unknown for all)."""
    import pyarrow.compute as pc

    counts = {"screened": wide.num_rows}
    for m in (m for m in meta if m["per_firm"]):
        for vc in pc.value_counts(wide.column(m["columns"]["status"])).to_pylist():
            counts[f"{m['columns']['status']}__{vc['values']}"] = vc["counts"]
    return criteria_from_counts(meta, counts, year)


def criteria_from_counts(meta: list[dict], counts: dict, year: int) -> pa.Table:
    """ladder_criteria from the counts status_counts (or criteria_table) makes."""
    screened = counts["screened"]
    out = []
    for m in meta:
        c = {}
        if m["per_firm"]:
            for i, s in enumerate(STATUS):
                c[s] = counts.get(f"{m['columns']['status']}__{i}") or 0
        else:
            c = {UNKNOWN: screened}
        out.append(
            {
                "year": year,
                **{k: v for k, v in m.items() if k not in ("columns", "points_low", "points_high")},
                "met": c.get(MET, 0),
                "not_met": c.get(NOT_MET, 0),
                "unknown": c.get(UNKNOWN, 0),
                "scored": c.get(SCORED, 0),
                "not_applicable": c.get(NA, 0),
            }
        )
    schema = pa.schema(
        [
            ("year", pa.int64()),
            ("tier", pa.string()),
            ("tier_rank", pa.int64()),
            ("seq", pa.int64()),
            ("criterion", pa.string()),
            ("kind", pa.string()),
            ("label_zh", pa.string()),
            ("label_en", pa.string()),
            ("requirement", pa.bool_()),
            ("per_firm", pa.bool_()),
            ("figure_measure", pa.string()),
            ("figure_2_measure", pa.string()),
            ("source_status", pa.string()),
            ("met", pa.int64()),
            ("not_met", pa.int64()),
            ("unknown", pa.int64()),
            ("scored", pa.int64()),
            ("not_applicable", pa.int64()),
        ]
    )
    return pa.Table.from_pylist(out, schema=schema)
