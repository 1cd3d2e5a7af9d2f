"""Facts read from policy news and their sources for the web: the fact list with filters, the source list, and
one source's article cut into plain and highlighted pieces (each highlight the quote of one or more facts)."""

from __future__ import annotations

from .context import NotFound
from .views import MAX_LIMIT, clean, clean_rows
from .warehouse import Warehouse


def facts(
    wh: Warehouse,
    *,
    source: str | None = None,
    entity: str | None = None,
    kind: str | None = None,
    metric: str | None = None,
    q: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict:
    where, params = ["TRUE"], []
    for col, v in (("f.source_id", source), ("f.kind", kind), ("f.metric", metric)):
        if v:
            where.append(f"{col} = ?")
            params.append(v)
    if entity:
        where.append("(f.entity = ? OR f.entity_code = ?)")
        params += [entity, entity]
    if q:
        where.append("(f.quote LIKE ? OR f.entity LIKE ?)")
        params += [f"%{q}%", f"%{q}%"]
    w = " AND ".join(where)
    total = int(wh.scalar(f"SELECT count(*) FROM fact f WHERE {w}", params) or 0)
    limit = max(0, min(int(limit), MAX_LIMIT))
    rows = wh.rows(
        f"""SELECT f.id, f.entity, f.entity_type, f.entity_code, f.metric, f.metric_zh, f.value, f.unit, f.period,
                              f.kind, f.cluster, f.cluster_id, f.qualifier, f.source_id, s.title AS source_title,
                              s.published, f.quote, f.span_start, f.span_end, f.status, f.origin,
                              s.body IS NOT NULL AS has_body
                       FROM fact f LEFT JOIN source s ON s.id = f.source_id WHERE {w}
                       ORDER BY s.published DESC NULLS LAST, f.source_id, f.span_start NULLS LAST, f.id
                       LIMIT {limit} OFFSET {int(offset)}""",
        params,
    )
    return {"total": total, "offset": offset, "limit": limit, "rows": clean_rows(rows)}


def sources(wh: Warehouse, limit: int = 200, offset: int = 0) -> dict:
    total = int(wh.scalar("SELECT count(*) FROM source") or 0)
    limit = max(0, min(int(limit), MAX_LIMIT))
    rows = wh.rows(f"""SELECT s.id, s.title, s.address, s.published, s.publisher, s.origin,
                              s.body IS NOT NULL AS has_body,
                              (SELECT count(*) FROM fact f WHERE f.source_id = s.id) AS facts
                       FROM source s ORDER BY has_body DESC, facts DESC, s.published DESC NULLS LAST, s.id
                       LIMIT {limit} OFFSET {int(offset)}""")
    return {"total": total, "offset": offset, "limit": limit, "rows": clean_rows(rows)}


def source(wh: Warehouse, sid: str) -> dict:
    s = wh.one("SELECT * FROM source WHERE id = ?", [sid])
    if s is None:
        raise NotFound(f"source {sid}")
    fs = facts(wh, source=sid, limit=MAX_LIMIT)["rows"]
    return {"source": {k: clean(v) for k, v in s.items()}, "facts": fs, "segments": segments(s.get("body"), fs)}


def segments(body: str | None, fs: list[dict]) -> list[dict]:
    """The article cut into plain and highlighted pieces: each highlight lists the facts whose quote it is
    (overlapping quotes are merged into one highlight)."""
    if not body:
        return []
    spans = sorted(
        (f["span_start"], f["span_end"], f["id"])
        for f in fs
        if f.get("span_start") is not None
        and f.get("span_end") is not None
        and 0 <= f["span_start"] < f["span_end"] <= len(body)
    )
    merged: list[list] = []
    for a, b, fid in spans:
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
            merged[-1][2].append(fid)
        else:
            merged.append([a, b, [fid]])
    out, pos = [], 0
    for a, b, ids in merged:
        if a > pos:
            out.append({"text": body[pos:a], "facts": []})
        out.append({"text": body[a:b], "facts": ids})
        pos = b
    if pos < len(body):
        out.append({"text": body[pos:], "facts": []})
    return out
