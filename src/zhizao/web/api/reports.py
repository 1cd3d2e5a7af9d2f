"""Briefings for download: `GET /api/v1/reports/{scope}?region=…&cluster=…&year=…&format=xlsx|pdf&lang=zh|en`,
made with the signed-in user's rights (web/briefing gathers through web/access's policy, zhizao/reports writes)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from ..access import Principal
from ..deps import AUTH_RESPONSES, api_user, ctx

router = APIRouter(responses=AUTH_RESPONSES)
FILES = {
    200: {
        "content": {
            "application/pdf": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
        },
        "description": "The workbook or the PDF briefing",
    },
    400: {"description": "Unknown region or cluster, or a year not evaluated"},
}


@router.get("/reports/{scope}", tags=["reports"], responses=FILES)
def report(
    request: Request,
    scope: Literal["city", "district", "cluster"],
    region: str | None = Query(None, max_length=64, description="Region code or name (district; a cluster's district)"),
    cluster: str | None = Query(None, max_length=64, description="Cluster id or name (cluster)"),
    year: int | None = Query(None, ge=1900, le=2100, description="Year (default: the latest evaluated)"),
    format: Literal["xlsx", "pdf"] = "xlsx",
    lang: Literal["zh", "en"] | None = Query(None, description="Language (default: the interface's)"),
    p: Principal = Depends(api_user),
):
    """An Excel workbook or a PDF briefing for the city, a district or a cluster, with the user's rights: a
    district account's report holds its own firms only and aggregates elsewhere (small cells blanked); a
    public account's holds aggregates only."""
    from ...reports import MEDIA, ReportError
    from ..briefing import make
    from ..results import years

    c = ctx(request)
    if year is None:
        ys = years(c.wh, "cluster_figures")
        if not ys:
            raise HTTPException(400, "the analytics have not been run yet: zhizao evaluate")
        year = ys[-1]
    lang = lang or getattr(request.state, "lang", "zh")
    try:
        data = make(c.wh, c.policy, p, scope=scope, year=year, fmt=format, region=region, cluster=cluster, lang=lang)
    except ReportError as e:
        raise HTTPException(400, str(e)) from None
    what = cluster if scope == "cluster" else (region if scope == "district" else "city")
    name = f"zhizao-{scope}-{what}-{year}.{format}"
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in name)
    return Response(
        data,
        media_type=MEDIA[format],
        headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store",
        },
    )
