"""Every analytics result, one route per result view (adapters), plus an index of what is evaluated."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from .. import results as R
from ..access import Principal
from ..adapters import VIEWS, discovered
from ..deps import AUTH_RESPONSES, CSV_RESPONSE, api_user, csv_response, ctx

router = APIRouter(responses=AUTH_RESPONSES, tags=["results"])


@router.get("/results")
def index(request: Request, p: Principal = Depends(api_user)):
    """Every result view: its table, instrument, kind (firm-level or aggregate), the years evaluated."""
    wh = ctx(request).wh
    out = []
    for v in discovered(wh).values():
        out.append(
            {
                "path": v.path,
                "url": f"/api/v1/results/{v.path}",
                "table": v.table,
                "instrument": v.instrument,
                "kind": v.kind,
                "title_zh": v.title_zh,
                "title_en": v.title_en,
                "filters": list(v.filters),
                "years": R.years(wh, v.table),
                "evaluated": bool(R.years(wh, v.table)),
            }
        )
    return {"rows": out, "total": len(out)}


def _route(view: R.View):
    filter_help = "column=value, repeatable; columns: " + ", ".join(view.filters)

    def handler(
        request: Request,
        year: int | None = Query(None, ge=1900, le=2100),
        region: str | None = Query(
            None, description="restrict to a region (firm-level views: a county and its predecessors, or a group)"
        ),
        filter: list[str] = Query([], description=filter_help),
        sort: str | None = Query(None, max_length=60),
        desc: bool | None = None,
        limit: int = Query(100, ge=0, le=1000),
        offset: int = Query(0, ge=0, le=10_000_000),
        format: Literal["json", "csv"] = "json",
        p: Principal = Depends(api_user),
    ):
        c = ctx(request)
        filters = {}
        for f in filter:
            k, _, v = f.partition("=")
            if k in view.filters:
                filters[k] = v
        for k in view.filters:  # plain query parameters work too: ?chain_id=icv-nev
            if k in request.query_params and k != "region":
                filters[k] = request.query_params[k]
        if format == "csv":
            rows, cols = [], []
            for page in R.iter_all(
                c.wh, c.policy, p, view, year=year, filters=filters, sort=sort, desc=desc, region=region
            ):
                rows += page.rows
                cols = page.columns
            return csv_response(rows, cols, view.path.replace("/", "-"))
        return R.read(
            c.wh,
            c.policy,
            p,
            view,
            year=year,
            filters=filters,
            sort=sort,
            desc=desc,
            limit=limit,
            offset=offset,
            region=region,
        ).as_dict()

    handler.__name__ = "results_" + view.path.replace("/", "_").replace("-", "_")
    handler.__doc__ = f"{view.title_en} ({view.title_zh}) — table `{view.table}`, " + (
        "enterprise-level: admin and city see every firm, district users their own region, public none."
        if view.kind == "firm"
        else "aggregates: rows over 1–2 firms are suppressed for district and public users."
    )
    return handler


for _v in VIEWS.values():
    router.add_api_route(
        f"/results/{_v.path}", _route(_v), methods=["GET"], responses=CSV_RESPONSE, summary=_v.title_en
    )


@router.get("/results/other/{table}", responses={**CSV_RESPONSE, 404: {"description": "No such result table"}})
def other(
    request: Request,
    table: str,
    year: int | None = Query(None, ge=1900, le=2100),
    region: str | None = None,
    limit: int = Query(100, ge=0, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
    format: Literal["json", "csv"] = "json",
    p: Principal = Depends(api_user),
):
    """A result table written by an instrument no adapter describes yet (conservative access rules)."""
    from ..context import NotFound

    c = ctx(request)
    v = discovered(c.wh).get(f"other/{table}")
    if v is None:
        raise NotFound(f"result table {table}")
    if format == "csv":
        rows, cols = [], []
        for page in R.iter_all(c.wh, c.policy, p, v, year=year, region=region):
            rows += page.rows
            cols = page.columns
        return csv_response(rows, cols, table)
    return R.read(c.wh, c.policy, p, v, year=year, region=region, limit=limit, offset=offset).as_dict()
