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
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import demo_models as dm
from . import models as m
from .checks import PackError, check, cross_validate, validate_demo

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
    demo: dm.DemoConfig | None = None  # the synthetic demo's assumptions (demo.yaml), if the pack has them
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
            check(k not in out, file, f"duplicate {key} {k!r}", f"[{i}] ({key} {k})", key)
            out[k] = it
        return out

    regions_file: m.RegionsFile = parsed["regions.yaml"]
    clusters_file: m.ClustersFile = parsed["clusters.yaml"]
    systems = unique("clusters.yaml", clusters_file.systems, "id")
    clusters: dict[str, m.Cluster] = {}
    cluster_system: dict[str, str] = {}
    for sy in clusters_file.systems:
        for c in sy.clusters:
            check(c.id not in clusters, "clusters.yaml", f"duplicate cluster id {c.id!r}", f"system {sy.id}", "id")
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
        check(s in pack.sources, "industries.yaml", f"unknown source {s!r}", None, "sources")
    cross_validate(pack)
    demo_path = path / "demo.yaml"
    if demo_path.exists():
        demo = _parse(demo_path, dm.DemoConfig)
        validate_demo(demo, pack)
        object.__setattr__(pack, "demo", demo)
    return pack
