"""Load and validate a policy pack (a folder of YAML files, see models.py).

`load_pack("chongqing")` reads `reference/chongqing/`; any other folder with the same files is a
pack too (`load_pack("/path/to/pack")`). A broken pack raises PackError naming the file, the entry
and the field, e.g. ``regions.yaml: regions[3] (code 500105): level: Input should be 'province', ...``.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import ZhizaoError
from . import models as m

PACKS_DIR = Path(__file__).parent
DEFAULT_PACK = "chongqing"

# file name -> (model, the list attribute whose entries carry an id for messages, id field)
FILES: dict[str, tuple[type[BaseModel], bool]] = {
    "pack.yaml": (m.PackInfo, True),
    "sources.yaml": (m.SourcesFile, True),
    "regions.yaml": (m.RegionsFile, True),
    "industries.yaml": (m.IndustriesFile, True),
    "clusters.yaml": (m.ClustersFile, True),
    "chains.yaml": (m.ChainsFile, True),
    "ladder.yaml": (m.LadderFile, True),
    "scale.yaml": (m.ScaleFile, True),
    "mujun.yaml": (m.MujunFile, True),
    "figures.yaml": (m.FiguresFile, True),
    "parks.yaml": (m.ParksFile, True),
}
OPTIONAL = {"demo.yaml"}
_ID_FIELDS = ("id", "code", "key", "predecessor", "area")


class PackError(ZhizaoError, ValueError):
    """A pack file that does not load: which file, which entry, which field, and why."""

    exit_code = 2

    def __init__(self, file: str, message: str, entry: str | None = None, field: str | None = None):
        self.file, self.entry, self.field, self.message = file, entry, field, message
        where = file + (f": {entry}" if entry else "") + (f": {field}" if field else "")
        super().__init__(f"{where}: {message}")


def _describe(raw: Any, loc: tuple) -> tuple[str | None, str | None]:
    """Turn a pydantic error location into ('regions[3] (code 500105)', 'level')."""
    entry_parts: list[str] = []
    node = raw
    i = 0
    last_entry = None
    while i < len(loc):
        key = loc[i]
        if isinstance(key, int) and isinstance(node, list):
            node = node[key] if key < len(node) else None
            ident = None
            if isinstance(node, dict):
                for f in _ID_FIELDS:
                    if f in node:
                        ident = f"{f} {node[f]}"
                        break
            entry_parts[-1:] = [f"{entry_parts[-1] if entry_parts else ''}[{key}]" + (f" ({ident})" if ident else "")]
            last_entry = i
        elif isinstance(node, dict) and key in node and isinstance(node[key], (list, dict)):
            entry_parts.append(str(key))
            node = node[key]
        else:
            break
        i += 1
    if last_entry is None:
        return None, ".".join(str(k) for k in loc) or None
    return ".".join(entry_parts), ".".join(str(k) for k in loc[last_entry + 1 :]) or None


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.safe_load(f)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise PackError(path.name, f"not valid YAML: {getattr(e, 'problem', e)}", entry=where) from None
    except UnicodeDecodeError:
        raise PackError(path.name, "not UTF-8 text") from None


def _parse(path: Path, model: type[BaseModel]) -> BaseModel:
    raw = _read(path)
    if raw is None:
        raise PackError(path.name, "file is empty")
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        entry, fld = _describe(raw, tuple(err["loc"]))
        more = f" (and {len(e.errors()) - 1} more problems)" if len(e.errors()) > 1 else ""
        raise PackError(path.name, err["msg"] + more, entry=entry, field=fld) from None


@dataclass(frozen=True)
class Pack:
    path: Path
    info: m.PackInfo
    sources: dict[str, m.Source]
    regions: dict[str, m.Region]
    successions: list[m.Succession]
    overlaps: list[m.Overlap]
    industry_standard: str
    industries: dict[str, m.Industry]
    systems: dict[str, m.ClusterSystem]
    clusters: dict[str, m.Cluster]
    cluster_system: dict[str, str]  # cluster id -> system id
    chains: dict[str, m.Chain]
    ladder: m.LadderFile
    scale: m.ScaleFile
    mujun: m.MujunFile
    figures: dict[str, m.Figure]
    parks: dict[str, m.Park]
    demo: m.DemoConfig | None = None  # the synthetic demo's assumptions (demo.yaml), if the pack has them
    _names: dict[str, list[str]] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------ regions
    @property
    def root(self) -> m.Region:
        return self.regions[self.info.root_region]

    def counties(self, on: dt.date | None = None) -> list[m.Region]:
        """County-level units; with `on`, only those that existed that day."""
        out = [r for r in self.regions.values() if r.level == "county"]
        if on is not None:
            out = [
                r
                for r in out
                if (r.valid_from is None or r.valid_from <= on) and (r.valid_to is None or on < r.valid_to)
            ]
        return out

    def ancestors(self, code: str) -> list[str]:
        """Parent chain of a region, nearest first (not including itself)."""
        out, seen = [], {code}
        cur = self.regions[code].parent
        while cur is not None and cur not in seen:
            out.append(cur)
            seen.add(cur)
            cur = self.regions[cur].parent
        return out

    def group_of(self, code: str, level: str = "group") -> str | None:
        """The nearest ancestor at `level` ('group' or 'subgroup')."""
        for a in self.ancestors(code):
            if self.regions[a].level == level:
                return a
        return None

    def successor_of(self, code: str, on: dt.date | None = None) -> str:
        """Where a region's figures roll up on the map valid at `on` (default: today's map)."""
        on = on or dt.date.today()
        cur, seen = code, set()
        while cur not in seen:
            seen.add(cur)
            nxt = [s for s in self.successions if s.predecessor == cur and s.primary and s.effective <= on]
            if not nxt:
                break
            cur = nxt[0].successor
        return cur

    def region_codes_for(self, name: str) -> list[str]:
        """Region codes a written name may refer to (name, alias, former name; exact match)."""
        return list(self._names.get(name.strip(), []))

    def resolve_region(self, text: str, on: dt.date | None = None) -> m.Region | None:
        """A region from its code, full name, short name or former name.

        With several candidates (a former name reused by a successor), the one valid `on` wins.
        """
        t = str(text).strip()
        if t in self.regions:
            return self.regions[t]
        codes = self.region_codes_for(t)
        if not codes:
            return None
        if len(codes) > 1 and on is not None:
            valid = [
                c
                for c in codes
                if (self.regions[c].valid_from or dt.date.min) <= on < (self.regions[c].valid_to or dt.date.max)
            ]
            codes = valid or codes
        return self.regions[codes[0]]

    # ------------------------------------------------------------ honours
    def honour_validity(self, kind: str) -> int | None:
        """Years a recognition of `kind` holds: the honour kind's validity_years, else its ladder tier's."""
        return honour_validity(self.ladder, kind)

    # ------------------------------------------------------------ clusters and industries
    def system_clusters(self, system_id: str) -> list[m.Cluster]:
        return list(self.systems[system_id].clusters)

    def industry_ancestors(self, code: str) -> list[str]:
        out, cur = [], self.industries[code].parent
        while cur:
            out.append(cur)
            cur = self.industries[cur].parent
        return out

    def leaf_industries(self) -> list[str]:
        parents = {i.parent for i in self.industries.values() if i.parent}
        return [c for c in self.industries if c not in parents]


def honour_validity(ladder: m.LadderFile, kind: str) -> int | None:
    """Years a recognition of `kind` holds (ladder.yaml): the honour kind's validity_years, else its tier's."""
    for k in ladder.honour_kinds:
        if k.key == kind and k.validity_years:
            return int(k.validity_years)
    for t in ladder.tiers:
        if t.honour == kind and t.validity_years:
            return int(t.validity_years)
    return None


def _check(cond: bool, file: str, message: str, entry: str | None = None, field: str | None = None):
    if not cond:
        raise PackError(file, message, entry=entry, field=field)


def _cross_validate(p: Pack) -> None:
    """References between files must resolve; shapes that models cannot see are checked here."""
    src = p.sources

    def sources_ok(file: str, entry: str, ids: Iterable[str]):
        for s in ids:
            _check(s in src, file, f"unknown source {s!r} (not in sources.yaml)", entry, "sources")

    # regions
    _check(p.info.root_region in p.regions, "pack.yaml", f"root_region {p.info.root_region!r} is not a region")
    ex = p.info.template_examples
    for i, f in enumerate(ex.firms):
        on = dt.date(f.region_year, 7, 1) if f.region_year else None
        _check(
            p.resolve_region(f.region, on=on) is not None,
            "pack.yaml",
            f"region {f.region!r} is not a region of the pack" + (f" in {f.region_year}" if f.region_year else ""),
            f"template_examples.firms[{i}]",
            "region",
        )
    for r in [*ex.region_forms, *ex.former_regions]:
        _check(
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
            _check(r.parent in p.regions, "regions.yaml", f"unknown parent {r.parent!r}", e, "parent")
        if r.level == "county":
            _check(r.parent is not None, "regions.yaml", "a county needs a parent group", e, "parent")
        if r.valid_from and r.valid_to:
            _check(r.valid_from < r.valid_to, "regions.yaml", "valid_from must be before valid_to", e, "valid_to")
    for r in p.regions.values():  # cycles
        seen, cur = set(), r.code
        while cur is not None:
            _check(cur not in seen, "regions.yaml", f"parent chain of {r.code} loops", f"code {r.code}", "parent")
            seen.add(cur)
            cur = p.regions[cur].parent
    for i, s in enumerate(p.successions):
        e = f"successions[{i}] (predecessor {s.predecessor})"
        sources_ok("regions.yaml", e, s.sources)
        for fld in ("predecessor", "successor"):
            _check(getattr(s, fld) in p.regions, "regions.yaml", f"unknown region {getattr(s, fld)!r}", e, fld)
        pred = p.regions[s.predecessor]
        if s.primary:
            _check(
                pred.valid_to == s.effective,
                "regions.yaml",
                f"{s.predecessor} ends {pred.valid_to}, but its primary succession is effective {s.effective}",
                e,
                "effective",
            )
    for pred in {s.predecessor for s in p.successions}:
        prim = [s for s in p.successions if s.predecessor == pred and s.primary]
        want = 1 if p.regions[pred].valid_to else 0  # a region that goes on only hands over parts
        _check(
            len(prim) == want,
            "regions.yaml",
            f"region {pred} needs {want} primary successor(s), has {len(prim)}",
            f"predecessor {pred}",
            "primary",
        )
    for i, o in enumerate(p.overlaps):
        e = f"overlaps[{i}] (area {o.area})"
        sources_ok("regions.yaml", e, o.sources)
        _check(
            o.area in p.regions and p.regions[o.area].level == "functional_area",
            "regions.yaml",
            f"{o.area!r} is not a functional area",
            e,
            "area",
        )
        _check(o.region in p.regions, "regions.yaml", f"unknown region {o.region!r}", e, "region")
    # industries
    sources_ok("industries.yaml", "industries", [s for s in ([] if not p.industries else [])])
    for i, ind in enumerate(p.industries.values()):
        e = f"industries[{i}] (code {ind.code})"
        if ind.parent is not None:
            _check(ind.parent in p.industries, "industries.yaml", f"unknown parent {ind.parent!r}", e, "parent")
            _check(
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
        _check(sy.region in p.regions, "clusters.yaml", f"unknown region {sy.region!r}", e, "region")
        if sy.parent_system:
            _check(
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
            _check(c.tier in tiers, "clusters.yaml", f"tier {c.tier!r} is not a tier of {sy.id}", ce, "tier")
            if c.parent:
                _check(
                    p.cluster_system.get(c.parent) == sy.id,
                    "clusters.yaml",
                    f"parent {c.parent!r} is not a cluster of {sy.id}",
                    ce,
                    "parent",
                )
            for t in c.maps_to:
                _check(
                    t in p.clusters and p.cluster_system[t] == sy.parent_system,
                    "clusters.yaml",
                    f"maps_to {t!r} is not a cluster of the parent system {sy.parent_system!r}",
                    ce,
                    "maps_to",
                )
            for ii, ci_ in enumerate(c.industries):
                _check(
                    ci_.code in p.industries,
                    "clusters.yaml",
                    f"unknown industry {ci_.code!r}",
                    ce,
                    f"industries[{ii}].code",
                )
            codes = [x.code for x in c.industries]
            _check(len(set(codes)) == len(codes), "clusters.yaml", "an industry is listed twice", ce, "industries")
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
            _check(
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
        _check(ch.cluster in p.clusters, "chains.yaml", f"unknown cluster {ch.cluster!r}", e, "cluster")
        if ch.region:
            _check(ch.region in p.regions, "chains.yaml", f"unknown region {ch.region!r}", e, "region")
        for ni, n in enumerate(ch.nodes):
            _check(
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
        _check(t.honour in kinds, "ladder.yaml", f"honour {t.honour!r} is not an honour kind", e, "honour")
        if t.prerequisite:
            _check(
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
    _check(p.mujun.default_method in ids, "mujun.yaml", f"default_method {p.mujun.default_method!r} is not a method")
    for i, meth in enumerate(p.mujun.methods):
        sources_ok("mujun.yaml", f"methods[{i}] (id {meth.id})", meth.sources)
    # figures
    for i, f in enumerate(p.figures.values()):
        e = f"figures[{i}] (id {f.id})"
        sources_ok("figures.yaml", e, f.sources)
        _check(bool(f.sources), "figures.yaml", "every figure needs a source", e, "sources")
        if f.cluster is not None:
            _check(f.cluster in p.clusters, "figures.yaml", f"unknown cluster {f.cluster!r}", e, "cluster")
        if f.entity_type in ("district", "city", "region", "province"):
            _check(
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
            _check(
                fa_ok or any(f.entity == pk.name_zh or f.entity in pk.aliases for pk in p.parks.values()),
                "figures.yaml",
                f"entity {f.entity!r} is not a park or functional area of the pack",
                e,
                "entity",
            )
        if f.quote and p.sources[f.sources[0]].file:
            text = _source_text(p, f.sources[0])
            _check(text is None or f.quote in text, "figures.yaml", "quote is not in the source text", e, "quote")
    for i, pk in enumerate(p.parks.values()):
        e = f"parks[{i}] (id {pk.id})"
        sources_ok("parks.yaml", e, pk.sources)
        _check(pk.region in p.regions, "parks.yaml", f"unknown region {pk.region!r}", e, "region")
        if pk.functional_area:
            _check(
                pk.functional_area in p.regions,
                "parks.yaml",
                f"unknown functional area {pk.functional_area!r}",
                e,
                "functional_area",
            )


def _validate_demo(d: m.DemoConfig, p: Pack) -> None:
    f = "demo.yaml"
    for i, w in enumerate(d.region_weights):
        _check(
            w.region in p.regions and p.regions[w.region].level == "county",
            f,
            f"{w.region!r} is not a county-level region",
            f"region_weights[{i}]",
            "region",
        )
    for i, e in enumerate(d.emphasis):
        _check(e.region in p.regions, f, f"unknown region {e.region!r}", f"emphasis[{i}]", "region")
        for c in e.clusters:
            _check(c in p.clusters, f, f"unknown cluster {c!r}", f"emphasis[{i}]", "clusters")
        for s in e.sources:
            _check(s in p.sources, f, f"unknown source {s!r}", f"emphasis[{i}]", "sources")
    for i, g in enumerate(d.cluster_growth):
        _check(g.cluster in p.clusters, f, f"unknown cluster {g.cluster!r}", f"cluster_growth[{i}]", "cluster")
        for s in g.sources:
            _check(s in p.sources, f, f"unknown source {s!r}", f"cluster_growth[{i}]", "sources")
    for i, pr in enumerate(d.profiles):
        _check(pr.code in p.industries, f, f"unknown industry {pr.code!r}", f"profiles[{i}]", "code")
    for i, c in enumerate(d.calibration):
        _check(c.figure in p.figures, f, f"unknown figure {c.figure!r}", f"calibration[{i}]", "figure")
        if c.cluster:
            _check(c.cluster in p.clusters, f, f"unknown cluster {c.cluster!r}", f"calibration[{i}]", "cluster")
        fig = p.figures.get(c.figure)
        _check(
            fig is None or fig.kind == "actual" or bool(c.basis),
            f,
            "calibrating to a target (a plan) needs a basis saying why",
            f"calibration[{i}]",
            "basis",
        )
    kinds = {k.key for k in p.ladder.honour_kinds}
    for i, h in enumerate(d.honour_targets):
        _check(h.kind in kinds, f, f"unknown honour kind {h.kind!r}", f"honour_targets[{i}]", "kind")
        _check(
            (h.year is None) != (h.as_of is None),
            f,
            "give either year (new) or as_of (held)",
            f"honour_targets[{i}]",
            "year",
        )
        if h.region:
            _check(h.region in p.regions, f, f"unknown region {h.region!r}", f"honour_targets[{i}]", "region")
        if h.figure:
            _check(h.figure in p.figures, f, f"unknown figure {h.figure!r}", f"honour_targets[{i}]", "figure")
    for i, h in enumerate(d.honour_rates):
        _check(h.kind in kinds, f, f"unknown honour kind {h.kind!r}", f"honour_rates[{i}]", "kind")


def expand_industry(p: Pack, code: str) -> list[str]:
    """The leaf industries under a code (itself when it is a leaf)."""
    kids = [c for c, i in p.industries.items() if i.parent == code]
    if not kids:
        return [code]
    return [leaf for k in kids for leaf in expand_industry(p, k)]


def _source_text(p: Pack, source_id: str) -> str | None:
    s = p.sources[source_id]
    if not s.file:
        return None
    path = p.path / s.file
    return path.read_text(encoding="utf-8") if path.exists() else None


def source_text(p: Pack, source_id: str) -> str | None:
    """The text of a source the pack ships (the seed articles), or None."""
    return _source_text(p, source_id)


def _resolve_dir(name_or_path: str | Path) -> Path:
    p = Path(name_or_path)
    if p.is_dir():
        return p.resolve()
    cand = PACKS_DIR / str(name_or_path)
    if cand.is_dir():
        return cand.resolve()
    raise PackError(str(name_or_path), "no such policy pack (a pack name under reference/ or a folder)")


def load_pack(name_or_path: str | Path = DEFAULT_PACK) -> Pack:
    """Load, validate and cache a pack."""
    return _load(_resolve_dir(name_or_path))


@functools.lru_cache(maxsize=8)
def _load(path: Path) -> Pack:
    parsed: dict[str, Any] = {}
    for fname, (model, _) in FILES.items():
        fp = path / fname
        if not fp.exists():
            raise PackError(fname, f"missing from pack {path.name}")
        parsed[fname] = _parse(fp, model)

    def unique(file: str, items: list, key: str) -> dict:
        out: dict = {}
        for i, it in enumerate(items):
            k = getattr(it, key)
            _check(k not in out, file, f"duplicate {key} {k!r}", f"[{i}] ({key} {k})", key)
            out[k] = it
        return out

    regions_file: m.RegionsFile = parsed["regions.yaml"]
    clusters_file: m.ClustersFile = parsed["clusters.yaml"]
    systems = unique("clusters.yaml", clusters_file.systems, "id")
    clusters: dict[str, m.Cluster] = {}
    cluster_system: dict[str, str] = {}
    for sy in clusters_file.systems:
        for c in sy.clusters:
            _check(c.id not in clusters, "clusters.yaml", f"duplicate cluster id {c.id!r}", f"system {sy.id}", "id")
            clusters[c.id] = c
            cluster_system[c.id] = sy.id
    industries_file: m.IndustriesFile = parsed["industries.yaml"]
    regions = unique("regions.yaml", regions_file.regions, "code")
    names: dict[str, list[str]] = {}
    for r in regions.values():
        for n in [r.name_zh, *r.aliases]:
            names.setdefault(n, [])
            if r.code not in names[n]:
                names[n].append(r.code)

    pack = Pack(
        path=path,
        info=parsed["pack.yaml"],
        sources=unique("sources.yaml", parsed["sources.yaml"].sources, "id"),
        regions=regions,
        successions=list(regions_file.successions),
        overlaps=list(regions_file.overlaps),
        industry_standard=industries_file.standard,
        industries=unique("industries.yaml", industries_file.industries, "code"),
        systems=systems,
        clusters=clusters,
        cluster_system=cluster_system,
        chains=unique("chains.yaml", parsed["chains.yaml"].chains, "id"),
        ladder=parsed["ladder.yaml"],
        scale=parsed["scale.yaml"],
        mujun=parsed["mujun.yaml"],
        figures=unique("figures.yaml", parsed["figures.yaml"].figures, "id"),
        parks=unique("parks.yaml", parsed["parks.yaml"].parks, "id"),
        _names=names,
    )
    for s in industries_file.sources:
        _check(s in pack.sources, "industries.yaml", f"unknown source {s!r}", None, "sources")
    _cross_validate(pack)
    demo_path = path / "demo.yaml"
    if demo_path.exists():
        demo = _parse(demo_path, m.DemoConfig)
        _validate_demo(demo, pack)
        object.__setattr__(pack, "demo", demo)
    return pack
