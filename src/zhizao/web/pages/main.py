"""The pages: sign-in, city overview, district, cluster (with its chains' node maps), enterprise, targets,
亩均 rankings, facts and sources, imports, and every analytics result as a table."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from .. import auth, data, geo, labels
from .. import imports as I
from .. import results as R
from .. import sources as articles
from ..access import Principal
from ..adapters import discovered
from ..adapters import mujun as a_mujun
from ..adapters import targets as a_targets
from ..deps import page_user
from ..encoded import Encoded
from .common import cached_page, render

router = APIRouter()
static_router = APIRouter(include_in_schema=False)  # routes under /static, in front of the static files


def _c(request: Request):
    return request.app.state.zz


def _int(v, default=None):
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def _safe_next(url: str | None) -> str:
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/"
    return url


# ----------------------------------------------------------------------------------------- sign in
@router.get("/login")
def login_form(request: Request, next: str = "/"):
    demo = _demo(request)
    return render(request, "login.html", next=_safe_next(next), error=None, demo=demo, user=None)


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _demo(request: Request) -> list:
    """The demo accounts to list on the sign-in page: only on a synthetic demo warehouse whose accounts were
    made by `zhizao demo`, and only to a browser on this machine (loopback)."""
    wh = _c(request).wh
    host = request.client.host if request.client else ""
    if not wh.synthetic or host not in LOOPBACK:
        return []

    def load():
        with wh.cursor() as cur:
            return [a for a in auth.demo_accounts(cur) if a[3]]

    return wh.cached(("demo_accounts",), load)


@router.post("/login")
def login(
    request: Request,
    username: str = Form(..., max_length=64),
    password: str = Form(..., max_length=256),
    next: str = Form("/"),
):
    c = _c(request)
    client = request.client.host if request.client else "?"
    demo = _demo(request)
    wait = c.limiter.retry_after(client, username)
    if wait:
        r = render(request, "login.html", status_code=429, next=_safe_next(next), error="login_limited", demo=demo)
        r.headers["Retry-After"] = str(wait)
        return r
    p = c.users.authenticate(username, password)
    if p is None:
        c.limiter.failed(client, username)
        return render(request, "login.html", status_code=401, next=_safe_next(next), error="login_failed", demo=demo)
    c.limiter.succeeded(client, username)
    r = RedirectResponse(_safe_next(next), status_code=303)
    r.set_cookie(
        auth.SESSION_COOKIE,
        c.users.token_for(p.name, api=False),
        httponly=True,
        samesite="lax",
        max_age=auth.SESSION_SECONDS,
    )
    return r


@router.post("/logout")
def logout(request: Request):
    """Sign out: the session is revoked on the server (a saved copy of the cookie no longer works)."""
    _c(request).users.sign_out(request.cookies.get(auth.SESSION_COOKIE), api=False)
    r = RedirectResponse("/login", status_code=303)
    r.delete_cookie(auth.SESSION_COOKIE)
    return r


# ----------------------------------------------------------------------------------------- overview
@router.get("/")
def overview(
    request: Request,
    year: str | None = None,
    metric: str = "output_value",
    measure: str = "level",
    map: str = "current",
    p: Principal = Depends(page_user),
):
    c = _c(request)
    mapping = map if map in ("current", "recorded") else "current"
    lang = request.state.lang

    def make():
        ov = data.overview(
            c.wh, c.policy, p, year=_int(year), metric=metric, measure=measure, mapping=mapping, lang=lang
        )
        g = geo_map(c, mapping, lang)
        return render(
            request,
            "overview.html",
            ov=ov,
            geo_url=f"/static/geo/{g.name}" if g else None,
            metrics=data.MAP_METRICS,
            measures=data.MEASURES,
            map_notes=g.notes if g else [],
        )

    return cached_page(request, p, make)


@dataclass(frozen=True)
class GeoMap:
    """The district boundaries of one map and language, encoded once (web/encoded.py) under a name that holds
    their hash, so the browser keeps them for good and fetches them again only when they change."""

    name: str
    encoded: Encoded
    notes: list


def geo_map(c, mapping: str, lang: str) -> GeoMap | None:
    """The boundaries (the pack's, web/geo.py) of the regions on `mapping`, named in `lang`."""

    def build():
        pack = labels.load_pack_of(c.wh)
        g = geo.load(pack)
        if not g:
            return None
        names = labels.names(c.wh)
        features = []
        for f in g["features"]:
            if mapping in f["properties"]["maps"]:
                nm = names.name("region", f["properties"]["code"], lang)
                prop = dict(f["properties"], name=nm, short=geo.short_name(nm, lang))
                if prop.get("union_of"):
                    prop["union_label"] = "≈ " + " ∪ ".join(names.name("region", x, lang) for x in prop["union_of"])
                features.append({**f, "properties": prop})
        notes = [geo.note(a, lang) for a in geo.approximations(pack, g, lang)] if mapping == "current" else []
        enc = Encoded.json({"type": "FeatureCollection", "features": features})
        return GeoMap(f"districts-{mapping}-{lang}-{enc.etag.strip(chr(34))[:16]}.json", enc, notes)

    return c.wh.cached(("geo_map", mapping, lang), build)


@static_router.get("/static/geo/{name}")
def geo_file(request: Request, name: str):
    """Boundaries for the overview map (public: the pack's districts and their names), cached by the browser."""
    c = _c(request)
    for mapping in ("current", "recorded"):
        for lang in ("zh", "en"):
            g = geo_map(c, mapping, lang)
            if g is not None and g.name == name:
                return g.encoded.response(request, {"Cache-Control": "public, max-age=31536000, immutable"})
    raise HTTPException(404, "no such map (it changed: reload the page)")


# ----------------------------------------------------------------------------------------- district
@router.get("/regions")
def regions_page(request: Request, p: Principal = Depends(page_user)):
    c = _c(request)
    fig = data.figures(c.wh, c.policy, p, level="county")
    return render(request, "regions.html", fig=fig)


@router.get("/regions/{code}")
def district(request: Request, code: str, year: str | None = None, p: Principal = Depends(page_user)):
    c = _c(request)

    def make():
        d = data.district(c.wh, c.policy, p, code, year=_int(year), lang=request.state.lang)
        root = c.wh.scalar("SELECT id FROM cluster_system WHERE region_code = ? ORDER BY id LIMIT 1", [c.wh.root()])
        systems = {r["id"]: r["label"] or r["id"] for r in c.wh.rows("SELECT id, label FROM cluster_system")}
        return render(request, "district.html", d=d, root_system=root, systems=systems)

    return cached_page(request, p, make)


# ----------------------------------------------------------------------------------------- clusters
@router.get("/clusters")
def clusters_page(request: Request, p: Principal = Depends(page_user)):
    c = _c(request)
    tree = data.overview(c.wh, c.policy, p, lang=request.state.lang)["cluster_tree"]
    return render(request, "clusters.html", clusters=data.clusters(c.wh), tree=tree)


@router.get("/clusters/{cid}")
def cluster_page(
    request: Request, cid: str, region: str | None = None, chain: str | None = None, p: Principal = Depends(page_user)
):
    c = _c(request)
    d = data.cluster_page(c.wh, c.policy, p, cid, region=region or None, chain_id=chain)
    return render(request, "cluster.html", d=d, regions=data.regions(c.wh))


# ----------------------------------------------------------------------------------------- enterprises
@router.get("/enterprises")
def enterprises_page(
    request: Request,
    region: str | None = None,
    q: str | None = None,
    industry: str | None = None,
    offset: str | None = None,
    p: Principal = Depends(page_user),
):
    c = _c(request)
    if region is None and p.role == "district":
        region = p.region
    out = data.enterprises(
        c.wh,
        c.policy,
        p,
        region=region or None,
        q=q or None,
        industry=industry or None,
        limit=50,
        offset=max(0, _int(offset, 0)),
    )
    return render(request, "enterprises.html", out=out, region=region or "", q=q or "", industry=industry or "")


@router.get("/enterprises/{uscc}")
def enterprise_page(request: Request, uscc: str, p: Principal = Depends(page_user)):
    c = _c(request)
    d = data.enterprise(c.wh, c.policy, p, uscc)
    names = labels.names(c.wh)
    lang = request.state.lang

    def unit(k):
        i = names.indicators.get(k)
        return labels.unit_text(i[2], lang) if i else ""

    return render(request, "enterprise.html", d=d, indicators=a_mujun.indicators(c.wh), indicator_unit=unit)


# ----------------------------------------------------------------------------------------- targets, 亩均
@router.get("/targets")
def targets_page(
    request: Request, region: str | None = None, proposed: str | None = None, p: Principal = Depends(page_user)
):
    c = _c(request)
    tg = a_targets.register(c.wh, c.policy, p, scope_id=region or None, proposed=proposed == "1")
    return render(request, "targets.html", tg=tg, region=region or "", proposed=proposed == "1")


@router.get("/mujun")
def mujun_page(
    request: Request,
    region: str | None = None,
    cls: str | None = None,
    offset: str | None = None,
    p: Principal = Depends(page_user),
):
    c = _c(request)
    # every evaluation region: counties on the evaluated map and the city's functional areas (and the city row)
    regions = R.read(c.wh, c.policy, p, a_mujun.REGIONS, limit=1000)
    policy_rows = R.read(c.wh, c.policy, p, a_mujun.VIEWS[3], limit=50)
    scores = completion = None
    if c.policy.sees_firms(p):
        if region is None and p.role == "district":
            region = p.region
        scores = R.read(
            c.wh,
            c.policy,
            p,
            a_mujun.SCORES,
            region=region or None,
            filters={"class": cls} if cls else None,
            limit=50,
            offset=max(0, _int(offset, 0)),
        )
        # firms a figure the method needs is missing for (land): listed for data completion, not scored
        completion = R.read(
            c.wh,
            c.policy,
            p,
            a_mujun.SCORES,
            region=region or None,
            filters={"not_rated_reason": "missing_figures"},
            limit=200,
        )
    return render(
        request,
        "mujun.html",
        regions=regions,
        policy_rows=policy_rows,
        scores=scores,
        completion=completion,
        # each indicator's contribution beside the total, and the largest one's share: an outlier shows
        score_cols=["uscc", "name", "eval_region", "industry_code", "total_score"]
        + [f"{k}_score" for k in a_mujun.indicators(c.wh) if scores and f"{k}_score" in scores.columns]
        + ["top_indicator", "top_share", "class", "class_name", "rank_region", "rank_industry"],
        region=region or "",
        cls=cls or "",
    )


# ----------------------------------------------------------------------------------------- facts
@router.get("/facts")
def facts_page(
    request: Request,
    q: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    offset: str | None = None,
    p: Principal = Depends(page_user),
):
    c = _c(request)
    out = articles.facts(
        c.wh, q=q or None, kind=kind or None, source=source or None, limit=100, offset=max(0, _int(offset, 0))
    )
    return render(
        request,
        "facts.html",
        out=out,
        q=q or "",
        kind=kind or "",
        source=source or "",
        sources=articles.sources(c.wh, limit=200),
    )


@router.get("/sources/{sid}")
def source_page(request: Request, sid: str, p: Principal = Depends(page_user)):
    d = articles.source(_c(request).wh, sid)
    return render(request, "source.html", d=d)


# ----------------------------------------------------------------------------------------- results
@router.get("/results")
def results_index(request: Request, p: Principal = Depends(page_user)):
    wh = _c(request).wh
    views = [(v, R.years(wh, v.table)) for v in discovered(wh).values()]
    return render(request, "results.html", views=views)


@router.get("/results/{path:path}")
def result_page(
    request: Request,
    path: str,
    year: str | None = None,
    region: str | None = None,
    sort: str | None = None,
    desc: str | None = None,
    offset: str | None = None,
    p: Principal = Depends(page_user),
):
    c = _c(request)
    v = discovered(c.wh).get(path)
    if v is None:
        raise data.NotFound(f"result view {path}")
    filters = {k: request.query_params[k] for k in v.filters if request.query_params.get(k)}
    res = R.read(
        c.wh,
        c.policy,
        p,
        v,
        year=_int(year),
        region=region or None,
        filters=filters,
        sort=sort or None,
        desc=None if desc is None else desc == "1",
        limit=100,
        offset=max(0, _int(offset, 0)),
    )
    return render(request, "result.html", v=v, res=res, region=region or "", filters=filters)


# ----------------------------------------------------------------------------------------- imports
@router.get("/imports")
def imports_page(request: Request, p: Principal = Depends(page_user)):
    c = _c(request)
    c.policy.require_import(p)
    return render(request, "imports.html", report=None, batches=data.import_batches(c.wh, c.policy, p), error=None)


@router.post("/imports")
async def imports_upload(request: Request, file: UploadFile = File(...), p: Principal = Depends(page_user)):
    c = _c(request)
    c.policy.require_import(p)
    content = await file.read()
    try:
        rep = await run_in_threadpool(I.stage, c.wh, c.policy, p, c.upload_dir, file.filename or "upload", content)
        err = None
    except I.UploadRejected as e:
        rep, err = None, str(e)
    return render(
        request,
        "imports.html",
        report=rep,
        batches=data.import_batches(c.wh, c.policy, p),
        error=err,
        status_code=200 if err is None else 400,
    )


@router.post("/imports/confirm")
def imports_confirm(request: Request, token: str = Form(...), p: Principal = Depends(page_user)):
    c = _c(request)
    try:
        rep = I.confirm(c.wh, c.policy, p, c.upload_dir, token)
        err = None
    except I.UploadRejected as e:
        rep, err = None, str(e)
    return render(
        request,
        "imports.html",
        report=rep,
        done=rep is not None,
        batches=data.import_batches(c.wh, c.policy, p),
        error=err,
        status_code=200 if err is None else 400,
    )


@router.get("/imports/{token}/report")
def imports_report(request: Request, token: str, p: Principal = Depends(page_user)):
    from fastapi.responses import FileResponse

    try:
        path = I.report_path(_c(request).upload_dir, p, token)
    except I.UploadRejected as e:
        raise HTTPException(400, str(e)) from None
    if path is None:
        raise HTTPException(404, "no error report")
    return FileResponse(path, filename=path.name)


@router.get("/template.xlsx")
def template(request: Request, p: Principal = Depends(page_user)):
    import tempfile
    from pathlib import Path

    from fastapi.responses import FileResponse

    from ...ingest.tables import pack_for, write_template

    c = _c(request)
    c.policy.require_import(p)
    d = Path(tempfile.mkdtemp(prefix="zhizao-template-"))
    with c.wh.cursor() as cur:
        pack = pack_for(cur)
    path = write_template(d / "zhizao-import-template.xlsx", pack)
    return FileResponse(path, filename="zhizao-import-template.xlsx")
