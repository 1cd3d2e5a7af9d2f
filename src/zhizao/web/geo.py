"""District boundaries for the overview map.

The boundaries are part of the policy pack: `boundaries.geojson` in the pack's folder (for Chongqing,
`reference/chongqing/boundaries.geojson`), a small simplified GeoJSON converted once from cnmaps
(`get_adm_maps(city=<the pack's root region>, level='区县')`, offline, ~4 s). The server only reads that file.
Rebuild it with

    python -m zhizao.web.geo --rebuild [--pack chongqing]     # needs `pip install cnmaps` (the `maps` extra)

Each feature carries `code` (GB/T 2260, matched by the pack's region names), `name_zh` and `maps`: which
map it belongs to — `recorded` (the map of the year the figures were recorded), `current` (today's map) or
both. A county of today's map that the boundary data predate (a district created by merging others, as the
pack's successions record it) is drawn as the union of its predecessors' polygons: `union_of` lists them and
`approximate` says so; the page names them, from the pack (`approximations()`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path

FILE = "boundaries.geojson"
TOLERANCE = 0.004  # degrees (~400 m): plenty for a city-wide choropleth
DIGITS = 4


def path_for(pack_dir: str | Path) -> Path:
    return Path(pack_dir) / FILE


@functools.lru_cache(maxsize=8)
def _read(path: str) -> dict | None:
    p = Path(path)
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def load(pack) -> dict | None:
    """The pack's boundaries (a dict), or None when the pack has none. `pack`: a loaded Pack, its folder, or
    its name."""
    if pack is None:
        return None
    if not hasattr(pack, "path"):
        from ..reference import load_pack

        pack = load_pack(pack)
    return _read(str(path_for(pack.path)))


def for_warehouse(wh) -> dict | None:
    """The boundaries of the pack the warehouse was loaded with."""
    from .labels import load_pack_of

    return load(load_pack_of(wh))


def approximations(pack, gj: dict | None, lang: str = "zh") -> list[dict]:
    """The features drawn as the union of their predecessors, with what the page says about them: the
    district's name, the day it was created (the pack's succession) and its predecessors' names."""
    if pack is None or not gj:
        return []
    out = []
    for f in gj.get("features", []):
        prop = f["properties"]
        parts = prop.get("union_of") or []
        if not parts:
            continue
        code = prop["code"]
        reg = pack.regions.get(code)
        names = [_name(pack, c, lang) for c in parts]
        days = sorted({s.effective for s in pack.successions if s.successor == code and s.predecessor in parts})
        partial = [
            c
            for c in parts
            if any(
                s.successor == code
                and s.predecessor == c
                and s.portion
                and s.portion.strip() not in ("全部", "all", "whole")
                for s in pack.successions
            )
        ]
        out.append(
            {
                "code": code,
                "name": _name(pack, code, lang) if reg else code,
                "parts": names,
                "partial": [_name(pack, c, lang) for c in partial],
                "since": days[0] if days else (reg.valid_from if reg else None),
            }
        )
    return out


_ZH_SUFFIX = re.compile(r"(新区|区|县|市)$")


def short_name(name: str, lang: str = "zh") -> str:
    """A label for the map: the name without its administrative suffix (秀山土家族苗族自治县 → 秀山, Fuling District →
    Fuling)."""
    if lang == "zh":
        if name.endswith("自治县"):  # 秀山土家族苗族自治县: the place name is its first two characters
            return name[:2]
        return (_ZH_SUFFIX.sub("", name) or name)[:4]
    return re.sub(r"\s*\(.*?\)", "", name).split(" ")[0] if name else name


def _name(pack, code: str, lang: str) -> str:
    r = pack.regions.get(code)
    if r is None:
        return code
    return (r.name_en or r.name_zh) if lang == "en" else r.name_zh


def note(a: dict, lang: str = "zh") -> str:
    """One sentence about a district drawn as the union of its predecessors, in `lang`: its name, when it was
    formed and from which (part of which) predecessors, as the pack's successions say."""
    since: dt.date | None = a.get("since")
    if lang == "zh":
        parts = "、".join(p + ("部分区域" if p in a["partial"] else "") for p in a["parts"])
        when = f"{since.year}年{since.month}月" if since else ""
        return (
            f"{a['name']}（{when}由{parts}设立）在当前区划图上以{'与'.join(a['parts'])}的合并边界近似绘制"
            "（边界数据早于该区设立）。"
        )
    ps = [("part of " if p in a["partial"] else "") + p for p in a["parts"]]
    parts = ", ".join(ps[:-1]) + " and " + ps[-1] if len(ps) > 1 else "".join(ps)
    when = f"in {since:%B %Y} " if since else ""
    return (
        f"{a['name']}, formed {when}from {parts}, is drawn on today's map as the union of the "
        f"{' and '.join(a['parts'])} boundaries: an approximation, as the boundary data predate it."
    )


# ------------------------------------------------------------------------------------------------ rebuild
def _round(geom, digits: int = DIGITS):
    from shapely.geometry import mapping

    def r(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(c[0], digits), round(c[1], digits)]
        return [r(x) for x in c]

    m = mapping(geom)
    return {"type": m["type"], "coordinates": r(m["coordinates"])}


def unions(pack, have: set[str], on: dt.date | None = None) -> dict[str, tuple[str, ...]]:
    """Counties of today's map the boundary data lack, drawn as the union of the predecessors whose figures
    roll up into them (primary successions in the pack): successor -> predecessors."""
    on = on or dt.date.today()
    out: dict[str, tuple[str, ...]] = {}
    for code, r in pack.regions.items():
        if r.level != "county" or code in have or (r.valid_to is not None and r.valid_to <= on):
            continue
        preds = sorted(
            {s.predecessor for s in pack.successions if s.successor == code and s.primary and s.predecessor in have}
        )
        if preds:
            out[code] = tuple(preds)
    return out


def build(pack_name: str = "chongqing") -> dict:
    """Convert cnmaps' county polygons of the pack's root region into the simplified GeoJSON of the pack."""
    from cnmaps import get_adm_maps
    from shapely.ops import unary_union

    from ..reference import load_pack

    pack = load_pack(pack_name)
    city = pack.regions[pack.info.root_region].name_zh
    by_name = {}
    for code, r in pack.regions.items():
        if r.level == "county":
            by_name.setdefault(r.name_zh, code)
    shapes: dict[str, object] = {}
    names: dict[str, str] = {}
    for m in get_adm_maps(city=city, level="区县"):
        name = m["district"]
        code = by_name.get(name)
        if code is None:  # a county the pack names differently
            code = next((c for n, c in by_name.items() if n.startswith(name[:2])), None)
        if code is None:
            raise ValueError(f"cnmaps district {name} not found among the pack's counties")
        shapes[code] = m["geometry"]
        names[code] = name
    features = []
    joined = unions(pack, set(shapes))
    merged = {c for parts in joined.values() for c in parts}
    for code in sorted(shapes):
        g = shapes[code].simplify(TOLERANCE, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": code,
                    "name_zh": names[code],
                    "maps": ["recorded"] if code in merged else ["recorded", "current"],
                },
                "geometry": _round(g),
            }
        )
    for code, parts in joined.items():
        g = unary_union([shapes[p] for p in parts]).simplify(TOLERANCE, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": code,
                    "name_zh": pack.regions[code].name_zh,
                    "maps": ["current"],
                    "union_of": list(parts),
                    "approximate": True,
                },
                "geometry": _round(g),
            }
        )
    return {
        "type": "FeatureCollection",
        "properties": {
            "source": "cnmaps get_adm_maps(city=%r, level='区县'), simplified %.4f°" % (city, TOLERANCE),
            "pack": pack.info.id,
        },
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rebuild", action="store_true", help="convert cnmaps' polygons into the pack's GeoJSON")
    ap.add_argument("--pack", default="chongqing")
    a = ap.parse_args(argv)
    if not a.rebuild:
        ap.print_help()
        return 0
    from ..reference import load_pack

    gj = build(a.pack)
    p = path_for(load_pack(a.pack).path)
    p.write_text(json.dumps(gj, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    _read.cache_clear()
    print(f"{p}: {len(gj['features'])} features, {p.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
