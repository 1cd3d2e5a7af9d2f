"""File an article and its facts in the warehouse, and offer its targets to the target register.

One article is one `source` row (origin 'news', keyed by the sha256 of the file), its facts are
`fact` rows with quote and span (offsets into `source.body`, the cleaned text), and every fact of
kind 'target' becomes a `target` row with proposed = true, to be accepted or rejected by a person.
Ingesting the same file again adds nothing. Everything an ingest writes is one transaction, and
audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhizao.store.db import audit, transaction

from .extract import Article, Fact

SCOPE = {
    "district": "region",
    "city": "region",
    "province": "region",
    "region": "region",
    "town": "region",
    "park": "park",
    "enterprise": "enterprise",
    "enterprise_group": "enterprise",
}


@dataclass
class IngestResult:
    source_id: str
    added: bool  # False: the article was already in the warehouse
    facts: int = 0
    targets: int = 0


def source_id_for(art: Article) -> str:
    return "news-" + art.sha256[:16]


def target_year(period: str | None) -> int | None:
    """The year a target is for: 2027, or the end of a span (2023..2027, 2027-01..2027-06)."""
    if not period:
        return None
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", period)
    return int(years[-1]) if years else None


def ingest(con, art: Article, facts: list[Fact], actor: str = "news-reader") -> IngestResult:
    sid = source_id_for(art)
    exists = con.execute(
        "SELECT count(*) FROM source WHERE id = ? OR (sha256 = ? AND origin = 'news')", [sid, art.sha256]
    ).fetchone()[0]
    if exists:
        return IngestResult(sid, False)
    res = IngestResult(sid, True)
    with transaction(con):
        con.execute(
            "INSERT INTO source (id, title, address, published, publisher, sha256, body, note, origin) "
            "VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 'news')",
            [
                sid,
                (art.title or art.id)[:500],
                art.address,
                art.published,
                art.sha256,
                art.clean.text,
                f"file {art.path}; date from {art.date_source or 'nowhere (not found)'}",
            ],
        )
        for n, f in enumerate(facts, 1):
            fid = f"{sid}-f{n:03d}"
            con.execute(
                "INSERT INTO fact (id, entity, entity_type, entity_code, metric, metric_zh, value, unit, period, kind, "
                "cluster, cluster_id, qualifier, source_id, quote, span_start, span_end, status, origin) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, 'extracted', 'news')",
                [
                    fid,
                    f.entity,
                    f.entity_type,
                    f.entity_code,
                    f.metric,
                    f.metric_zh,
                    float(f.value),
                    f.unit,
                    f.period,
                    f.kind,
                    f.cluster,
                    f.qualifier,
                    sid,
                    f.quote,
                    f.span[0],
                    f.span[1],
                ],
            )
            res.facts += 1
            if f.kind == "target":
                con.execute(
                    "INSERT INTO target (id, scope, scope_id, cluster_id, metric, metric_zh, value, unit, year, "
                    "qualifier, baseline_value, baseline_year, source_id, fact_id, status, proposed, origin, note) "
                    "VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, 'proposed', TRUE, 'news', ?)",
                    [
                        f"{fid}-t",
                        SCOPE.get(f.entity_type, "region"),
                        f.entity_code or f.entity,
                        f.metric,
                        f.metric_zh,
                        float(f.value),
                        f.unit,
                        target_year(f.period),
                        f.qualifier,
                        sid,
                        fid,
                        f"{f.entity}{' · ' + f.cluster if f.cluster else ''}: {f.quote}"[:1000],
                    ],
                )
                res.targets += 1
        audit(con, actor, "ingest_news", sid, f"{art.path}: {res.facts} facts, {res.targets} proposed targets")
    return res


def proposed_targets(con, proposed_only: bool = True) -> list[dict]:
    sql = (
        "SELECT t.id, t.scope, t.scope_id, f.entity, t.metric, t.metric_zh, t.value, t.unit, t.year, t.qualifier, "
        "f.cluster, t.proposed, t.origin, s.title, f.quote FROM target t LEFT JOIN fact f ON f.id = t.fact_id "
        "LEFT JOIN source s ON s.id = t.source_id"
    )
    if proposed_only:
        sql += " WHERE t.proposed"
    sql += " ORDER BY t.id"
    cols = [
        "id",
        "scope",
        "scope_id",
        "entity",
        "metric",
        "metric_zh",
        "value",
        "unit",
        "year",
        "qualifier",
        "cluster",
        "proposed",
        "origin",
        "source",
        "quote",
    ]
    return [dict(zip(cols, r)) for r in con.execute(sql).fetchall()]
