"""Briefings made with a user's rights: `make` gathers a report's content through the dashboard's access policy
(web/access.py, the one place the role rules live) and hands it to zhizao/reports to write as .xlsx or .pdf.

    from zhizao.web.briefing import make
    data = make(wh, policy, None, scope="district", region="500102", year=2025, fmt="pdf")     # admin's report
    data = make(wh, policy, principal, scope="city", year=2025, fmt="xlsx")                # a user's rights

`zhizao report` (cli/report.py) and `GET /api/v1/reports/{scope}` (web/api/reports.py) call `make`.
"""

from __future__ import annotations

import datetime as dt

from ...reports import FORMATS, SCOPES, ReportError
from ...reports.model import Report
from ..access import Policy, Principal
from ..warehouse import Warehouse
from .gather import FIRM_ROWS, Gather

ADMIN = Principal("admin", "admin")  # a report made without --user

__all__ = ["ADMIN", "build", "make", "resolve_cluster", "resolve_region", "user_principal"]


def resolve_region(wh: Warehouse, text: str) -> str:
    """A region code from a code or a name (its full or short Chinese name, its English name); a clear error
    otherwise."""
    text = (text or "").strip()
    regs = wh.regions()
    if text in regs:
        return text
    low = text.lower()
    exact = [c for c, r in regs.items() if r.name_zh == text or (r.name_en or "").lower() == low]
    if not exact:
        exact = [
            c
            for c, r in regs.items()
            if r.level == "county"
            and (r.name_zh.rstrip("区县") == text or (r.name_en or "").lower().split(" ")[0] == low)
        ]
    if not exact and wh.table_exists("region_alias"):
        exact = [r["code"] for r in wh.rows("SELECT DISTINCT code FROM region_alias WHERE alias = ?", [text])]
    counties = [c for c in exact if regs[c].level == "county"]
    if len(counties) == 1:
        return counties[0]
    if len(set(exact)) == 1:
        return exact[0]
    if not exact:
        raise ReportError(f"unknown region {text!r}: give a code (e.g. 500102) or its name as the pack writes it")
    raise ReportError(f"region {text!r} is ambiguous: {', '.join(sorted(set(exact)))}")


def resolve_cluster(wh: Warehouse, text: str) -> str:
    text = (text or "").strip()
    rows = wh.rows(
        "SELECT c.id, c.name_zh, c.name_en, s.region_code FROM cluster c JOIN cluster_system s ON s.id = c.system_id"
    )
    ids = {r["id"] for r in rows}
    if text in ids:
        return text
    low = text.lower()
    exact = [r["id"] for r in rows if r["name_zh"] == text or (r["name_en"] or "").lower() == low]
    if not exact:
        exact = [r["id"] for r in rows if text and text in (r["name_zh"] or "")]
    if len(exact) > 1:  # a name the city's system shares with districts' own systems: the city's cluster
        city = [r["id"] for r in rows if r["id"] in exact and r["region_code"] == wh.root()]
        exact = city if len(city) == 1 else exact
    if len(exact) == 1:
        return exact[0]
    if not exact:
        raise ReportError(f"unknown cluster {text!r}: give an id (e.g. T1-1) or a name (zhizao clusters lists them)")
    raise ReportError(f"cluster {text!r} matches {len(exact)} clusters: {', '.join(sorted(exact)[:8])} — give the id")


def user_principal(wh: Warehouse, name: str) -> Principal:
    u = wh.one("SELECT name, role, region_code FROM app_user WHERE name = ?", [name])
    if u is None:
        raise ReportError(f"no user {name!r} in {wh.path} (zhizao users list shows them)")
    return Principal(u["name"], u["role"], u["region_code"])


def build(
    wh: Warehouse,
    policy: Policy,
    principal: Principal | None,
    *,
    scope: str,
    year: int,
    region: str | None = None,
    cluster: str | None = None,
    lang: str = "zh",
    firm_rows: int = FIRM_ROWS,
) -> Report:
    """Gather a report's content (no file yet)."""
    from ...reports import summary
    from ..results import run_for
    from . import gather as G
    from . import instruments as I

    if scope not in SCOPES:
        raise ReportError(f"unknown scope {scope!r}: one of {', '.join(SCOPES)}")
    if lang not in ("zh", "en"):
        raise ReportError(f"unknown language {lang!r}: zh or en")
    root = wh.root()
    regs = wh.regions()
    if scope == "district":
        if not region:
            raise ReportError("a district report needs a region (--region, region=): a code or a name")
        area = resolve_region(wh, region)
        if area == root:
            raise ReportError(f"{regs[area].name_zh} is the city: use --scope city")
    elif scope == "cluster":
        if not cluster:
            raise ReportError("a cluster report needs a cluster (--cluster, cluster=): an id or a name")
        area = resolve_region(wh, region) if region else root
    else:
        area = root
    cid = resolve_cluster(wh, cluster) if scope == "cluster" else None
    years = wh.years()
    if year not in years:
        held = f"{years[0]}–{years[-1]}" if years else "no years"
        raise ReportError(f"no figures for {year} in {wh.path}: it holds {held}")
    run = run_for(wh, "cluster_figures", year)
    if run is None:
        raise ReportError(
            f"the analytics have not been run for {year}: run zhizao evaluate --db {wh.path} --year {year}"
        )
    run_row = wh.one("SELECT id, finished FROM run WHERE id = ?", [run]) or {}
    p = principal or ADMIN
    g = Gather(wh, policy, p, year, lang, scope, area, cid, firm_rows)
    names = g.names
    city_system = wh.scalar("SELECT id FROM cluster_system WHERE region_code = ? ORDER BY id LIMIT 1", [root])
    area_name = g.region_name(area)
    cluster_name = names.name("cluster", cid, lang) if cid else None
    level = {"county": ("区县", "district"), "province": ("全市", "city")}.get(regs[area].level, ("地区", "area"))
    if scope == "cluster":
        scope_text = g.t(f"产业集群：{cluster_name}（{area_name}）", f"Cluster: {cluster_name} ({area_name})")
    else:
        scope_text = g.t(f"{area_name}（{level[0]}）", f"{area_name} ({level[1]})")
    r = Report(
        scope=scope,
        area=area,
        area_name=area_name,
        cluster=cid,
        cluster_name=cluster_name,
        year=year,
        lang=lang,
        user=p.name,
        role=p.role,
        user_region=p.region,
        as_admin=principal is None,
        synthetic=wh.synthetic,
        run_id=run,
        run_finished=(run_row.get("finished").strftime("%Y-%m-%d %H:%M") if run_row.get("finished") else None),
        generated=dt.datetime.now(),
        city_name=g.region_name(root),
        root=root,
        city_system=city_system,
    )
    r.scope_text = scope_text
    r.user_region_name = g.region_name(p.region) if p.region else ""
    r.sections.append(G.overview(g, r))
    if scope != "cluster":
        r.sections.append(G.clusters(g))
    r.sections.append(G.targets(g))
    r.sections.append(I.mujun(g))
    r.sections.append(I.ladder(g))
    r.sections += list(I.chains(g))
    r.sections.append(I.opportunities(g))
    facts = G.facts(g, r)
    r.sections.append(facts)
    facts.tables.append(G.sources_table(g))
    r.sources = g.sources
    r.summary = summary.write(r)
    return r


def make(
    wh: Warehouse,
    policy: Policy,
    principal: Principal | None,
    *,
    scope: str,
    year: int,
    fmt: str,
    region: str | None = None,
    cluster: str | None = None,
    lang: str = "zh",
    firm_rows: int = FIRM_ROWS,
) -> bytes:
    """The report as the bytes of an .xlsx or .pdf file."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown format {fmt!r}: xlsx or pdf")
    r = build(
        wh, policy, principal, scope=scope, year=year, region=region, cluster=cluster, lang=lang, firm_rows=firm_rows
    )
    from ...reports import write
    from .. import geo

    if fmt == "xlsx":
        return write(r, "xlsx")
    names = {c: wh.region_name(c, lang) for c in wh.regions()}
    return write(r, "pdf", boundaries=geo.for_warehouse(wh), names=names)
