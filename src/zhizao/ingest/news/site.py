"""The place a government website speaks for, read from its address.

A district government's bulletin often says only 全区 or names nothing at all: the place is the
publisher, known from the page's address (`public.erqi.gov.cn` is 郑州市二七区, `jkq.yaan.gov.cn` is
雅安's 经济技术开发区, `www.cqhc.gov.cn` is 重庆市合川区). Only `*.gov.cn` hosts are read: their labels
follow the administrative tree, most general on the right.

A label names a place when it is, for a place of the gazetteer (its name or a shorter alias without
the 区/县/市 ending):
  - the full pinyin of the name (`erqi`, `yaan`, `dazu`), optionally followed by the initial of its
    type (`ybq` is not this, but `dazuq` would be);
  - its initials (`hc`, `jlp`), optionally with the type initial (`ybq`, `szx`, `ddk`), only below a
    place already read (`cq` for the pack's root city, or a city label) — initials alone are too
    ambiguous across the country;
  - the pack's `site_prefix` + initials or + full pinyin for the root city's districts (Chongqing's
    pack says `cq`: `cqhc`, `cqjlp`, `cqliangping`), and the prefix alone for the root city.
A full-pinyin label must name exactly one place within what is already read (or one in the whole
country); otherwise it is ignored. Zone labels after a place (`jkq`, `gxq`, `kfq`) name that
place's development zone: 经济技术开发区, 高新区, 开发区 — the names an annotator writes for them.
Department labels (`tjj`, `jxw`, `public`, `www`) match nothing and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .gazetteer import Entity, Gazetteer, _jionlp

ZONE_LABELS = {"jkq": "经济技术开发区", "jjkfq": "经济技术开发区", "gxq": "高新区", "kfq": "开发区"}
TYPE_INITIAL = {"区": "q", "县": "x", "市": "s"}
SUFFIX = re.compile(r"(自治县|自治州|自治旗|特别行政区|新区|区|县|市|省|旗)$")


@dataclass(frozen=True)
class Site:
    local: Entity | None  # a district or park the site speaks for
    city: Entity | None  # the city it belongs to (or the city the site speaks for)


@dataclass
class _Index:
    full: dict[str, set[Entity]]
    initials: dict[str, set[Entity]]


def _stems(name: str) -> list[str]:
    out = []
    s = SUFFIX.sub("", name)
    if len(s) >= 2:
        out.append(s)
    return out


_INDEXES: dict[int, _Index] = {}


def _index(g: Gazetteer) -> _Index:
    """Pinyin keys of the gazetteer's places (built on first use: about a second)."""
    if id(g) in _INDEXES:
        return _INDEXES[id(g)]
    jio = _jionlp()
    pack_pinyin = g.pinyin
    full: dict[str, set[Entity]] = {}
    initials: dict[str, set[Entity]] = {}
    for name, e in g.names.items():
        if e.type not in ("city", "district", "province"):
            continue
        for stem in _stems(name):
            if len(stem) > 6 or not re.fullmatch(r"[\u4e00-\u9fff]+", stem):
                continue
            syl = [re.sub(r"\d", "", p) for p in jio.pinyin(stem, formater="simple")]
            syl = _fill_unknown(syl, pack_pinyin.get(e.name) if e.source == "pack" else None)
            if syl is None:
                continue
            alias = g.names.get(stem)  # a former name (梁平县) keys the place its short name means now
            if alias is not None and alias.type in ("city", "district") and alias.source == e.source:
                e = alias
            t = TYPE_INITIAL.get(e.name[-1], "")
            ini = "".join(p[0] for p in syl)
            for key in {"".join(syl), "".join(syl) + t}:
                full.setdefault(key, set()).add(e)
            for key in {ini, ini + t}:
                initials.setdefault(key, set()).add(e)
    _INDEXES[id(g)] = _Index(full, initials)
    return _INDEXES[id(g)]


def _fill_unknown(syl: list[str], known_full: str | None) -> list[str] | None:
    """Syllables with one that jionlp does not know (璧) recovered from the pack's pinyin, else None."""
    bad = [i for i, p in enumerate(syl) if not re.fullmatch(r"[a-z]+", p)]
    if not bad:
        return syl
    if len(bad) != 1 or not known_full:
        return None
    i = bad[0]
    head, tail = "".join(syl[:i]), "".join(syl[i + 1 :])
    if not (known_full.startswith(head) and known_full.endswith(tail)) or len(known_full) <= len(head + tail):
        return None
    return syl[:i] + [known_full[len(head) : len(known_full) - len(tail)]] + syl[i + 1 :]


def gov_labels(address: str | None) -> list[str]:
    """The labels of a government (gov.cn) host, most general first; [] for any other address."""
    return _labels(address)


def _labels(address: str | None) -> list[str]:
    if not address:
        return []
    try:
        host = (urlsplit(address if "//" in address else "//" + address).hostname or "").lower()
    except ValueError:
        return []
    if not host.endswith(".gov.cn"):
        return []
    return [x for x in reversed(host[: -len(".gov.cn")].split(".")) if re.fullmatch(r"[a-z]+", x)]


def _under(e: Entity, parent: Entity | None, g: Gazetteer) -> bool:
    if parent is None:
        return True
    if e == parent:
        return False
    if parent.type == "province":
        return e.province == parent.name or (e.source == "pack" and parent == g.root)
    if parent.type == "city":
        if parent == g.root:
            return e.source == "pack" and e.type in ("district", "city") and e != g.root
        return e.parent_city == parent.name and e.name != parent.name
    return False


def _one(cands: set[Entity], parent: Entity | None, g: Gazetteer) -> Entity | None:
    inside = {e for e in cands if _under(e, parent, g)}
    return next(iter(inside)) if len(inside) == 1 else None


def site_of(address: str | None, g: Gazetteer, hint: Entity | None = None) -> Site | None:
    """The place a government site's address speaks for, or None.

    `hint` is the city the text itself points at: it settles a first label that is ambiguous across
    the country (`qianjiang` is 黔江区 in a Chongqing text, 潜江市 in a Hubei one) and lets a first label
    be initials of a place in that city (`fl`, `ybq`).
    """
    labels = _labels(address)
    if not labels:
        return None
    idx = _index(g)
    prefix = g.site_prefix
    current: Entity | None = None
    zone: Entity | None = None
    for lab in labels:
        if zone is not None:
            break
        found = None
        if current is None and prefix and lab == prefix and g.root is not None:
            found = g.root
        elif current is not None and lab in ZONE_LABELS and current.type in ("city", "district"):
            zone = Entity(
                SUFFIX.sub("", current.name) + ZONE_LABELS[lab],
                "park",
                None,
                parent_city=current.parent_city or current.name,
                province=current.province,
                source="site",
            )
            continue
        else:
            found = _one(idx.full.get(lab, set()), current, g)
            if found is None and current is None and hint is not None:
                found = _one(idx.full.get(lab, set()) | idx.initials.get(lab, set()), hint, g)
            if found is None and current is None and not any(e.source == "pack" for e in idx.full.get(lab, ())):
                # the label right under gov.cn names a province or a city before a county of the same
                # sound elsewhere (changzhou: 常州市, not 梧州's 长洲区)
                found = _one({e for e in idx.full.get(lab, set()) if e.type in ("province", "city")}, None, g)
            if found is None and current is None and not any(e.source == "pack" for e in idx.initials.get(lab, ())):
                # a city's own domain by its initials (xa.gov.cn, sr.gov.cn) when they name one city only
                found = _one({e for e in idx.initials.get(lab, set()) if e.type in ("province", "city")}, None, g)
            if found is None and current is not None:
                found = _one(idx.initials.get(lab, set()), current, g)
            if (
                found is None
                and prefix
                and lab.startswith(prefix)
                and len(lab) > len(prefix) + 1
                and g.root is not None
                and current in (None, g.root)
            ):
                rest = lab[len(prefix) :]
                found = _one(idx.full.get(rest, set()) | idx.initials.get(rest, set()), g.root, g)
        if found is not None:
            current = found
    if zone is not None:
        return Site(zone, _city_of(current, g))
    if current is None:
        return None
    if current.type in ("district", "park"):
        return Site(current, _city_of(current, g))
    if current.type == "city":
        return Site(None, current)
    return None


def _city_of(e: Entity | None, g: Gazetteer) -> Entity | None:
    if e is None:
        return None
    if e.type == "city":
        return e
    if e.source == "pack":
        return g.root
    if e.parent_city:
        c = g.names.get(e.parent_city)
        return c if c is not None and c.type == "city" else None
    return None
