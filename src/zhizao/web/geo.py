"""District boundaries for the overview map.

The polygons come from cnmaps (`get_adm_maps(city='重庆市', level='区县')`, offline, ~4 s), converted once
into a small simplified GeoJSON shipped with the package (`static/geo/<pack>.geojson`); the server only
reads that file. Rebuild it with

    python -m zhizao.web.geo --rebuild            # needs `pip install cnmaps` (the `maps` extra)

Each feature carries `code` (GB/T 2260, matched by the pack's region names), `name_zh` and `maps`: which
map it belongs to — `recorded` (the map of the year the figures were recorded), `current` (today's map) or
both. cnmaps predates the 2025 两江新区 district (江北区 + most of 渝北区, from 2025-11-06): on today's map
it is drawn as the union of the 江北 and 渝北 polygons, which is approximate (five towns of 渝北 went to
北碚 and five streets of 北碚 to 两江新区) — the page says so.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

GEO_DIR = Path(__file__).parent / "static" / "geo"
TOLERANCE = 0.004        # degrees (~400 m): plenty for a city-wide choropleth
DIGITS = 4

# Successor districts cnmaps lacks, drawn as the union of their predecessors' polygons.
UNIONS = {"chongqing": {"CQ-LJXQ": ("500105", "500112")}}


def path_for(pack_id: str = "chongqing") -> Path:
    return GEO_DIR / f"{pack_id}.geojson"


@functools.lru_cache(maxsize=8)
def load(pack_id: str = "chongqing") -> dict | None:
    """The shipped GeoJSON (a dict), or None when the pack has no boundaries."""
    p = path_for(pack_id)
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def _round(geom, digits: int = DIGITS):
    from shapely.geometry import mapping
    def r(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(c[0], digits), round(c[1], digits)]
        return [r(x) for x in c]
    m = mapping(geom)
    return {"type": m["type"], "coordinates": r(m["coordinates"])}


def build(pack_id: str = "chongqing", city: str = "重庆市") -> dict:
    """Convert cnmaps' county polygons into the simplified GeoJSON the server ships."""
    from cnmaps import get_adm_maps
    from shapely.ops import unary_union

    from ..reference import load_pack
    pack = load_pack(pack_id)
    by_name = {}
    for code, r in pack.regions.items():
        if r.level == "county":
            by_name.setdefault(r.name_zh, code)
    shapes: dict[str, object] = {}
    names: dict[str, str] = {}
    for m in get_adm_maps(city=city, level="区县"):
        name = m["district"]
        code = by_name.get(name)
        if code is None:                          # a county the pack names differently
            code = next((c for n, c in by_name.items() if n.startswith(name[:2])), None)
        if code is None:
            raise ValueError(f"cnmaps district {name} not found among the pack's counties")
        shapes[code] = m["geometry"]
        names[code] = name
    features = []
    unions = UNIONS.get(pack_id, {})
    merged = {c for parts in unions.values() for c in parts}
    for code in sorted(shapes):
        g = shapes[code].simplify(TOLERANCE, preserve_topology=True)
        features.append({"type": "Feature", "properties": {
            "code": code, "name_zh": names[code], "maps": ["recorded"] if code in merged else ["recorded", "current"]},
            "geometry": _round(g)})
    for code, parts in unions.items():
        g = unary_union([shapes[p] for p in parts]).simplify(TOLERANCE, preserve_topology=True)
        features.append({"type": "Feature", "properties": {
            "code": code, "name_zh": pack.regions[code].name_zh, "maps": ["current"], "union_of": list(parts),
            "approximate": True}, "geometry": _round(g)})
    return {"type": "FeatureCollection", "properties": {
        "source": "cnmaps get_adm_maps(city=%r, level='区县'), simplified %.4f°" % (city, TOLERANCE),
        "pack": pack_id}, "features": features}


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rebuild", action="store_true", help="convert cnmaps' polygons into the shipped GeoJSON")
    ap.add_argument("--pack", default="chongqing")
    a = ap.parse_args(argv)
    if not a.rebuild:
        ap.print_help()
        return 0
    gj = build(a.pack)
    p = path_for(a.pack)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(gj, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{p}: {len(gj['features'])} features, {p.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
