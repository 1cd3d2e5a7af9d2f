"""The places a reader knows: those of its policy pack, and the rest of China from jionlp.

Place names come from data, never from code: the pack given to `Reader(pack)` (its regions with their
aliases and pinyin, its parks, its government sites' address prefix and the texts it ships with their
dates) and, for places outside the pack, jionlp's offline table of Chinese administrative divisions.
A second pack (another province) needs no code change: its places replace the first one's.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

# Words that point at "the place this article is about" rather than naming it (resolved per article).
DEICTIC = {
    "全市": "city",
    "我市": "city",
    "本市": "city",
    "该市": "city",
    "全省": "province",
    "我省": "province",
    "本省": "province",
    "全区": "district",
    "我区": "district",
    "本区": "district",
    "该区": "district",
    "全县": "district",
    "我县": "district",
    "本县": "district",
    "该县": "district",
    "当地": "district",
    # an autonomous prefecture (州) is a city-level unit
    "全州": "city",
    "该州": "city",
    "我州": "city",
    "本州": "city",
}
# The short written forms of zones (annotators keep them: 万盛经开区, 长沙经开区, 松山湖高新区)
SHORT_PARK = re.compile(r"(经开区|高新区|开发区|工业园区|工业园|产业园区|产业园|微电园|电子园|科技城)$")
# jionlp lists some development zones as county-level units; those are parks, found by their form
ZONE_NAME = re.compile(r"(开发区|产业园|园区|管委会|示范区|新区|管理区|经济区|试验区|工业区|高新区|经开区)")


@dataclass(frozen=True)
class Entity:
    name: str  # canonical simplified name
    type: str  # district | city | park | enterprise | enterprise_group | province | region | town
    code: str | None = None  # pack region / park id, or GB/T 2260 code from jionlp
    parent_city: str | None = None
    province: str | None = None
    source: str = "pack"  # pack | jionlp | form | site


@dataclass
class Gazetteer:
    names: dict[str, Entity] = field(default_factory=dict)
    regex: NameIndex | None = None  # finds the names (match, fullmatch, finditer, like a compiled pattern)
    root: Entity | None = None  # the pack's top region (its city)
    vote_names: dict[str, Entity] = field(default_factory=dict)  # short county names: only vote for a city
    vote_regex: NameIndex | None = None
    site_prefix: str | None = None  # the label the pack's government sites put before a district's name
    pinyin: dict[str, str] = field(default_factory=dict)  # pack region name -> pinyin of its proper name
    sources: dict[str, object] = field(default_factory=dict)  # sha256 of a text the pack ships -> its source
    parks_in: dict[str, list[Entity]] = field(default_factory=dict)  # pack region code -> the pack's parks in it

    def compile(self):
        self.regex = name_index(self.names)
        self.vote_regex = name_index(self.vote_names)
        return self

    def is_place(self, text: str) -> bool:
        """Is `text` a place name of the gazetteer, or shaped like one (…区, …县, …开发区)?"""
        return bool(self.regex and self.regex.fullmatch(text)) or bool(
            re.fullmatch(r".{1,8}(区|县|市|省|新区|园区|地区|开发区)", text)
        )

    def city_at(self, text: str, pos: int) -> bool:
        """Does a city's or province's name start at `pos` (the start of a legal name: 重庆青杠精工…)?"""
        mt = self.regex.match(text, pos) if self.regex is not None else None
        return bool(mt) and self.names[mt.group(0)].type in ("city", "province")

    def leading_place(self, text: str) -> int:
        """The length of a city's or province's name (or 中国) that `text` starts with, else 0."""
        if text.startswith("中国"):
            return 2
        mt = self.regex.match(text) if self.regex is not None else None
        if mt and self.names[mt.group(0)].type in ("city", "province"):
            return mt.end()
        return 0


class NameMatch:
    """A found name, shaped like a regular-expression match (start(), end(), group(0))."""

    __slots__ = ("_s", "_e", "_t")

    def __init__(self, start: int, end: int, text: str):
        self._s, self._e, self._t = start, end, text

    def start(self) -> int:
        return self._s

    def end(self) -> int:
        return self._e

    def group(self, i: int = 0) -> str:
        return self._t

    def span(self) -> tuple[int, int]:
        return self._s, self._e


class NameIndex:
    """Finds any of a few thousand names in a text, longest first, left to right: what a regular expression
    `name1|name2|…` (longest first) finds, but by looking names up in a dictionary at the positions where one
    can start, found with one character class. A regular expression of 5,000 alternatives tries each of them
    at every position (2 ms for a 600-character page); this takes a tenth of that."""

    def __init__(self, names):
        self.names = {n for n in names if n}
        # the lengths of the names that start with each first two characters (one-character names: by one)
        self.lengths: dict[str, list[int]] = {}
        for n in self.names:
            self.lengths.setdefault(n[:2], []).append(len(n))
        for k, v in self.lengths.items():
            self.lengths[k] = sorted(set(v), reverse=True)
        self._short = {n for n in self.names if len(n) == 1}
        chars = "".join(sorted({n[0] for n in self.names}))
        self._starts = re.compile("[" + re.escape(chars) + "]") if chars else None

    def match(self, text: str, pos: int = 0) -> NameMatch | None:
        for n in self.lengths.get(text[pos : pos + 2], ()):
            w = text[pos : pos + n]
            if len(w) == n and w in self.names:
                return NameMatch(pos, pos + n, w)
        if self._short and text[pos : pos + 1] in self._short:
            return NameMatch(pos, pos + 1, text[pos])
        return None

    def fullmatch(self, text: str) -> NameMatch | None:
        return NameMatch(0, len(text), text) if text in self.names else None

    def finditer(self, text: str):
        if self._starts is None:
            return
        pos = 0
        while True:
            mt = self._starts.search(text, pos)
            if mt is None:
                return
            found = self.match(text, mt.start())
            if found is None:
                pos = mt.start() + 1
                continue
            yield found
            pos = found.end()


def name_index(words) -> NameIndex | None:
    words = [w for w in words if w]
    return NameIndex(words) if words else None


# ---------------------------------------------------------------------------------------- pack data
@dataclass
class PackPlaces:
    """What the reader takes from a policy pack."""

    root: str | None
    regions: list
    parks: list
    sources: list
    path: Path | None
    site_prefix: str | None = None


def pack_places(pack) -> PackPlaces:
    """The places of a pack (a `Pack`, or a pack name or folder); tolerant of a pack still being written:
    a file or an entry that does not validate is left out, the rest is read."""
    if not isinstance(pack, (str, Path)):
        return PackPlaces(
            pack.info.root_region,
            list(pack.regions.values()),
            list(pack.parks.values()),
            list(pack.sources.values()),
            pack.path,
            pack.info.site_prefix,
        )
    from zhizao.reference import PackError, load_pack

    try:
        return pack_places(load_pack(pack))
    except (PackError, OSError, ValueError):
        pass
    import yaml

    from zhizao.reference import models as m
    from zhizao.reference.pack import _resolve_dir

    path = _resolve_dir(pack)
    info: dict = {}
    with contextlib.suppress(OSError, yaml.YAMLError, AttributeError):
        info = yaml.safe_load((path / "pack.yaml").read_text(encoding="utf-8")) or {}
    lists: dict[str, list] = {"regions": [], "parks": [], "sources": []}
    for attr, model in (("regions", m.Region), ("parks", m.Park), ("sources", m.Source)):
        fp = path / f"{attr}.yaml"
        try:
            items = (yaml.safe_load(fp.read_text(encoding="utf-8")) or {}).get(attr) or []
        except (OSError, yaml.YAMLError, AttributeError):
            continue
        for item in items:  # entry by entry: one bad entry in a file being edited spoils nothing else
            with contextlib.suppress(ValueError):
                lists[attr].append(model.model_validate(item))
    return PackPlaces(
        info.get("root_region"), lists["regions"], lists["parks"], lists["sources"], path, info.get("site_prefix")
    )


def _region_type(r) -> str:
    if r.level == "province":
        return "city" if (r.kind or "") in ("municipality", "city") else "province"
    if r.level in ("group", "subgroup"):
        return "region"
    if r.level == "functional_area":
        return "park"
    if (r.kind or "") in ("city", "county_level_city"):
        return "city"
    return "district"


def build(pack) -> Gazetteer:
    """The gazetteer of a pack (a `Pack`, or a pack name or folder): its places, then jionlp's."""
    pp = pack_places(pack)
    g = Gazetteer(site_prefix=pp.site_prefix)
    pack_codes = set()
    by_code = {r.code: r for r in pp.regions}
    for r in pp.regions:
        pack_codes.add(r.code)
        etype = _region_type(r)
        ent = Entity(r.name_zh, etype, r.code, source="pack")
        if r.code == pp.root:
            g.root = ent
        if getattr(r, "pinyin", None):
            g.pinyin[r.name_zh] = r.pinyin.split()[0].lower()
        for n in [r.name_zh, *r.aliases]:
            if not n or n in DEICTIC:
                continue
            name = r.name_zh
            if etype == "region" or (n != r.name_zh and n.startswith(r.name_zh)):
                name = n  # groups keep the written form; a longer alias names a sub-unit (…直管区)
            elif etype == "park" and SHORT_PARK.search(n):
                name = n  # a zone is named as it is written short (万盛经开区, not 万盛经济技术开发区)
            e = Entity(name, etype, r.code, source="pack")
            prev = g.names.get(n)
            # a name shared by two regions (a former name, a new district): keep the one valid later
            if (
                prev is not None
                and prev.code != r.code
                and r.valid_to is not None
                and by_code.get(prev.code) is not None
            ):
                continue
            g.names[n] = e
    for p in pp.parks:
        e = Entity(p.name_zh, "park", p.id, source="pack")
        g.parks_in.setdefault(p.region, []).append(e)
        for n in [p.name_zh, *p.aliases]:
            if n and n not in DEICTIC:
                g.names.setdefault(n, Entity(n, "park", p.id, source="pack") if SHORT_PARK.search(n) else e)
    if pp.path is not None:
        for s in pp.sources:
            f = getattr(s, "file", None)
            if f and (pp.path / f).exists():
                g.sources[hashlib.sha256((pp.path / f).read_bytes()).hexdigest()] = s
    _add_jionlp(g, pack_codes)
    return g.compile()


@functools.lru_cache(maxsize=8)
def _cached(key: str) -> Gazetteer:
    return build(key)


def gazetteer(pack=None) -> Gazetteer:
    """The gazetteer of a pack (default: the project's default pack), built once per pack."""
    from zhizao.reference import DEFAULT_PACK

    if pack is None:
        pack = DEFAULT_PACK
    if isinstance(pack, (str, Path)):
        return _cached(str(pack))
    return _cached_pack(pack)


_BY_PACK: dict[int, tuple[object, Gazetteer]] = {}


def _cached_pack(pack) -> Gazetteer:
    hit = _BY_PACK.get(id(pack))
    if hit is None or hit[0] is not pack:
        hit = (pack, build(pack))
        _BY_PACK[id(pack)] = hit
    return hit[1]


# ---------------------------------------------------------------------------------------- jionlp
def _jionlp():
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp  # prints a banner on import
    return jionlp


def _add_jionlp(g: Gazetteer, pack_codes: set[str]) -> None:
    try:
        _jionlp()  # imported with its banner silenced
        from jionlp.dictionary.dictionary_loader import china_location_loader

        with contextlib.redirect_stdout(io.StringIO()):
            table = china_location_loader()
    except (ImportError, OSError):  # jionlp missing: only the pack's places are known
        return

    def aliases(node):
        a = node.get("_alias") or []
        return [a] if isinstance(a, str) else list(a)

    for pname, pnode in table.items():
        if not isinstance(pnode, dict):
            continue
        pcode = pnode.get("_admin_code")
        if pcode in pack_codes or ZONE_NAME.search(pname):
            continue
        pent = Entity(pname, "province", pcode, province=pname, source="jionlp")
        for n in [pname, *aliases(pnode)]:
            if len(n) >= 2:
                g.names.setdefault(n, pent)
        for cname, cnode in pnode.items():
            if cname.startswith("_") or not isinstance(cnode, dict):
                continue
            ccode = cnode.get("_admin_code")
            if ccode in pack_codes or ZONE_NAME.search(cname):
                continue
            municipality = cname == pname  # 北京市 / 上海市 …: the province node repeats itself
            cent = Entity(cname, "city", ccode, parent_city=cname, province=pname, source="jionlp")
            if not municipality:
                for n in [cname, *aliases(cnode)]:
                    if len(n) >= 2:
                        g.names.setdefault(n, cent)
            for dname, dnode in cnode.items():
                if dname.startswith("_") or not isinstance(dnode, dict):
                    continue
                dcode = dnode.get("_admin_code")
                if dcode in pack_codes or ZONE_NAME.search(dname):
                    continue
                dtype = "city" if dname.endswith("市") else "district"
                dent = Entity(dname, dtype, dcode, parent_city=cname, province=pname, source="jionlp")
                g.names.setdefault(dname, dent)
                for n in aliases(dnode):
                    if len(n) >= 3:
                        g.names.setdefault(n, dent)
                    elif len(n) == 2:
                        g.vote_names.setdefault(n, dent)
