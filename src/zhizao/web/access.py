"""Who may see what — the one place where the role rules of DESIGN.md "Access" are enforced.

Enterprise figures are confidential business data (tax, energy, land). Roles:

    role      enterprise-level data (a firm, its figures,       aggregates (regions, clusters, chains,
              its 亩均 score, ladder screening, chain roles)     results over many firms)
    admin     every firm                                         everything
    city      every firm                                         everything
    district  firms of its own region only — after a merger,     everywhere; an aggregate over 1 or 2 firms
              the predecessors' firms too (a 两江新区 user       is suppressed outside its own region
              sees the former 江北区 and 渝北区 firms)
    public    none                                               everywhere; an aggregate over 1 or 2 firms
                                                                 is suppressed

Published information (regions, the cluster taxonomy, chain templates, targets, facts and their sources)
is open to every signed-in user. Imports: admin, city, and district users for their own region
(ingest/tables enforces the region rule row by row); public users may not import. Users are managed
from the command line (`zhizao users`).

Suppression keeps the firm count visible (that a district has one firm at a node is a published kind of
fact, and "no firm" is what a 补链 gap means) and blanks the money and ratio figures of the row — and, so
that no sum or difference of shown figures gives a blanked one away, enough other figures of every total it
adds into (secondary suppression: web/disclosure.py for the method, web/suppression.py for which figures,
web/shapes.py for which columns of a row come from which figure). Columns derived from a small figure of
another year (`_prev`, growth, a shift-share base) are blanked too, and so are a district leader's supplier
flows from one or two firms of another region.

Every API route, page, CSV download and report asks this module; nothing else decides. For reports:

    policy.protect(p, view, rows, year)        # blank, in place, what `p` may not see in rows of a view
    policy.protect_figures(p, rows, mapping)   # the same for rows of /figures (region totals)
    policy.own(p)                              # the regions whose cells `p` sees unblanked (None: none)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..errors import ZhizaoError
from .suppression import Disclosure
from .warehouse import Warehouse

ROLES = ("admin", "city", "district", "public")
MIN_FIRMS = 3  # aggregates over fewer firms are suppressed for district and public
IMPORTERS = frozenset({"admin", "city", "district"})


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    region: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.role}{' ' + self.region if self.region else ''})"


class Denied(ZhizaoError):
    """The signed-in user's role may not see or do this (HTTP 403)."""

    http_status = 403

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


class Policy:
    def __init__(self, wh: Warehouse):
        self.wh = wh
        self.disclosure = Disclosure(wh)

    # ------------------------------------------------------------------ enterprise-level data
    def firm_regions(self, p: Principal) -> frozenset[str] | None:
        """Region codes (as recorded on firms) whose firms `p` may see; None = every firm."""
        if p.role in ("admin", "city"):
            return None
        if p.role != "district" or not p.region:
            return frozenset()
        return self.wh.cached(("firm_regions", p.region), lambda: self._own(p.region))

    def _own(self, region: str) -> frozenset[str]:
        regs = self.wh.regions()
        own = {region}
        # predecessors that roll up into the user's region on today's map (江北区, 渝北区 -> 两江新区)
        own |= {c for c, r in regs.items() if r.current == region}
        return frozenset(own)

    def sees_firms(self, p: Principal) -> bool:
        fr = self.firm_regions(p)
        return fr is None or bool(fr)

    def may_see_firm(self, p: Principal, firm_region: str | None) -> bool:
        fr = self.firm_regions(p)
        return fr is None or (firm_region is not None and firm_region in fr)

    def require_firm(self, p: Principal, firm_region: str | None) -> None:
        if not self.may_see_firm(p, firm_region):
            if p.role == "public":
                raise Denied(
                    "公众账号只能查看汇总数据，不能查看企业数据",
                    "public accounts see aggregates only, not enterprise data",
                )
            raise Denied(
                f"区县账号只能查看本区县（{self.wh.region_name(p.region)}）的企业",
                f"a district account sees enterprises of its own region ({p.region}) only",
            )

    def require_firms(self, p: Principal, region: str | None = None) -> frozenset[str] | None:
        """For a list of firms (optionally of one region): the region codes to restrict to (None = all)."""
        fr = self.firm_regions(p)
        if fr is not None and not fr:
            self.require_firm(p, None)
        if region is None:
            return fr
        wanted = self.region_members(region)
        if fr is None:
            return wanted
        if not wanted or not wanted <= fr:
            self.require_firm(p, region)
        return wanted

    def region_members(self, region: str) -> frozenset[str]:
        """Recorded region codes whose firms count in `region` on today's map (a county, its predecessors,
        or every county of a group)."""

        def members():
            regs = self.wh.regions()
            anc = self.wh.ancestors()
            out = {c for c, r in regs.items() if r.current == region or c == region}
            out |= {c for c, a in anc.items() if region in a}
            out |= {c for c, r in regs.items() if r.current in out}
            return frozenset(out)

        return self.wh.cached(("members", region), members)

    def firm_sql(self, p: Principal, column: str, region: str | None = None) -> tuple[str, list]:
        """A SQL condition restricting `column` (a firm's recorded region code) to what `p` may see."""
        codes = self.require_firms(p, region)
        if codes is None:
            return "TRUE", []
        if not codes:
            return "FALSE", []
        return f"{column} IN ({', '.join('?' for _ in codes)})", sorted(codes)

    # ------------------------------------------------------------------ aggregates
    def suppresses(self, p: Principal) -> bool:
        return p.role in ("district", "public")

    def suppress(
        self,
        p: Principal,
        rows: list[dict],
        *,
        count: str = "firms",
        values: Iterable[str] | None = None,
        region: str | None = "region_code",
        keep: Iterable[str] = (),
    ) -> int:
        """Blank the figures of every aggregate row over 1 or 2 firms, in place; returns how many rows.

        `values` are the columns to blank (default: every numeric column but the count and `keep`). A row
        of the user's own region (district users) is left alone: they may see those firms one by one.
        """
        if not self.suppresses(p) or not rows:
            return 0
        own = self.firm_regions(p) or frozenset()
        keep = set(keep) | {count}
        n = 0
        for r in rows:
            c = r.get(count)
            if c is None or not (0 < c < MIN_FIRMS):
                continue
            if region and own and r.get(region) in own:
                continue
            cols = (
                values
                if values is not None
                else [
                    k for k, v in r.items() if k not in keep and isinstance(v, (int, float)) and not isinstance(v, bool)
                ]
            )
            for k in cols:
                if k in r:
                    r[k] = None
            r["suppressed"] = True
            n += 1
        return n

    def own(self, p: Principal) -> frozenset[str] | None:
        """Regions whose aggregate cells `p` sees unblanked (a district user's own and predecessors)."""
        if p.role != "district":
            return None
        return self.firm_regions(p) or None

    def protects(self, p: Principal, view) -> bool:
        """Whether rows of `view` go through secondary suppression for `p`."""
        if not self.suppresses(p) or view.cells is None:
            return False
        return view.kind == "aggregate" or view.protects

    def protect(self, p: Principal, view, rows: list[dict], year: int | None = None) -> int:
        """Blank, in place, every figure of `rows` (rows of `view`) that `p` may not see — small cells and
        their complements — and mark those rows `suppressed`; returns how many rows."""
        if not self.protects(p, view):
            return 0
        return self.disclosure.apply_view(view, rows, self.own(p))

    def protect_figures(self, p: Principal, rows: list[dict], mapping: str) -> int:
        """The same for region totals (/api/v1/figures rows: region_code, year, figures, growth, shares)."""
        if not self.suppresses(p):
            return 0
        from .shapes import region_figures

        return self.disclosure.apply(rows, lambda r: region_figures(r, mapping), self.own(p))

    # ------------------------------------------------------------------ actions
    def may_import(self, p: Principal) -> bool:
        return p.role in IMPORTERS and (p.role != "district" or bool(p.region))

    def require_import(self, p: Principal) -> None:
        if not self.may_import(p):
            raise Denied("此账号无权导入数据", "this account may not import data")
