"""Rendering helpers shared by the pages."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from ... import formats
from .. import i18n, labels
from ..access import Denied
from ..auth import SESSION_COOKIE
from ..kept import CSRF_STAND_IN, NONCE_STAND_IN, KeptPage, remember

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))


def _tojson(v) -> str:
    from ..results import clean

    s = json.dumps(clean(v), ensure_ascii=False, default=str)
    from markupsafe import Markup

    return Markup(s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


TEMPLATES.env.filters["js"] = _tojson
# numbers are written by zhizao/formats.py, in the page's language (the template context's `lang`)
TEMPLATES.env.filters["pct"] = lambda v, digits=1: formats.percent(v, digits)
TEMPLATES.env.filters["num"] = pass_context(lambda ctx, v: formats.compact(v, ctx.get("lang", "zh")))


def user_of(request: Request):
    c = request.app.state.zz
    cookie = request.cookies.get(SESSION_COOKIE)
    return c.users.from_token(cookie, api=False) if cookie else None


def render(request: Request, name: str, status_code: int = 200, **ctx):
    lang = getattr(request.state, "lang", "zh")
    c = request.app.state.zz
    user = ctx.pop("user", None) or user_of(request)
    names = labels.names(c.wh)
    base = {
        "request": request,
        "lang": lang,
        "user": user,
        "t": lambda key, **kw: i18n.t(key, lang, **kw),
        "col": lambda key: i18n.column(key, lang),
        "show": lambda col, row: labels.show(col, row, lang, names),
        "name": lambda kind, key: names.name(kind, key, lang),
        "metric_label": lambda metric, metric_zh=None: labels.metric_label(metric, lang, metric_zh),
        "fig": lambda v, unit, metric=None, qualifier=None: labels.figure(v, unit, lang, metric, qualifier),
        "val": lambda col, v: labels.value_label(col, v, lang) if v is not None else "",
        "loc": lambda rows: labels.localise(rows, lang, names),
        "visible": labels.visible,
        "js_labels": i18n.js_labels(lang),
        "period": lambda p: labels.period(p, lang),
        "ind_heads": lambda: labels.indicator_heads(names, lang),
        "pick": lambda zh, en: i18n.pick(lang, zh, en),
        "money": lambda v, unit=None: formats.money(v, lang, unit),
        "csrf": getattr(request.state, "csrf", ""),
        "csp_nonce": getattr(request.state, "csp_nonce", ""),
        "synthetic": c.wh.synthetic,
        "may_import": bool(user and c.policy.may_import(user)),
        "sees_firms": bool(user and c.policy.sees_firms(user)),
        "path": request.url.path,
        "query": request.url.query,
    }
    base.update(ctx)
    return TEMPLATES.TemplateResponse(request, name, base, status_code=status_code)


def cached_page(request: Request, user, make) -> Response:
    """A page rendered once per data generation, viewer (name, role, region), language and address, then served
    as bytes with this response's own CSP nonce and CSRF token written in (they are never cached). `make()`
    renders it (a TemplateResponse). The page stays `no-store` for browsers (web/security.py). Only for routes whose
    viewer is `page_user`'s: the same request again is answered by web/kept.py before routing."""
    c = request.app.state.zz
    state = request.state
    key = ("page", user.name, user.role, user.region, state.lang, request.url.path, request.url.query)

    def build() -> KeptPage:
        nonce, csrf = state.csp_nonce, state.csrf
        state.csp_nonce, state.csrf = NONCE_STAND_IN, CSRF_STAND_IN
        try:
            r = make()
        finally:
            state.csp_nonce, state.csrf = nonce, csrf
        return KeptPage.of(r.status_code, bytes(r.body), r.media_type or "text/html")

    page = c.wh.cached(key, build, size=KeptPage.size)
    remember(request, user, "page", key)  # the same request by the same viewer is answered before routing
    return page.response({"csp_nonce": state.csp_nonce, "csrf": state.csrf})


def render_error(request: Request, status: int, exc: Exception):
    lang = getattr(request.state, "lang", "zh")
    if isinstance(exc, Denied):
        msg = exc.zh if lang == "zh" else exc.en
    else:
        msg = str(getattr(exc, "detail", None) or getattr(exc, "what", None) or exc)
    title = {403: i18n.t("forbidden", lang), 404: i18n.t("not_found", lang)}.get(status, i18n.t("error", lang))
    return render(request, "error.html", status_code=status, status=status, title=title, message=msg)


MONEY_HINTS = (
    "output_value",
    "value_added",
    "revenue",
    "tax",
    "profit",
    "fixed_investment",
    "tech_renovation_investment",
    "rd_expense",
    "output",
    "purchases",
    "amount",
    "shortfall",
    "expected_output",
    "local_amount",
    "group_amount",
    "core_amount",
    "chain_output",
    "change",
    "city_growth",
    "industry_mix",
    "competitive",
    "value_base",
)
RATE_HINTS = ("_growth", "_share", "share", "_rate", "rate", "cagr", "rd_ratio")


def cell(col: str, v, lang: str = "zh") -> str:
    """A table cell: money with its order of magnitude (the column is in yuan), shares and growth in per cent,
    other numbers compact (zhizao/formats.py)."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "✓" if v else "·"
    if isinstance(v, int) and (col in ("year", "result_year", "rank", "seq") or col.endswith("_year")):
        return str(v)
    if isinstance(v, (int, float)):
        base = col.replace("_prev", "")
        if base in MONEY_HINTS or (base.endswith(("_value", "_amount")) and not base.startswith("n_")):
            return formats.scaled(float(v), lang)
        if (
            (
                base.endswith(RATE_HINTS)
                or "_share_of_" in base
                or base.startswith("share_of_")
                or base.endswith("_growth")
            )
            and abs(v) <= 50
            and "per" not in base
        ):
            return formats.percent(float(v))
        return formats.compact(v, lang)
    s = str(v)
    return s if len(s) < 200 else s[:200] + "…"


TEMPLATES.env.globals["cell"] = cell
