"""Clusters: enterprise figures rolled up to every cluster (each tier of the city's system and the
districts' own systems), every region and region group, every year — with year-on-year growth and
shares of the city; and honour counts (智能工厂, 数字化车间, the ladder …) per region and cluster.

Method: a weighted sum-aggregation of firm figures (establishment figures summed to industry groupings
and areas, as in national accounts), weights being the policy pack's mapping of clusters to
GB/T 4754-2017 leaf industries (cluster_industry.share). Cells, memberships and units are defined once
in analytics/measures.py; this module adds, for member region m, unit u (cluster, tier, the industry
sections B+C+D, or '*' = every firm) and year y:

    X[m, u, y]               = Σ_c s[u, i(c)] · X[c, y]          (measures.py; X ∈ output_value, value_added,
                                                                 revenue, tax, fixed_investment,
                                                                 tech_renovation_investment)
    X_growth[m, u, y]        = X[m, u, y] / X[m, u, y−1] − 1      (null when X[m, u, y−1] ≤ 0 or absent)
    X_share_of_city[m, u, y] = X[m, u, y] / X[city, u, y]         (the region's share of the city's figure for
                                                                 the same unit; the city is the pack's root)
    X_share_of_region        = X[m, u, y] / X[m, '*', y]         (the unit's share of everything the region's
                                                                 firms produce)
    firms, firms_weighted    as in measures.py (whole firms with share > 0; Σ shares); firms_growth and
                             firms_share_of_city as above on `firms`.
    honours: held[m, u, k, Y] and new[m, u, k, Y] (measures.py), held_growth = held[Y] / held[Y−1] − 1,
             new_growth = new[Y] / new[Y−1] − 1, held_share_of_city = held[m] / held[city].

Maps: 'recorded' puts a firm where its region_code was recorded; 'current' rolls merged regions into
their successor on today's map (region_succession, primary successions only). A firm in several
clusters (an industry mapped to more than one) counts to each by its share, and never twice in one total:
a tier's share of an industry is at most 1, and every firm sits in one cell.

Rows exist for every (region, unit) with at least one firm reporting in the year (a district system's units
only in its district and the district's groups). Both maps are evaluated; the result's region_map column says
which. On the recorded map a functional area holds the firms of its parks (and of counties it wholly covers).
"""

from __future__ import annotations

from typing import Iterable, Sequence

import ibis
import pyarrow as pa
import pyarrow.compute as pc

from . import measures as ms

SECTIONS_UNIT = "sections:" + "+".join(ms.INDUSTRIAL_SECTIONS)
LEVEL_ORDER = {"province": 0, "group": 1, "subgroup": 2, "functional_area": 3, "county": 4}


def figures(sums, labels, regions, years: Sequence[int], root: str, columns: Sequence[str] = ms.MONEY):
    """Growth and shares from unit sums (measures.unit_sums for `years` and each year before them)."""
    years = sorted({int(y) for y in years})
    grown = ["firms", "above_scale_firms", *columns]
    cur = sums.filter(sums.year.isin(years))
    v = sums.view()
    prev = v.select("member_code", "unit_id", year=v.year + 1, **{f"{c}_prev": v[c] for c in grown})
    j = cur.left_join(prev, ["member_code", "unit_id", "year"])
    j = j.select(*cur.columns, *[f"{c}_prev" for c in grown])
    v2 = sums.view()
    city = v2.filter((v2.member_code == root) & v2.year.isin(years))
    city = city.select("unit_id", "year", **{f"{c}_city": city[c] for c in ["firms", *columns]})
    j = j.left_join(city, ["unit_id", "year"])
    j = j.select(*[c for c in j.columns if not c.endswith("_right")])
    v3 = sums.view()
    tot = v3.filter((v3.unit_id == ms.ALL_UNIT) & v3.year.isin(years))
    tot = tot.select("member_code", "year", **{f"{c}_total": tot[c] for c in columns})
    j = j.left_join(tot, ["member_code", "year"])
    j = j.select(*[c for c in j.columns if not c.endswith("_right")])

    def ratio(a, b):
        return ibis.ifelse(b != 0, a / b, ibis.null("float64"))

    def growth(a, b):
        return ibis.ifelse(b > 0, a.cast("float64") / b - 1, ibis.null("float64"))

    out = {
        "year": j.year,
        "member_code": j.member_code,
        "unit_id": j.unit_id,
        "firms": j.firms.fill_null(0).cast("int64"),
        "firms_prev": j.firms_prev.cast("int64"),
        "firms_growth": growth(j.firms, j.firms_prev),
        "firms_weighted": j.firms_weighted.cast("float64"),
        "firms_share_of_city": ratio(j.firms.cast("float64"), j.firms_city),
        "above_scale_firms": j.above_scale_firms.fill_null(0).cast("int64"),
        "above_scale_firms_prev": j.above_scale_firms_prev.cast("int64"),
        "above_scale_firms_growth": growth(j.above_scale_firms, j.above_scale_firms_prev),
        ms.all_column("firms"): j[ms.all_column("firms")].fill_null(0).cast("int64"),
    }
    for c in columns:
        out[ms.all_column(c)] = j[ms.all_column(c)].cast("float64")
    for c in columns:
        out[c] = j[c].cast("float64")
        out[f"{c}_prev"] = j[f"{c}_prev"].cast("float64")
        out[f"{c}_growth"] = growth(j[c], j[f"{c}_prev"])
        out[f"{c}_share_of_city"] = ratio(j[c].cast("float64"), j[f"{c}_city"])
        out[f"{c}_share_of_region"] = ratio(j[c].cast("float64"), j[f"{c}_total"])
    f = j.select(**out)
    # labels: region and unit
    r = regions.select(member_code=regions.code, region_name=regions.name_zh, region_level=regions.level)
    f = f.join(r, "member_code").join(labels, "unit_id")
    head = [
        "year",
        "member_code",
        "region_name",
        "region_level",
        "unit_id",
        "scope",
        "system_id",
        "tier",
        "tier_rank",
        "cluster_id",
        "cluster_name",
    ]
    rest = [c for c in out if c not in ("year", "member_code", "unit_id")]
    f = f.select(*head, *rest)
    return f.rename(region_code="member_code")


def honour_figures(hsums, labels, regions, years: Sequence[int], root: str):
    """held / new honours with growth and share of the city (measures.honour_sums for years and years − 1)."""
    years = sorted({int(y) for y in years})
    cur = hsums.filter(hsums.as_of.isin(years))
    v = hsums.view()
    prev = v.select("member_code", "unit_id", "kind", as_of=v.as_of + 1, held_prev=v.held, new_prev=v.new)
    j = cur.left_join(prev, ["member_code", "unit_id", "kind", "as_of"])
    j = j.select(*cur.columns, "held_prev", "new_prev")
    v2 = hsums.view()
    city = v2.filter((v2.member_code == root) & v2.as_of.isin(years))
    city = city.select("unit_id", "kind", "as_of", held_city=city.held)
    j = j.left_join(city, ["unit_id", "kind", "as_of"])

    def growth(a, b):
        return ibis.ifelse(b > 0, a.cast("float64") / b - 1, ibis.null("float64"))

    f = j.select(
        year=j.as_of,
        member_code=j.member_code,
        unit_id=j.unit_id,
        kind=j.kind,
        held=j.held.fill_null(0).cast("int64"),
        held_prev=j.held_prev.fill_null(0).cast("int64"),
        held_growth=growth(j.held, j.held_prev),
        new=j.new.fill_null(0).cast("int64"),
        new_prev=j.new_prev.fill_null(0).cast("int64"),
        new_growth=growth(j.new.fill_null(0), j.new_prev),
        held_share_of_city=ibis.ifelse(j.held_city > 0, j.held.cast("float64") / j.held_city, ibis.null("float64")),
    )
    r = regions.select(member_code=regions.code, region_name=regions.name_zh, region_level=regions.level)
    f = f.join(r, "member_code").join(labels, "unit_id")
    f = f.select(
        "year",
        "member_code",
        "region_name",
        "region_level",
        "unit_id",
        "scope",
        "system_id",
        "tier",
        "tier_rank",
        "cluster_id",
        "cluster_name",
        "kind",
        "held",
        "held_prev",
        "held_growth",
        "new",
        "new_prev",
        "new_growth",
        "held_share_of_city",
    )
    return f.rename(region_code="member_code")


# ------------------------------------------------------------------------------------------- run on a Context
def _root(ctx) -> str:
    return ctx.pack.info.root_region


def compute(
    ctx, years: Iterable[int] | None = None, maps: Sequence[str] = ms.MAPS, honours: bool = True
) -> dict[str, pa.Table]:
    """cluster_figures (and cluster_honours) for `years` (default ctx.year) on each map in `maps`."""
    years = sorted({int(y) for y in (years or [ctx.year])})
    need = sorted(set(years) | {y - 1 for y in years})
    t = ctx.table
    root = _root(ctx)
    cells_a = ctx.to_arrow(
        ms.cells(
            t("enterprise"), t("enterprise_year"), t("park"), need, parks=False, industry=t("industry"), pack=ctx.pack
        )
    )
    cm = ms.engine_table(ctx.engine, cells_a)
    keys_a = cells_a.select(list(ms.KEYS))
    hm = None
    if honours:
        from . import honours as hn

        counts = [hn.count_for(ctx.pack, k.key) for k in ctx.pack.ladder.honour_kinds]
        h_a = ctx.to_arrow(ms.honour_cells(t("enterprise"), t("honour"), t("park"), need, parks=False, counts=counts))
        hm = ms.engine_table(ctx.engine, h_a)
        keys_a = pa.concat_tables([keys_a, h_a.select(list(ms.KEYS))])
    keys = ctx.engine.memtable(keys_a.group_by(list(ms.KEYS)).aggregate([]))
    units = ms.union_all(
        ms.cluster_units(t("cluster"), t("cluster_system"), t("cluster_industry"), t("cluster_map")),
        ms.section_unit(t("industry"), ms.INDUSTRIAL_SECTIONS, SECTIONS_UNIT, root),
    )
    units = ms.engine_table(ctx.engine, ctx.to_arrow(units))
    labels = ms.engine_table(
        ctx.engine,
        ctx.to_arrow(
            ms.unit_labels(
                t("cluster"), t("cluster_system"), t("cluster_tier"), {SECTIONS_UNIT: "sections", ms.ALL_UNIT: "all"}
            )
        ),
    )
    regions = t("region")
    figs, hons = [], []
    for mode in maps:
        rmap = ctx.region_map()
        members = ms.engine_table(
            ctx.engine, ctx.to_arrow(ms.memberships(keys, t("region_ancestor"), t("region_overlap"), rmap, mode))
        )
        sysm = (
            members
            if mode == "recorded"
            else ms.engine_table(
                ctx.engine, ctx.to_arrow(ms.memberships(keys, t("region_ancestor"), t("region_overlap"), rmap, "both"))
            )
        )
        sums = ms.union_all(ms.unit_sums(cm, units, members, sysm), ms.unit_sums(cm, None, members, sysm))
        sums = ms.engine_table(ctx.engine, ctx.to_arrow(sums))
        f = figures(sums, labels, regions, years, root)
        figs.append(ctx.to_arrow(f.mutate(region_map=ibis.literal(mode))))
        if honours:
            hs = ms.union_all(ms.honour_sums(hm, units, members, sysm), ms.honour_sums(hm, None, members, sysm))
            hs = ms.engine_table(ctx.engine, ctx.to_arrow(hs))
            hons.append(
                ctx.to_arrow(honour_figures(hs, labels, regions, years, root).mutate(region_map=ibis.literal(mode)))
            )
    out = {"cluster_figures": _order(_map_first(pa.concat_tables(figs)))}
    if honours:
        out["cluster_honours"] = _order(_map_first(pa.concat_tables(hons)), extra=("kind",))
    return out


def _map_first(t: pa.Table) -> pa.Table:
    cols = ["region_map"] + [c for c in t.column_names if c != "region_map"]
    return t.select(cols)


def _order(t: pa.Table, extra: tuple[str, ...] = ()) -> pa.Table:
    if t.num_rows == 0:
        return t
    lvl = pa.array([LEVEL_ORDER.get(x, 9) for x in t.column("region_level").to_pylist()], pa.int64())
    scope = pa.array(
        [{"all": 0, "sections": 1, "tier": 2, "cluster": 3}.get(x, 9) for x in t.column("scope").to_pylist()],
        pa.int64(),
    )
    tmp = t.append_column("_lvl", lvl).append_column("_scope", scope)
    keys = [
        ("region_map", "ascending"),
        ("year", "ascending"),
        ("_lvl", "ascending"),
        ("region_code", "ascending"),
        ("_scope", "ascending"),
        ("system_id", "ascending"),
        ("tier_rank", "ascending"),
        ("unit_id", "ascending"),
    ] + [(k, "ascending") for k in extra]
    tmp = tmp.sort_by(keys)
    return tmp.drop_columns(["_lvl", "_scope"])


def evaluate(ctx) -> dict[str, pa.Table]:
    """cluster_figures and cluster_honours for ctx.year, on the recorded and the current map."""
    return compute(ctx, [ctx.year])


def summarise(tables: dict[str, pa.Table]) -> str:
    f = tables["cluster_figures"]
    rec = f.filter(pc.equal(f.column("region_map"), "recorded"))
    clusters = rec.filter(pc.equal(rec.column("scope"), "cluster"))
    n_clusters = len(set(clusters.column("cluster_id").to_pylist()))
    n_regions = len(set(rec.column("region_code").to_pylist()))
    h = tables.get("cluster_honours")
    extra = f", {h.num_rows:,} honour rows" if h is not None else ""
    return f"{n_clusters} clusters × {n_regions} regions, {f.num_rows:,} figure rows (2 maps){extra}"


# ------------------------------------------------------------------------------------------------ CLI view
def resolve_filters(
    ctx,
    region: str | None = None,
    cluster: str | None = None,
    system: str | None = None,
    level: str | None = None,
    region_map: str = "recorded",
) -> dict:
    """Check the user's filters against the pack; AnalyticsError names what is unknown."""
    from . import AnalyticsError

    pack = ctx.pack
    out: dict = {"region": None, "clusters": None, "system": None, "level": None}
    if region_map not in ms.MAPS:
        raise AnalyticsError(f"unknown map {region_map!r}: choose {' or '.join(ms.MAPS)}")
    if region is not None:
        r = pack.resolve_region(region)
        if r is None:
            raise AnalyticsError(f"unknown region {region!r}: not a region code or name of pack {pack.info.id}")
        out["region"] = r.code
    if cluster is not None:
        want = cluster.strip()
        ids = [
            c.id
            for c in pack.clusters.values()
            if want.lower() == c.id.lower() or want == c.name_zh or want.lower() == (c.name_en or "").lower()
        ]
        if not ids:
            raise AnalyticsError(
                f"unknown cluster {cluster!r}: give a cluster id ({', '.join(sorted(pack.clusters)[:6])} …) or its name"
            )
        out["clusters"] = ids
    if system is not None:
        ids = [s.id for s in pack.systems.values() if system in (s.id, s.label, s.name_zh)]
        if not ids:
            raise AnalyticsError(f"unknown cluster system {system!r}: choose one of {', '.join(sorted(pack.systems))}")
        out["system"] = ids[0]
    if level is not None:
        if level not in LEVEL_ORDER:
            raise AnalyticsError(f"unknown region level {level!r}: choose one of {', '.join(LEVEL_ORDER)}")
        out["level"] = level
    return out


def select_rows(t: pa.Table, f: dict, default_root: str | None = None) -> pa.Table:
    """Rows of a cluster_figures / cluster_honours table matching resolved filters. With no region, cluster,
    system or level filter, the city's own rows (default_root)."""
    mask = None

    def both(m):
        nonlocal mask
        mask = m if mask is None else pc.and_(mask, m)

    region = f.get("region")
    if region is None and not (f.get("clusters") or f.get("system") or f.get("level")) and default_root:
        region = default_root
    if region is not None:
        both(pc.equal(t.column("region_code"), region))
    if f.get("clusters"):
        both(pc.is_in(t.column("cluster_id"), pa.array(f["clusters"])))
    if f.get("system"):
        both(pc.equal(t.column("system_id"), f["system"]))
    if f.get("level"):
        both(pc.equal(t.column("region_level"), f["level"]))
    if mask is None:
        return t
    return t.filter(pc.fill_null(mask, False))


def view(
    ctx,
    region: str | None = None,
    cluster: str | None = None,
    system: str | None = None,
    level: str | None = None,
    region_map: str = "recorded",
    all_years: bool = False,
    honours: bool = False,
) -> dict[str, pa.Table]:
    """What `zhizao clusters` prints: the figures (and honours) for the filters, on one map."""
    f = resolve_filters(ctx, region, cluster, system, level, region_map)
    years = ctx.years if all_years else [ctx.year]
    years = [y for y in years if y <= ctx.year] if all_years else years
    tables = compute(ctx, years, maps=[region_map], honours=honours)
    return {k: select_rows(v, f, _root(ctx)) for k, v in tables.items()}
