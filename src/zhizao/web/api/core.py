"""Warehouse resources: regions, yearly figures, the overview and district views, clusters, chains,
enterprises, targets, facts and sources, district boundaries."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from .. import data, geo
from .. import sources as articles
from ..access import Principal
from ..adapters import targets as a_targets
from ..deps import AUTH_RESPONSES, CSV_RESPONSE, api_user, cached_json, csv_response, ctx

router = APIRouter(responses=AUTH_RESPONSES)
NOT_FOUND = {404: {"description": "No such item"}}
Fmt = Literal["json", "csv"]
Year = Query(None, ge=1900, le=2100, description="Year (default: the latest held or evaluated)")
Limit = Query(100, ge=0, le=1000)
Offset = Query(0, ge=0, le=10_000_000)


def _out(payload: dict, rows_key: str, fmt: str, name: str, columns: list[str] | None = None):
    if fmt == "csv":
        return csv_response(payload.get(rows_key, []), columns, name)
    return payload


@router.get("/regions", tags=["regions"], responses=CSV_RESPONSE)
def regions(
    request: Request,
    level: str | None = Query(None, description="county, group, subgroup, province, functional_area"),
    current: bool | None = Query(None, description="only regions on today's map"),
    format: Fmt = "json",
    p: Principal = Depends(api_user),
):
    rows = data.regions(ctx(request).wh, level, current)
    return _out({"rows": rows, "total": len(rows)}, "rows", format, "regions")


@router.get("/regions/{code}", tags=["regions"], responses=NOT_FOUND)
def region(request: Request, code: str, p: Principal = Depends(api_user)):
    return data.region(ctx(request).wh, code)


@router.get("/figures", tags=["figures"], responses=CSV_RESPONSE)
def figures(
    request: Request,
    year: int | None = Year,
    level: str | None = Query("county", description="region level; empty for every level"),
    map: Literal["current", "recorded"] = "current",
    region: str | None = None,
    format: Fmt = "json",
    p: Principal = Depends(api_user),
):
    """Yearly enterprise figures summed per region, with growth and share of the city (aggregates)."""
    c = ctx(request)
    out = data.figures(c.wh, c.policy, p, year=year, level=level or None, mapping=map, region=region)
    return _out(out, "rows", format, f"figures-{out['year']}")


@router.get("/overview", tags=["pages"])
def overview(
    request: Request,
    year: int | None = Year,
    metric: str = Query("output_value", max_length=40),
    measure: Literal["level", "growth", "share"] = "level",
    map: Literal["current", "recorded"] = "current",
    p: Principal = Depends(api_user),
):
    """The city overview page's data: a metric per district, the groups' shares, the cluster tree, targets."""
    c = ctx(request)
    return cached_json(
        request,
        p,
        ("overview", year, metric, measure, map),
        lambda: data.overview(
            c.wh, c.policy, p, year=year, metric=metric, measure=measure, mapping=map, lang=request.state.lang
        ),
    )


@router.get("/districts/{code}", tags=["pages"], responses=NOT_FOUND)
def district(request: Request, code: str, year: int | None = Year, p: Principal = Depends(api_user)):
    """A district page's data: figures over the years, clusters, targets, chains, 亩均, ladder, opportunities."""
    c = ctx(request)
    return cached_json(
        request,
        p,
        ("district", code, year),
        lambda: data.district(c.wh, c.policy, p, code, year=year, lang=request.state.lang),
    )


@router.get("/clusters", tags=["clusters"], responses=CSV_RESPONSE)
def clusters(request: Request, system: str | None = None, format: Fmt = "json", p: Principal = Depends(api_user)):
    rows = data.clusters(ctx(request).wh, system)
    return _out({"rows": rows, "total": len(rows)}, "rows", format, "clusters")


@router.get("/clusters/{cluster_id}", tags=["clusters"], responses=NOT_FOUND)
def cluster(
    request: Request,
    cluster_id: str,
    region: str | None = None,
    chain: str | None = None,
    year: int | None = Year,
    p: Principal = Depends(api_user),
):
    """A cluster page's data: industries, districts' contributions and specialisation, a chain's node map."""
    c = ctx(request)
    return cached_json(
        request,
        p,
        ("cluster", cluster_id, region, chain, year),
        lambda: data.cluster_page(c.wh, c.policy, p, cluster_id, region=region, chain_id=chain, year=year),
    )


@router.get("/chains", tags=["chains"], responses=CSV_RESPONSE)
def chains(request: Request, cluster: str | None = None, format: Fmt = "json", p: Principal = Depends(api_user)):
    rows = data.chains(ctx(request).wh, cluster)
    return _out({"rows": rows, "total": len(rows)}, "rows", format, "chains")


@router.get("/chains/{chain_id}", tags=["chains"], responses=NOT_FOUND)
def chain(
    request: Request,
    chain_id: str,
    region: str | None = None,
    year: int | None = Year,
    p: Principal = Depends(api_user),
):
    """A chain template (nodes by stage, edges input → output) with each node's coverage in a region."""
    c = ctx(request)
    return data.chain(c.wh, c.policy, p, chain_id, region=region, year=year)


@router.get("/enterprises", tags=["enterprises"], responses=CSV_RESPONSE)
def enterprises(
    request: Request,
    region: str | None = Query(None, description="region code (a county, or a group: its counties)"),
    industry: str | None = Query(None, description="GB/T 4754 code prefix"),
    q: str | None = Query(None, max_length=100, description="name or credit-code search"),
    park: str | None = None,
    year: int | None = Year,
    sort: Literal["uscc", "name", "region_code", "industry_code", "founded", "park_id"] = "uscc",
    desc: bool = False,
    limit: int = Limit,
    offset: int = Offset,
    format: Fmt = "json",
    p: Principal = Depends(api_user),
):
    """Enterprises the user may see (district users: their own region; public: none — 403)."""
    c = ctx(request)
    out = data.enterprises(
        c.wh,
        c.policy,
        p,
        region=region,
        industry=industry,
        q=q,
        park=park,
        sort=sort,
        desc=desc,
        limit=limit if format == "json" else 1000,
        offset=offset,
        year=year,
    )
    return _out(out, "rows", format, "enterprises")


@router.get("/enterprises/{uscc}", tags=["enterprises"], responses=NOT_FOUND)
def enterprise(request: Request, uscc: str, p: Principal = Depends(api_user)):
    """One enterprise: its figures over the years, 亩均 score, ladder screening, chain roles, honours."""
    c = ctx(request)
    return data.enterprise(c.wh, c.policy, p, uscc)


@router.get("/enterprises/{uscc}/figures", tags=["enterprises"], responses={**NOT_FOUND, **CSV_RESPONSE})
def enterprise_figures(request: Request, uscc: str, format: Fmt = "json", p: Principal = Depends(api_user)):
    c = ctx(request)
    e = data.enterprise(c.wh, c.policy, p, uscc)
    return _out({"uscc": uscc, "rows": e["years"]}, "rows", format, f"figures-{uscc}")


@router.get("/targets", tags=["targets"], responses=CSV_RESPONSE)
def targets(
    request: Request,
    region: str | None = None,
    proposed: bool = False,
    year: int | None = Year,
    format: Fmt = "json",
    p: Principal = Depends(api_user),
):
    """The target register (with `proposed`: targets offered by ingested articles) and each target's progress
    when the targets instrument has run."""
    c = ctx(request)
    out = a_targets.register(c.wh, c.policy, p, year=year, scope_id=region, proposed=proposed)
    if format == "csv":
        rows = [
            {k: v for k, v in r.items() if k != "progress"}
            | {f"progress_{k}": v for k, v in (r.get("progress") or {}).items()}
            for r in out["rows"]
        ]
        return csv_response(rows, None, "targets")
    return out


@router.get("/facts", tags=["facts"], responses=CSV_RESPONSE)
def facts(
    request: Request,
    source: str | None = None,
    entity: str | None = None,
    kind: Literal["actual", "target"] | None = None,
    metric: str | None = None,
    q: str | None = Query(None, max_length=100),
    limit: int = Limit,
    offset: int = Offset,
    format: Fmt = "json",
    p: Principal = Depends(api_user),
):
    """Published facts with their exact quote, span in the article and source."""
    out = articles.facts(
        ctx(request).wh,
        source=source,
        entity=entity,
        kind=kind,
        metric=metric,
        q=q,
        limit=limit if format == "json" else 1000,
        offset=offset,
    )
    return _out(out, "rows", format, "facts")


@router.get("/sources", tags=["facts"], responses=CSV_RESPONSE)
def sources(
    request: Request, limit: int = Limit, offset: int = Offset, format: Fmt = "json", p: Principal = Depends(api_user)
):
    out = articles.sources(ctx(request).wh, limit=limit, offset=offset)
    return _out(out, "rows", format, "sources")


@router.get("/sources/{source_id}", tags=["facts"], responses=NOT_FOUND)
def source(request: Request, source_id: str, p: Principal = Depends(api_user)):
    """A source with its article text cut into segments; highlighted segments name the facts they quote."""
    return articles.source(ctx(request).wh, source_id)


@router.get("/geo/districts", tags=["regions"], responses=NOT_FOUND)
def districts_geojson(request: Request, p: Principal = Depends(api_user)):
    """District boundaries of the policy pack (GeoJSON, simplified from cnmaps; a district the boundary data
    predate is drawn as the union of its predecessors, `union_of`)."""
    wh = ctx(request).wh
    g = geo.for_warehouse(wh)
    if g is None:
        raise data.NotFound(f"boundaries for pack {wh.meta('pack')}")
    return g
