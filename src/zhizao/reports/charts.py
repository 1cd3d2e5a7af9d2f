"""Charts and the district map for the PDF briefing, drawn locally with matplotlib as PNG (no network).

Chinese text needs a CJK font: the Noto Sans CJK fonts that the project's set-up installs (Debian's
fonts-noto-cjk, scripts/debian-packages.txt), found through fontconfig. PNG at 180 dpi rather than SVG:
WeasyPrint parses an SVG's every path, which made a district briefing's charts cost seconds. The map uses the
same boundaries as the dashboard
(the pack's boundaries.geojson, web/geo.py), on today's map.
"""

from __future__ import annotations

import functools
import io
import subprocess
from pathlib import Path

from ..errors import ZhizaoError
from .model import Report, Table, blank

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei")
DEBIAN_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


class FontMissing(ZhizaoError, RuntimeError):
    """No CJK font on the machine: the charts and map cannot show Chinese."""

    exit_code = 2
    http_status = 500


def cjk_font_file() -> Path:
    """The CJK font file fontconfig resolves (Debian's Noto Sans CJK by default)."""
    for fam in CJK_FAMILIES:
        try:
            out = subprocess.run(
                ["fc-match", "-f", "%{file}|%{family}", f"{fam}:lang=zh-cn"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            break
        file, _, family = out.partition("|")
        if file and fam.split()[0] in family and Path(file).exists():
            return Path(file)
    if DEBIAN_FONT.exists():
        return DEBIAN_FONT
    raise FontMissing(
        "no Chinese (CJK) font found: install Debian's fonts-noto-cjk (scripts/debian-packages.txt, `make test` does)"
    )


@functools.lru_cache(maxsize=1)
def _setup() -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, rcParams

    path = cjk_font_file()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    rcParams["font.family"] = [name]
    rcParams["axes.unicode_minus"] = False
    return name


DPI = 180


def _png(fig) -> bytes:
    """The figure as PNG bytes."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _short(s: str, n: int = 14) -> str:
    s = str(s or "")
    return s if len(s) <= n else s[: n - 1] + "…"


BLUE = "#2b6cb0"
GREY = "#a0aec0"


def bar(table: Table, lang: str) -> bytes | None:
    """A bar chart of a table's chart column (亿元 for money), largest first for horizontal bars."""
    ch = table.chart
    if ch is None:
        return None
    _setup()
    import matplotlib.pyplot as plt

    col = next((c for c in table.cols if c.key == ch.value), None)
    scale = 1e8 if col is not None and col.unit == "yi" else 1.0
    rows = [r for r in table.rows if not blank(r.get(ch.value))]
    if not rows:
        return None
    if ch.kind == "barh":
        rows = sorted(rows, key=lambda r: -r[ch.value])[: ch.limit][::-1]
    labels = [_short(r.get(ch.label)) for r in rows]
    values = [r[ch.value] / scale for r in rows]
    if ch.kind == "barh":
        fig, ax = plt.subplots(figsize=(6.4, 0.28 * len(rows) + 0.9))
        ax.barh(labels, values, color=BLUE)
        for y, v in enumerate(values):
            ax.text(v, y, f" {v:,.1f}", va="center", fontsize=7)
        ax.set_xlim(0, max(values) * 1.18 if max(values) > 0 else 1)
    else:
        fig, ax = plt.subplots(figsize=(6.4, 2.6))
        ax.bar(labels, values, color=BLUE)
        for x, v in enumerate(values):
            ax.text(x, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=7)
    ax.set_title(ch.title(lang), fontsize=10)
    ax.tick_params(labelsize=7.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig)


def progress(table: Table, lang: str) -> bytes | None:
    """Targets' progress (share of the way from baseline to target), 100% marked."""
    ch = table.chart
    rows = [r for r in table.rows if not blank(r.get("progress"))][: ch.limit if ch else 14]
    if not rows:
        return None
    _setup()
    import matplotlib.pyplot as plt

    rows = rows[::-1]
    labels = [_short(f"{r.get('scope_name', '')} {r.get('label', '')}", 22) for r in rows]
    values = [max(-0.2, min(1.5, r["progress"])) for r in rows]
    colours = {
        "achieved": "#2f855a",
        "on track": "#38a169",
        "at risk": "#d69e2e",
        "off track": "#c53030",
        "missed": "#742a2a",
    }
    fig, ax = plt.subplots(figsize=(6.4, 0.3 * len(rows) + 0.9))
    ax.barh(labels, values, color=[colours.get(r.get("status"), GREY) for r in rows])
    ax.axvline(1.0, color="#4a5568", lw=0.8, ls="--")
    for y, (r, v) in enumerate(zip(rows, values)):
        ax.text(max(v, 0), y, f" {r['progress'] * 100:.0f}%", va="center", fontsize=7)
    ax.set_xlim(-0.2, 1.7)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x * 100:.0f}%")
    ax.set_title(ch.title(lang) if ch else "", fontsize=10)
    ax.tick_params(labelsize=7.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig)


def district_map(report: Report, boundaries: dict | None, names: dict[str, str]) -> bytes | None:
    """The districts of today's map shaded by the report's map figure; the report's own district outlined."""
    if not boundaries:
        return None
    _setup()
    import matplotlib.pyplot as plt
    from matplotlib import cm, colors
    from matplotlib.patches import Polygon

    values = {v["code"]: v for v in report.map_values}
    known = [v["value"] for v in report.map_values if not blank(v.get("value")) and not v.get("suppressed")]
    norm = colors.Normalize(vmin=0, vmax=max(known) if known else 1)
    cmap = cm.get_cmap("Blues") if hasattr(cm, "get_cmap") else plt.get_cmap("Blues")
    fig, ax = plt.subplots(figsize=(6.4, 5.6))
    own = {report.area}
    for f in boundaries.get("features", []):
        p = f["properties"]
        if "current" not in p.get("maps", []):
            continue
        v = values.get(p["code"])
        if v is None or blank(v.get("value")) or v.get("suppressed"):
            face, hatch = "#edf2f7", "///" if v and v.get("suppressed") else None
        else:
            face, hatch = cmap(0.15 + 0.85 * norm(v["value"])), None
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        mine = p["code"] in own and report.area != report.root
        for poly in polys:
            ax.add_patch(
                Polygon(
                    poly[0],
                    closed=True,
                    facecolor=face,
                    edgecolor="#c53030" if mine else "#718096",
                    lw=1.8 if mine else 0.3,
                    hatch=hatch,
                    zorder=3 if mine else 2,
                )
            )
        if mine:
            xs = [c[0] for poly in polys for c in poly[0]]
            ys = [c[1] for poly in polys for c in poly[0]]
            ax.text(
                sum(xs) / len(xs),
                sum(ys) / len(ys),
                names.get(p["code"], p["code"]),
                fontsize=8,
                ha="center",
                va="center",
                color="#742a2a",
                zorder=4,
            )
    ax.autoscale_view()
    ax.set_aspect(1.15)
    ax.axis("off")
    sm = cm.ScalarMappable(norm=colors.Normalize(vmin=0, vmax=norm.vmax / 1e8), cmap=cmap)
    cb = fig.colorbar(sm, ax=ax, shrink=0.6, pad=0.01)
    cb.ax.tick_params(labelsize=7)
    metric = report.map_metric[0 if report.lang == "zh" else 1]
    cb.set_label(f"{metric}（亿元）" if report.lang == "zh" else f"{metric} (100 m yuan)", fontsize=8)
    title = f"{report.year}年各区县{metric}" if report.lang == "zh" else f"{metric} by district, {report.year}"
    ax.set_title(title, fontsize=10)
    return _png(fig)
