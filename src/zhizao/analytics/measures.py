"""Shared measurement for the clusters and targets instruments (analytics/clusters.py, analytics/targets/):
enterprise figures summed into small cells, the regions each cell belongs to on a chosen map, and the
units (clusters, tiers of a cluster system, industry sections) each cell's industry counts to.

Method (a plain sum-aggregation with mapping weights, as statistical offices roll establishment
figures up to industry groupings and areas; the weights are the policy pack's cluster_industry shares):

    cell c      = (recorded county r, park p, the park's functional area a, leaf industry i)
    X[c, y]     = Σ_{f ∈ c, f has figures for y, f in the 规上 scope in y} x[f, y]     x: any enterprise_year column
    X_all[c, y] = Σ_{f ∈ c, f has figures for y} x[f, y]                        (every firm: the all-firm figure)
    N[c, y]     = number of firms of c in the 规上 scope in y;  N_all[c, y] = every firm with figures for y
    N_above[c, y] = number of above-scale industrial firms (规上工业企业数: scale.above_scale, not the firms of
                  sections without a size rule)
    N≥T[c, y]   = number of firms (all) with revenue[f, y] ≥ T      (size-class counts: 百亿级 = 1e10 …)
    The 规上 scope is analytics/scale.py's in_scale_scope[f, y]: above-scale industrial firm-years (revenue ≥
    the pack's threshold of that year, sections B–D) and firms of sections the pack sets no size rule for.
    Published 规上工业总产值, 规上工业增加值 … compare with X; X_all keeps what every firm in the warehouse adds
    up to (a real import holds small firms too).
    member(c)   = ancestors(map(r)) ∪ {a} ∪ {areas that wholly cover one of those} [∪ {p}]
                  ancestors include the region itself (region_ancestor, depth 0); map = identity
                  ('recorded'), the primary successions in force today ('current': 江北区 → its successor),
                  or both ('both': the union of the two sets, so that a merged district and its successor are
                  each measurable on the firms that belong to them).
    unit u      = leaf industries with shares s[u, i] ∈ (0, 1]: a cluster (cluster_industry.share); a tier of a
                  system (min(1, Σ of its clusters' shares) — the pack keeps a tier's shares ≤ 1, so a tier total
                  never counts a firm twice); an industry-section set (share 1); '*' = every firm (share 1).
                  A district's cluster with no industries of its own takes those of the city clusters it maps
                  to (cluster_map): s[u, i] = min(1, Σ_{v ∈ maps_to(u)} s[v, i]).
                  A unit of a district's own system counts a cell only if the system's region is in the cell's
                  system membership (the displayed map's membership, plus the recorded region's on the current
                  map): a district system's cluster counts only firms of its district.
    X[m, u, y]  = Σ_{c: m ∈ member(c)} s[u, i(c)] · X[c, y]     (likewise X_all)
    firms       = Σ_{c: m ∈ member(c), s[u, i(c)] > 0} N[c, y]   (a firm counts whole in every unit its industry
                  maps to with a share > 0; so firm counts of clusters sharing an industry can add to more than
                  the tier's count, while money figures add up exactly)
    firms_weighted = Σ s[u, i(c)] · N[c, y]                        (adds up within a tier)
    N≥T[m, u, y] = Σ_{c: …, s > 0} N≥T[c, y]                        (whole firms)

Every firm sits in exactly one cell and member(c) is a set, so no total counts a firm twice.

Ratios (亩均税收 = tax / land, R&D intensity, labour productivity …): one pooled, pairwise-complete rule, used by
the targets (ratio metrics) and the 亩均 evaluation (its area figures and prior-mean benchmarks) alike:

    R[n/d] over a set of firms F = Σ_{f ∈ F, n_f known, d_f > 0} n_f / Σ_{f ∈ F, n_f known, d_f > 0} d_f
    (a firm counts in both sums or in neither; null when no firm has both figures)
    Worked example: firms (tax, land) = (100, 10), (50, missing), (30, 5), (20, 0) → (100 + 30) / (10 + 5) = 8.67
    per 亩 — not (100 + 50 + 30 + 20) / 15 = 13.33, which divides the tax of firms without land by the land of others.
    In cells: PN[c, y] = Σ n_f and PD[c, y] = Σ d_f over the pairwise-complete firms of c (pair_columns), summed with
    the unit shares like every other figure, so R[m, u, y] = PN[m, u, y] / PD[m, u, y].

Honours (smart factories, digital workshops, the ladder …): analytics/honours.py counts them (levels, first
recognition, validity), the same function the ladder uses:

    held[c, k, Y]   = firms of c holding a valid recognition of k at Y;  new[c, k, Y] = firms of c first recognised
                      as k in Y (renewals are not new)
    held[m, u, k, Y] = Σ_{c: m ∈ member(c), s[u, i(c)] > 0} held[c, k, Y]   (whole firms; likewise new)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ibis

from ..vocab import MONEY_FIGURES, SUMMED_FIGURES

# Enterprise figures the instruments sum (enterprise_year columns; the list is zhizao/vocab.py's).
MONEY = MONEY_FIGURES
FIGURES = SUMMED_FIGURES
# GB/T 4754-2017 sections that make up "industry" (工业) in Chinese statistics: mining, manufacturing,
# electricity/heat/gas/water. A national convention, not a place's.
INDUSTRIAL_SECTIONS = ("B", "C", "D")
MANUFACTURING_SECTIONS = ("C",)
ALL_UNIT = "*"
KEYS = ("region_code", "park_id", "area_code")
MAPS = ("recorded", "current")
ALL_SUFFIX = "_all"  # X_all: the all-firm figure beside the 规上 figure X


def all_column(c: str) -> str:
    """The all-firm name of a figure (output_value -> output_value_all; firms -> firms_all)."""
    return c + ALL_SUFFIX


def nullable(t):
    """The same table with every column nullable (set operations need equal schemas, and engines differ
    on which columns they know are never null)."""
    return t.select(**{c: t[c].cast(typ.copy(nullable=True)) for c, typ in t.schema().items()})


def union_all(*tables, distinct: bool = False):
    """UNION [ALL] of tables with the same columns, whatever their nullability. Built as a balanced tree, so that
    the SQL of many parts nests log2(n) deep, not n (a long chain overflows the SQL generator's recursion)."""
    first = nullable(tables[0])
    parts = [first] + [nullable(t).select(*first.columns) for t in tables[1:]]
    while len(parts) > 1:
        pairs = [parts[i : i + 2] for i in range(0, len(parts), 2)]
        parts = [p[0].union(p[1], distinct=distinct) if len(p) == 2 else p[0] for p in pairs]
    return parts[0]


def engine_table(engine, t):
    """A small pyarrow table as a table of `engine`, nulls intact on every engine (Engine.memtable)."""
    return engine.memtable(t)


def pair_columns(numerator: str, denominator: str) -> tuple[str, str]:
    """Names of the pairwise-complete sums PN, PD of the ratio numerator / denominator (see the module text)."""
    return f"pn__{numerator}__{denominator}", f"pd__{numerator}__{denominator}"


def paired(n, d):
    """(n, d) kept where the firm has both figures (n known, d > 0), else null: the inputs of a pooled ratio."""
    n, d = n.cast("float64"), d.cast("float64")
    ok = n.notnull() & (d > 0)
    return ibis.ifelse(ok, n, ibis.null("float64")), ibis.ifelse(ok, d, ibis.null("float64"))


def pooled_ratio(t, numerator: str, denominator: str, scale: float = 1.0, where=None):
    """R[n/d] × scale over the rows of `t` (an aggregate expression): Σ n / Σ d over rows having both figures,
    null when none has. `where`: a further condition on the rows counted."""
    pn, pd_ = paired(t[numerator], t[denominator])
    num, den = pn.sum(where=where), pd_.sum(where=where)
    return ibis.ifelse(den > 0, num / den * float(scale), ibis.null("float64"))


def threshold_column(threshold: float) -> str:
    """Column name of the size-class count N≥T (revenue ≥ T yuan)."""
    return f"n_revenue_ge_{int(threshold)}"


def _firms(enterprise, park, parks: bool):
    e = enterprise.select("uscc", "region_code", "industry_code", pid=enterprise.park_id)
    p = park.select(park_ref=park.id, area=park.functional_area_code)
    e = e.left_join(p, e.pid == p.park_ref)
    return e.select(
        "uscc",
        "region_code",
        "industry_code",
        park_id=e.pid.fill_null("") if parks else ibis.literal(""),
        area_code=e.area.fill_null(""),
    )


def cells(
    enterprise,
    enterprise_year,
    park,
    years: Iterable[int] | None = None,
    columns: Sequence[str] = MONEY,
    thresholds: Sequence[float] = (),
    parks: bool = True,
    *,
    industry,
    pack,
    ratios: Sequence[tuple[str, str]] = (),
):
    """X[c, y], X_all[c, y], N, N_all, N_above and N≥T[c, y] per cell (region_code, park_id, area_code,
    industry_code, year). `industry` (the warehouse table) gives each firm's section, `pack` the size rules.
    `ratios`: (numerator, denominator) pairs whose pairwise-complete sums PN, PD (and PN_all, PD_all) are wanted.

    park_id and area_code are '' when the firm has no park / its park lies in no functional area;
    parks=False leaves park_id '' for every firm (fewer cells when no figure is wanted per park)."""
    from . import scale

    ey = enterprise_year
    if years is not None:
        ey = ey.filter(ey.year.isin(sorted({int(y) for y in years})))
    j = ey.join(_firms(enterprise, park, parks), "uscc")
    ind = industry.select(ind_code=industry.code, ind_section=industry.section)
    j = j.left_join(ind, j.industry_code == ind.ind_code)
    sec = ibis.coalesce(j.ind_section, j.industry_code.substr(0, 1))
    yr = j.year.cast("int64")
    j = j.mutate(
        _scope=scale.in_scale_scope_expr(pack, sec, j.revenue, yr),
        _above=scale.above_scale_expr(pack, sec, j.revenue, yr),
    )
    aggs = {
        "firms": j.count(where=j._scope),
        all_column("firms"): j.count(),
        "above_scale_firms": j.count(where=j._above),
    }
    for c in columns:
        aggs[c] = j[c].sum(where=j._scope)
        aggs[all_column(c)] = j[c].sum()
    for t in thresholds:
        aggs[threshold_column(t)] = j.count(where=j.revenue >= float(t))
    for n, d in dict.fromkeys(ratios):
        pn, pd_ = paired(j[n], j[d])
        cn, cd = pair_columns(n, d)
        aggs[cn], aggs[cd] = pn.sum(where=j._scope), pd_.sum(where=j._scope)
        aggs[all_column(cn)], aggs[all_column(cd)] = pn.sum(), pd_.sum()
    out = j.group_by([*KEYS, "industry_code", yr.name("year")]).aggregate(**aggs)
    return out


def honour_cells(enterprise, honour, park, years: Sequence[int], parks: bool = True, *, counts):
    """held[c, k, Y] and new[c, k, Y] per cell, honour count k (its key: kind[@levels]) and year Y in `years`
    (column as_of), as analytics/honours.py defines them (levels, first recognition, validity). `counts`: the
    honours.HonourCount to count."""
    from . import honours

    st = honours.firm_status(honour, counts, years)
    j = st.join(_firms(enterprise, park, parks), "uscc")
    return j.group_by([*KEYS, "industry_code", j.key.name("kind"), "as_of"]).aggregate(
        held=j.count(where=j.held), new=j.count(where=j.new)
    )


def _mapped(keys, region_map, mode: str):
    rec = keys.mutate(mapped=keys.region_code)
    if mode == "recorded":
        return rec
    m = region_map.select(code_m=region_map.code, current_code=region_map.current_code)
    j = keys.left_join(m, keys.region_code == m.code_m)
    cur = j.select(*KEYS, mapped=j.current_code.fill_null(j.region_code)).view()  # view: a new relation, so
    # that later joins do not extend this join chain with a computed column (an ibis 12 IntegrityError)
    if mode == "current":
        return cur
    if mode == "both":
        return union_all(rec, cur, distinct=True)
    raise ValueError(f"unknown map {mode!r} (recorded, current or both)")


def memberships(keys, region_ancestor, region_overlap, region_map, mode: str = "recorded", parks: bool = False):
    """member(c): (region_code, park_id, area_code, member_code) — every region (and, with parks=True, the
    park) a cell's figures count to on the map `mode`. `keys` holds distinct (region_code, park_id, area_code)."""
    keys = keys.select(*KEYS).distinct()
    mp = _mapped(keys, region_map, mode)
    ra = region_ancestor.select(anc_code=region_ancestor.code, member_code=region_ancestor.ancestor_code)
    anc = mp.join(ra, mp.mapped == ra.anc_code).select(*KEYS, "member_code")
    ov = region_overlap.filter(region_overlap.part == "whole")
    ov = ov.select(ov_region=ov.region_code, ov_area=ov.area_code)
    whole = anc.join(ov, anc.member_code == ov.ov_region).select(*KEYS, member_code=ov.ov_area)
    area = keys.filter(keys.area_code != "").select(*KEYS, member_code=keys.area_code)
    parts = [anc, whole, area]
    if parks:
        parts.append(keys.filter(keys.park_id != "").select(*KEYS, member_code=keys.park_id))
    return union_all(*parts, distinct=True)


def cluster_units(cluster, cluster_system, cluster_industry, cluster_map=None, tiers: bool = True):
    """Units u with s[u, i]: every cluster, and (tiers=True) every tier of every system.

    A cluster with no industries of its own (a district's cluster defined by the city clusters it maps to,
    cluster_map) takes the industries of those clusters: s[u, i] = min(1, Σ_{v ∈ maps_to(u)} s[v, i]).
    A tier's share is min(1, Σ of its clusters' shares) — the pack keeps own shares within a tier ≤ 1.
    Columns: unit_id, industry_code, share, system_region. Labels come from unit_labels()."""
    ci = cluster_industry.select("cluster_id", "industry_code", share=cluster_industry.share.cast("float64"))
    if cluster_map is not None:
        own = ci.select(have=ci.cluster_id).distinct()
        cmap = cluster_map.join(own, cluster_map.cluster_id == own.have, how="anti")
        via = ci.select(v_id=ci.cluster_id, v_code=ci.industry_code, v_share=ci.share)
        inh = cmap.join(via, cmap.maps_to == via.v_id)
        inh = inh.group_by([inh.cluster_id, inh.v_code.name("industry_code")]).aggregate(s=inh.v_share.sum())
        inh = inh.select("cluster_id", "industry_code", share=ibis.least(ibis.literal(1.0), inh.s))
        ci = union_all(ci, inh)
    c = cluster.select(cid=cluster.id, system_id=cluster.system_id, tier=cluster.tier)
    s = cluster_system.select(sid=cluster_system.id, system_region=cluster_system.region_code)
    ci = ci.join(c, ci.cluster_id == c.cid)
    ci = ci.join(s, ci.system_id == s.sid)
    per_cluster = ci.select(
        unit_id=ci.cluster_id, industry_code=ci.industry_code, share=ci.share, system_region=ci.system_region
    )
    if not tiers:
        return per_cluster
    t = ci.group_by(["system_id", "tier", "industry_code", "system_region"]).aggregate(share=ci.share.sum())
    per_tier = t.select(
        unit_id=t.system_id + "/" + t.tier,
        industry_code=t.industry_code,
        share=ibis.least(ibis.literal(1.0), t.share),
        system_region=t.system_region,
    )
    return union_all(per_cluster, per_tier)


def section_unit(industry, sections: Sequence[str], unit_id: str, root: str):
    """A unit of whole industry sections (share 1), e.g. industry = B+C+D."""
    i = industry.filter(industry.section.isin(list(sections)))
    return i.select(
        unit_id=ibis.literal(unit_id), industry_code=i.code, share=ibis.literal(1.0), system_region=ibis.literal(root)
    )


def unit_labels(cluster, cluster_system, cluster_tier, extra: dict[str, str] | None = None):
    """unit_id → scope ('cluster' | 'tier' | 'sections' | 'all'), system_id, tier, tier_rank, cluster_id,
    cluster_name. `extra` names the section and all-firm units ({unit_id: scope})."""
    c = cluster
    cl = c.select(
        unit_id=c.id,
        scope=ibis.literal("cluster"),
        system_id=c.system_id,
        tier=c.tier,
        tier_rank=c.tier_rank.cast("int64"),
        cluster_id=c.id,
        cluster_name=c.name_zh,
    )
    t = cluster_tier
    tl = t.select(
        unit_id=t.system_id + "/" + t.key,
        scope=ibis.literal("tier"),
        system_id=t.system_id,
        tier=t.key,
        tier_rank=t.rank.cast("int64"),
        cluster_id=ibis.null("string"),
        cluster_name=t.name_zh,
    )
    parts = [cl, tl]
    if extra:
        ids = list(extra)
        ex = ibis.memtable({"unit_id": ids, "scope": [extra[k] for k in ids]})
        ex = ex.select(
            "unit_id",
            "scope",
            system_id=ibis.null("string"),
            tier=ibis.null("string"),
            tier_rank=ibis.null("int64"),
            cluster_id=ibis.null("string"),
            cluster_name=ibis.null("string"),
        )
        parts.append(ex)
    return union_all(*parts)


def unit_sums(
    cells_t,
    units,
    members,
    sys_members,
    columns: Sequence[str] = MONEY,
    thresholds: Sequence[float] = (),
    ratios: Sequence[tuple[str, str]] = (),
):
    """X[m, u, y], X_all, firms, firms_all, above_scale_firms, firms_weighted and N≥T[m, u, y] for every member
    m, unit u and year y held by the cells (and PN, PD of `ratios`, as in cells()). units=None means the all-firm
    unit '*'. sys_members: the system membership (member_code of the cells that may count to a district system's
    units)."""
    columns = [*columns, *ratio_columns(ratios)]
    thr = [threshold_column(t) for t in thresholds]
    if units is None:
        j = cells_t.mutate(unit_id=ibis.literal(ALL_UNIT), share=ibis.literal(1.0))
    else:
        j = cells_t.join(units, "industry_code")
        sm = sys_members.select(*KEYS, system_region=sys_members.member_code)
        j = j.join(sm, [*KEYS, "system_region"], how="semi")
    j = j.join(members, list(KEYS))
    whole = j.share > 0
    aggs = {
        "firms": j.firms.sum(where=whole),
        all_column("firms"): j[all_column("firms")].sum(where=whole),
        "above_scale_firms": j.above_scale_firms.sum(where=whole),
        "firms_weighted": (j.share * j.firms).sum(),
    }
    for c in columns:
        aggs[c] = (j.share * j[c]).sum()
        aggs[all_column(c)] = (j.share * j[all_column(c)]).sum()
    for c in thr:
        aggs[c] = j[c].sum(where=whole)
    return j.group_by(["member_code", "unit_id", "year"]).aggregate(**aggs)


def ratio_columns(ratios: Sequence[tuple[str, str]]) -> list[str]:
    """The PN, PD column names of `ratios` (each pair once)."""
    return [c for n, d in dict.fromkeys(ratios) for c in pair_columns(n, d)]


def honour_sums(hcells, units, members, sys_members):
    """held, new per member m, unit u, honour kind k and year Y (as_of); units=None → the all-firm unit '*'.
    Firms count whole in every unit their industry maps to with a share > 0."""
    if units is None:
        j = hcells.mutate(unit_id=ibis.literal(ALL_UNIT), share=ibis.literal(1.0))
    else:
        j = hcells.join(units, "industry_code")
        sm = sys_members.select(*KEYS, system_region=sys_members.member_code)
        j = j.join(sm, [*KEYS, "system_region"], how="semi")
    j = j.filter(j.share > 0)
    j = j.join(members, list(KEYS))
    return j.group_by(["member_code", "unit_id", "kind", "as_of"]).aggregate(held=j.held.sum(), new=j.new.sum())


def warehouse_is_synthetic(ctx) -> bool:
    """Whether the warehouse holds the synthetic demo (meta key 'synthetic' = 'true'); works on every engine."""
    meta = ctx.table("meta")
    rows = ctx.to_arrow(meta.filter(meta.key == "synthetic").select("value")).column("value").to_pylist()
    return any(str(v).strip().lower() == "true" for v in rows)
