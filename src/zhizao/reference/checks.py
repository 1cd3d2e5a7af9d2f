"""Checks across a policy pack's files, and the error a pack that does not load raises.

The models (models.py) check each file on its own; `cross_validate` checks what only the whole pack can show:
every source, region, industry, cluster, tier, honour kind and figure an entry names exists where it is defined,
and shapes the models cannot see (a county has a parent group and no parent chain loops; an industry sits under
its parent's code; within one tier no industry's shares add up past 1; a figure's quote is in its source text).
`validate_demo` does the same for the optional demo.yaml. Every failure is a PackError naming the file, the
entry and the field.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterable

from ..errors import ZhizaoError
from . import demo_models as dm

if TYPE_CHECKING:
    from .pack import Pack


class PackError(ZhizaoError, ValueError):
    """A pack file that does not load: which file, which entry, which field, and why."""

    exit_code = 2

    def __init__(self, file: str, message: str, entry: str | None = None, field: str | None = None):
        self.file, self.entry, self.field, self.message = file, entry, field, message
        where = file + (f": {entry}" if entry else "") + (f": {field}" if field else "")
        super().__init__(f"{where}: {message}")


def check(cond: bool, file: str, message: str, entry: str | None = None, field: str | None = None):
    if not cond:
        raise PackError(file, message, entry=entry, field=field)


def cross_validate(p: Pack) -> None:
    """References between files must resolve; shapes that models cannot see are checked here."""
    from .pack import _source_text, expand_industry  # (pack.py imports this module)

    src = p.sources

    def sources_ok(file: str, entry: str, ids: Iterable[str]):
        for s in ids:
            check(s in src, file, f"unknown source {s!r} (not in sources.yaml)", entry, "sources")

    # regions
    check(p.info.root_region in p.regions, "pack.yaml", f"root_region {p.info.root_region!r} is not a region")
    ex = p.info.template_examples
    for i, f in enumerate(ex.firms):
        on = dt.date(f.region_year, 7, 1) if f.region_year else None
        check(
            p.resolve_region(f.region, on=on) is not None,
            "pack.yaml",
            f"region {f.region!r} is not a region of the pack" + (f" in {f.region_year}" if f.region_year else ""),
            f"template_examples.firms[{i}]",
            "region",
        )
    for r in [*ex.region_forms, *ex.former_regions]:
        check(
            bool(p.region_codes_for(r)) or r in p.regions,
            "pack.yaml",
            f"{r!r} names no region",
            "template_examples",
            "region_forms",
        )
    for i, r in enumerate(p.regions.values()):
        e = f"regions[{i}] (code {r.code})"
        sources_ok("regions.yaml", e, r.sources)
        if r.parent is not None:
            check(r.parent in p.regions, "regions.yaml", f"unknown parent {r.parent!r}", e, "parent")
        if r.level == "county":
            check(r.parent is not None, "regions.yaml", "a county needs a parent group", e, "parent")
        if r.valid_from and r.valid_to:
            check(r.valid_from < r.valid_to, "regions.yaml", "valid_from must be before valid_to", e, "valid_to")
    for r in p.regions.values():  # cycles
        seen, cur = set(), r.code
        while cur is not None:
            check(cur not in seen, "regions.yaml", f"parent chain of {r.code} loops", f"code {r.code}", "parent")
            seen.add(cur)
            cur = p.regions[cur].parent
    for i, s in enumerate(p.successions):
        e = f"successions[{i}] (predecessor {s.predecessor})"
        sources_ok("regions.yaml", e, s.sources)
        for fld in ("predecessor", "successor"):
            check(getattr(s, fld) in p.regions, "regions.yaml", f"unknown region {getattr(s, fld)!r}", e, fld)
        pred = p.regions[s.predecessor]
        if s.primary:
            check(
                pred.valid_to == s.effective,
                "regions.yaml",
                f"{s.predecessor} ends {pred.valid_to}, but its primary succession is effective {s.effective}",
                e,
                "effective",
            )
    for pred in {s.predecessor for s in p.successions}:
        prim = [s for s in p.successions if s.predecessor == pred and s.primary]
        want = 1 if p.regions[pred].valid_to else 0  # a region that goes on only hands over parts
        check(
            len(prim) == want,
            "regions.yaml",
            f"region {pred} needs {want} primary successor(s), has {len(prim)}",
            f"predecessor {pred}",
            "primary",
        )
    for i, o in enumerate(p.overlaps):
        e = f"overlaps[{i}] (area {o.area})"
        sources_ok("regions.yaml", e, o.sources)
        check(
            o.area in p.regions and p.regions[o.area].level == "functional_area",
            "regions.yaml",
            f"{o.area!r} is not a functional area",
            e,
            "area",
        )
        check(o.region in p.regions, "regions.yaml", f"unknown region {o.region!r}", e, "region")
    # industries
    sources_ok("industries.yaml", "industries", [s for s in ([] if not p.industries else [])])
    for i, ind in enumerate(p.industries.values()):
        e = f"industries[{i}] (code {ind.code})"
        if ind.parent is not None:
            check(ind.parent in p.industries, "industries.yaml", f"unknown parent {ind.parent!r}", e, "parent")
            check(
                ind.code.startswith(ind.parent) or len(ind.parent) == 1,
                "industries.yaml",
                f"{ind.code} cannot sit under {ind.parent}",
                e,
                "parent",
            )
    # cluster systems
    for si, sy in enumerate(p.systems.values()):
        e = f"systems[{si}] (id {sy.id})"
        sources_ok("clusters.yaml", e, sy.sources)
        check(sy.region in p.regions, "clusters.yaml", f"unknown region {sy.region!r}", e, "region")
        if sy.parent_system:
            check(
                sy.parent_system in p.systems,
                "clusters.yaml",
                f"unknown system {sy.parent_system!r}",
                e,
                "parent_system",
            )
        tiers = {t.key for t in sy.tiers}
        for ci, c in enumerate(sy.clusters):
            ce = f"{e}.clusters[{ci}] (id {c.id})"
            sources_ok("clusters.yaml", ce, c.sources)
            check(c.tier in tiers, "clusters.yaml", f"tier {c.tier!r} is not a tier of {sy.id}", ce, "tier")
            if c.parent:
                check(
                    p.cluster_system.get(c.parent) == sy.id,
                    "clusters.yaml",
                    f"parent {c.parent!r} is not a cluster of {sy.id}",
                    ce,
                    "parent",
                )
            for t in c.maps_to:
                check(
                    t in p.clusters and p.cluster_system[t] == sy.parent_system,
                    "clusters.yaml",
                    f"maps_to {t!r} is not a cluster of the parent system {sy.parent_system!r}",
                    ce,
                    "maps_to",
                )
            for ii, ci_ in enumerate(c.industries):
                check(
                    ci_.code in p.industries,
                    "clusters.yaml",
                    f"unknown industry {ci_.code!r}",
                    ce,
                    f"industries[{ii}].code",
                )
            codes = [x.code for x in c.industries]
            check(len(set(codes)) == len(codes), "clusters.yaml", "an industry is listed twice", ce, "industries")
        # within one tier, no industry may count more than once
        for t in tiers:
            total: dict[str, float] = {}
            for c in sy.clusters:
                if c.tier != t:
                    continue
                for x in c.industries:
                    for code in expand_industry(p, x.code):
                        total[code] = total.get(code, 0.0) + x.share
            over = {k: v for k, v in total.items() if v > 1 + 1e-9}
            check(
                not over,
                "clusters.yaml",
                f"industry shares within tier {t!r} exceed 1 for {sorted(over)[:5]} (a firm would count twice)",
                e,
                "clusters",
            )
    # chains
    for i, ch in enumerate(p.chains.values()):
        e = f"chains[{i}] (id {ch.id})"
        sources_ok("chains.yaml", e, ch.sources)
        check(ch.cluster in p.clusters, "chains.yaml", f"unknown cluster {ch.cluster!r}", e, "cluster")
        if ch.region:
            check(ch.region in p.regions, "chains.yaml", f"unknown region {ch.region!r}", e, "region")
        for ni, n in enumerate(ch.nodes):
            check(
                n.industry in p.industries,
                "chains.yaml",
                f"unknown industry {n.industry!r}",
                e,
                f"nodes[{ni}].industry",
            )
    # ladder
    kinds = {k.key for k in p.ladder.honour_kinds}
    sources_ok("scale.yaml", "above_scale", p.scale.above_scale.sources)
    sources_ok("scale.yaml", "sme", p.scale.sme.sources)
    for i, lim in enumerate(p.scale.sme.limits):
        sources_ok("scale.yaml", f"sme.limits[{i}]", lim.sources)
    for i, k in enumerate(p.ladder.honour_kinds):
        sources_ok("ladder.yaml", f"honour_kinds[{i}] (key {k.key})", k.sources)
    for i, t in enumerate(p.ladder.tiers):
        e = f"tiers[{i}] (key {t.key})"
        sources_ok("ladder.yaml", e, t.sources)
        check(t.honour in kinds, "ladder.yaml", f"honour {t.honour!r} is not an honour kind", e, "honour")
        if t.prerequisite:
            check(
                t.prerequisite in {x.key for x in p.ladder.tiers},
                "ladder.yaml",
                f"unknown prerequisite {t.prerequisite!r}",
                e,
                "prerequisite",
            )
        for c in t.criteria + t.score_or_direct:
            sources_ok("ladder.yaml", f"{e} criterion {c.id}", c.sources)
    # mujun
    ids = {x.id for x in p.mujun.methods}
    check(p.mujun.default_method in ids, "mujun.yaml", f"default_method {p.mujun.default_method!r} is not a method")
    for i, meth in enumerate(p.mujun.methods):
        sources_ok("mujun.yaml", f"methods[{i}] (id {meth.id})", meth.sources)
    units = p.mujun.evaluation_units
    if units is not None:
        sources_ok("mujun.yaml", "evaluation_units", units.sources)
        for a in units.areas:
            check(
                a in p.regions and p.regions[a].level == "functional_area",
                "mujun.yaml",
                f"{a!r} is not a functional area of regions.yaml",
                entry="evaluation_units",
                field="areas",
            )
    # figures
    for i, f in enumerate(p.figures.values()):
        e = f"figures[{i}] (id {f.id})"
        sources_ok("figures.yaml", e, f.sources)
        check(bool(f.sources), "figures.yaml", "every figure needs a source", e, "sources")
        if f.cluster is not None:
            check(f.cluster in p.clusters, "figures.yaml", f"unknown cluster {f.cluster!r}", e, "cluster")
        if f.entity_type in ("district", "city", "region", "province"):
            check(
                p.resolve_region(f.entity) is not None,
                "figures.yaml",
                f"entity {f.entity!r} is not a region of the pack",
                e,
                "entity",
            )
        if (
            f.entity_type == "park"
        ):  # a park of parks.yaml, or a functional area (两江新区, 重庆高新区: 'park' in the fact schema)
            fa = p.resolve_region(f.entity)
            fa_ok = any(p.regions[c].level == "functional_area" for c in p.region_codes_for(f.entity)) or (
                fa is not None and fa.level == "functional_area"
            )
            check(
                fa_ok or any(f.entity == pk.name_zh or f.entity in pk.aliases for pk in p.parks.values()),
                "figures.yaml",
                f"entity {f.entity!r} is not a park or functional area of the pack",
                e,
                "entity",
            )
        if f.quote and p.sources[f.sources[0]].file:
            text = _source_text(p, f.sources[0])
            check(text is None or f.quote in text, "figures.yaml", "quote is not in the source text", e, "quote")
    for i, pk in enumerate(p.parks.values()):
        e = f"parks[{i}] (id {pk.id})"
        sources_ok("parks.yaml", e, pk.sources)
        check(pk.region in p.regions, "parks.yaml", f"unknown region {pk.region!r}", e, "region")
        if pk.functional_area:
            check(
                pk.functional_area in p.regions,
                "parks.yaml",
                f"unknown functional area {pk.functional_area!r}",
                e,
                "functional_area",
            )


def validate_demo(d: dm.DemoConfig, p: Pack) -> None:
    f = "demo.yaml"
    for i, w in enumerate(d.region_weights):
        check(
            w.region in p.regions and p.regions[w.region].level == "county",
            f,
            f"{w.region!r} is not a county-level region",
            f"region_weights[{i}]",
            "region",
        )
    for i, e in enumerate(d.emphasis):
        check(e.region in p.regions, f, f"unknown region {e.region!r}", f"emphasis[{i}]", "region")
        for c in e.clusters:
            check(c in p.clusters, f, f"unknown cluster {c!r}", f"emphasis[{i}]", "clusters")
        for s in e.sources:
            check(s in p.sources, f, f"unknown source {s!r}", f"emphasis[{i}]", "sources")
    for i, g in enumerate(d.cluster_growth):
        check(g.cluster in p.clusters, f, f"unknown cluster {g.cluster!r}", f"cluster_growth[{i}]", "cluster")
        for s in g.sources:
            check(s in p.sources, f, f"unknown source {s!r}", f"cluster_growth[{i}]", "sources")
    for i, pr in enumerate(d.profiles):
        check(pr.code in p.industries, f, f"unknown industry {pr.code!r}", f"profiles[{i}]", "code")
    for i, c in enumerate(d.calibration):
        check(c.figure in p.figures, f, f"unknown figure {c.figure!r}", f"calibration[{i}]", "figure")
        if c.cluster:
            check(c.cluster in p.clusters, f, f"unknown cluster {c.cluster!r}", f"calibration[{i}]", "cluster")
        fig = p.figures.get(c.figure)
        check(
            fig is None or fig.kind == "actual" or bool(c.basis),
            f,
            "calibrating to a target (a plan) needs a basis saying why",
            f"calibration[{i}]",
            "basis",
        )
    kinds = {k.key for k in p.ladder.honour_kinds}
    for i, h in enumerate(d.honour_targets):
        check(h.kind in kinds, f, f"unknown honour kind {h.kind!r}", f"honour_targets[{i}]", "kind")
        check(
            (h.year is None) != (h.as_of is None),
            f,
            "give either year (new) or as_of (held)",
            f"honour_targets[{i}]",
            "year",
        )
        if h.region:
            check(h.region in p.regions, f, f"unknown region {h.region!r}", f"honour_targets[{i}]", "region")
        if h.figure:
            check(h.figure in p.figures, f, f"unknown figure {h.figure!r}", f"honour_targets[{i}]", "figure")
    for i, h in enumerate(d.honour_rates):
        check(h.kind in kinds, f, f"unknown honour kind {h.kind!r}", f"honour_rates[{i}]", "kind")
