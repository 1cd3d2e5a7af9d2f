"""Write a policy pack into the warehouse (the reference tables, sources, facts and targets).

Loading replaces every row that came from a pack (origin = 'pack', or the pack-only tables) in one
transaction, so re-running `zhizao init` after a pack update leaves no stale rows and touches no
imported or extracted data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import duckdb
import pyarrow as pa

from ..reference import Pack, load_pack
from ..reference.pack import expand_industry, source_text
from ..store import db

# Tables whose every row comes from the pack.
PACK_TABLES = (
    "region",
    "region_alias",
    "region_ancestor",
    "region_succession",
    "region_overlap",
    "industry",
    "cluster_system",
    "cluster_tier",
    "cluster",
    "cluster_map",
    "cluster_industry",
    "chain",
    "chain_node",
    "chain_edge",
)

_YEAR = re.compile(r"^(\d{4})$")
_SPAN_END = re.compile(r"^(\d{4})\.\.(\d{4})$")


def _first(ids: list[str]) -> str | None:
    return ids[0] if ids else None


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    tbl = pa.Table.from_pylist(rows)
    con.register("_rows", tbl)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _rows")
    finally:
        con.unregister("_rows")


def target_year(period: str | None) -> int | None:
    """The year a target is due: '2027' -> 2027, '2023..2027' -> 2027; others have none."""
    if period is None:
        return None
    mt = _YEAR.match(period) or _SPAN_END.match(period)
    return int(mt.groups()[-1]) if mt else None


def figure_scope(pack: Pack, fig) -> tuple[str, str | None]:
    """(scope, scope_id) of a figure: the region or park it resolves to, else the cluster."""
    if fig.entity_type in ("district", "city", "region", "province"):
        on = None
        y = target_year(fig.period) if fig.period else None
        if y:
            on = dt.date(y, 6, 30)
        r = pack.resolve_region(fig.entity, on=on)
        return "region", (r.code if r else None)
    if fig.entity_type == "park":
        for pk in pack.parks.values():
            if fig.entity == pk.name_zh or fig.entity in pk.aliases:
                return "park", pk.id
        return "park", None
    return fig.entity_type, None


def rows_for(pack: Pack) -> dict[str, list[dict]]:
    """Every pack-derived row, by table."""
    out: dict[str, list[dict]] = {t: [] for t in PACK_TABLES}
    out["source"], out["fact"], out["target"], out["park"] = [], [], [], []

    for s in pack.sources.values():
        text = source_text(pack, s.id)
        out["source"].append(
            dict(
                id=s.id,
                title=s.title,
                address=s.address,
                published=s.published,
                publisher=s.publisher,
                sha256=hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None,
                body=text,
                note=s.note,
                origin="pack",
            )
        )

    for r in pack.regions.values():
        out["region"].append(
            dict(
                code=r.code,
                name_zh=r.name_zh,
                name_en=r.name_en,
                pinyin=r.pinyin,
                level=r.level,
                kind=r.kind,
                parent_code=r.parent,
                region_group=pack.group_of(r.code, "group"),
                subgroup=pack.group_of(r.code, "subgroup"),
                valid_from=r.valid_from,
                valid_to=r.valid_to,
                code_status=r.code_status,
                role_zh=r.role_zh,
                status=r.status,
                source_id=_first(r.sources),
                note=r.note,
            )
        )
        for a in sorted(set(r.aliases) | {r.name_zh}):
            out["region_alias"].append(dict(alias=a, code=r.code))
        out["region_ancestor"].append(dict(code=r.code, ancestor_code=r.code, depth=0))
        for depth, a in enumerate(pack.ancestors(r.code), start=1):
            out["region_ancestor"].append(dict(code=r.code, ancestor_code=a, depth=depth))
    for s in pack.successions:
        out["region_succession"].append(
            dict(
                predecessor=s.predecessor,
                successor=s.successor,
                effective=s.effective,
                is_primary=s.primary,
                portion=s.portion,
                status=s.status,
                source_id=_first(s.sources),
            )
        )
    for o in pack.overlaps:
        out["region_overlap"].append(
            dict(
                area_code=o.area,
                region_code=o.region,
                part=o.part,
                status=o.status,
                source_id=_first(o.sources),
                note=o.note,
            )
        )

    for ind in pack.industries.values():
        anc = [ind.code, *pack.industry_ancestors(ind.code)]
        section = anc[-1]
        division = next((c for c in anc if len(c) == 3), None)
        out["industry"].append(
            dict(
                code=ind.code,
                name_zh=ind.name_zh,
                name_en=ind.name_en,
                level=ind.level,
                parent_code=ind.parent,
                section=section,
                division=division,
            )
        )

    for sy in pack.systems.values():
        out["cluster_system"].append(
            dict(
                id=sy.id,
                region_code=sy.region,
                name=sy.name_zh,
                name_en=sy.name_en,
                label=sy.label,
                parent_system_id=sy.parent_system,
                status=sy.status,
                source_id=_first(sy.sources),
            )
        )
        ranks = {t.key: t.rank for t in sy.tiers}
        for t in sy.tiers:
            out["cluster_tier"].append(
                dict(
                    system_id=sy.id,
                    key=t.key,
                    rank=t.rank,
                    name_zh=t.name_zh,
                    name_en=t.name_en,
                    planned_count=t.planned_count,
                    scale_yuan=t.scale_yuan,
                )
            )
        for c in sy.clusters:
            out["cluster"].append(
                dict(
                    id=c.id,
                    system_id=sy.id,
                    name_zh=c.name_zh,
                    name_en=c.name_en,
                    tier=c.tier,
                    tier_rank=ranks[c.tier],
                    parent_cluster_id=c.parent,
                    status=c.status,
                    source_id=_first(c.sources),
                    note=c.note,
                )
            )
            for t in c.maps_to:
                out["cluster_map"].append(dict(cluster_id=c.id, maps_to=t))
            for ci in c.industries:
                for leaf in expand_industry(pack, ci.code):
                    out["cluster_industry"].append(
                        dict(cluster_id=c.id, industry_code=leaf, share=ci.share, basis=ci.basis, mapped_code=ci.code)
                    )

    for ch in pack.chains.values():
        out["chain"].append(
            dict(
                id=ch.id,
                cluster_id=ch.cluster,
                name=ch.name_zh,
                name_en=ch.name_en,
                region_code=ch.region,
                status=ch.status,
                source_id=_first(ch.sources),
            )
        )
        for n in ch.nodes:
            out["chain_node"].append(
                dict(
                    id=f"{ch.id}/{n.id}",
                    chain_id=ch.id,
                    name_zh=n.name_zh,
                    name_en=n.name_en,
                    stage=n.stage,
                    industry_code=n.industry,
                    weight=n.weight,
                )
            )
        for a, b in ch.edges:
            out["chain_edge"].append(dict(chain_id=ch.id, from_node=f"{ch.id}/{a}", to_node=f"{ch.id}/{b}"))

    for pk in pack.parks.values():
        out["park"].append(
            dict(
                id=pk.id,
                name_zh=pk.name_zh,
                name_en=pk.name_en,
                region_code=pk.region,
                kind=pk.kind,
                functional_area_code=pk.functional_area,
                synthetic=False,
                status=pk.status,
                source_id=_first(pk.sources),
            )
        )

    for f in pack.figures.values():
        scope, scope_id = figure_scope(pack, f)
        span_start = span_end = None
        if f.quote:
            text = source_text(pack, f.sources[0])
            if text and f.quote in text:
                span_start = text.index(f.quote)
                span_end = span_start + len(f.quote)
        out["fact"].append(
            dict(
                id=f"pack:{f.id}",
                entity=f.entity,
                entity_type=f.entity_type,
                entity_code=scope_id,
                metric=f.metric,
                metric_zh=f.metric_zh,
                value=f.value,
                unit=f.unit,
                period=f.period,
                kind=f.kind,
                cluster=f.cluster_text or (pack.clusters[f.cluster].name_zh if f.cluster else None),
                cluster_id=f.cluster,
                qualifier=f.qualifier,
                source_id=f.sources[0],
                quote=f.quote,
                span_start=span_start,
                span_end=span_end,
                status=f.status,
                origin="pack",
            )
        )
        if f.kind == "target":
            if scope_id is None and f.cluster:
                scope, scope_id = "cluster", f.cluster
            if scope_id is None:
                continue  # a target for an entity the warehouse cannot hold (an enterprise project)
            out["target"].append(
                dict(
                    id=f"pack:{f.id}",
                    scope=scope,
                    scope_id=scope_id,
                    cluster_id=f.cluster,
                    metric=f.metric,
                    metric_zh=f.metric_zh,
                    value=f.value,
                    unit=f.unit,
                    year=target_year(f.period),
                    qualifier=f.qualifier,
                    baseline_value=f.baseline_value,
                    baseline_year=f.baseline_year,
                    source_id=f.sources[0],
                    fact_id=f"pack:{f.id}",
                    status=f.status,
                    proposed=False,
                    origin="pack",
                    note=f.note,
                )
            )
    return out


def load_pack_into(con: duckdb.DuckDBPyConnection, pack: Pack) -> dict[str, int]:
    """Replace the pack's rows in the warehouse; returns row counts by table."""
    rows = rows_for(pack)
    with db.transaction(con):
        for t in PACK_TABLES:
            con.execute(f"DELETE FROM {t}")
        con.execute("DELETE FROM fact WHERE origin = 'pack'")
        con.execute("DELETE FROM target WHERE origin = 'pack'")
        con.execute("DELETE FROM park WHERE NOT synthetic")
        con.execute("DELETE FROM source WHERE origin = 'pack'")
        for table, rs in rows.items():
            _insert(con, table, rs)
        db.set_meta(con, "pack", pack.info.id)
        db.set_meta(con, "pack_version", pack.info.version)
        db.set_meta(con, "pack_path", str(pack.path))
        db.set_meta(con, "pack_counts", json.dumps({t: len(r) for t, r in rows.items()}))
    return {t: len(r) for t, r in rows.items()}


def init_warehouse(path: str | Path, pack_name: str | Path = "chongqing") -> tuple[duckdb.DuckDBPyConnection, dict]:
    """Create (or migrate) a warehouse file and load the pack into it. Returns the open connection."""
    pack = load_pack(pack_name)
    con = db.connect(path, create=True)
    try:
        applied = db.migrate(con)
        have = db.get_meta(con, "pack")
        if have and have != pack.info.id:
            raise db.WarehouseError(f"{path} holds pack {have!r}; it cannot switch to {pack.info.id!r}")
        counts = load_pack_into(con, pack)
    except Exception:
        con.close()
        raise
    return con, {"migrations": applied, "counts": counts, "pack": pack}
