"""Place synthetic firms on the pack's chain templates: members, chain leaders (链主) and their suppliers.

- A firm is a member of the chain node whose industry code it has (one node per chain; a district's
  own chain takes only that district's firms).
- The biggest members of the downstream nodes (midstream when a chain has no downstream firm) are
  the chain's leaders.
- Each leader draws suppliers from the chain's upstream and midstream members, favouring firms in
  its own county (x8) and its group (x2) and bigger firms (size^0.5) — the "左右将军" gathered around
  a leader. Its purchases from them each year are PURCHASE_SHARE of its revenue, split by the same
  weights and capped at SUPPLIER_CAP of the supplier's own revenue.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from ...reference import Pack

PURCHASE_SHARE = 0.45
SUPPLIER_CAP = 0.6
LOCAL_FACTOR, GROUP_FACTOR = 8.0, 2.0
MEMBER_SLICE = 500_000  # firms per slice of the membership step


def place(con: duckdb.DuckDBPyConnection, pack: Pack, rng: np.random.Generator) -> dict[str, int]:
    cfg = pack.demo
    # each firm joins one node per chain its industry is in (the node with the least md5(uscc || node)); done in
    # slices of about MEMBER_SLICE firms by a hash of the code (a firm's rows all fall in one slice), so the
    # window's memory stays bounded at any size (10,000,000 firms in a staging database held to 512 MB)
    n_firms = con.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    slices = max(1, -(-n_firms // MEMBER_SLICE))
    for i in range(slices):
        con.execute(
            """
        INSERT INTO enterprise_node
        SELECT uscc, node_id, 'member' FROM (
            SELECT e.uscc, n.id AS node_id,
                   row_number() OVER (PARTITION BY e.uscc, n.chain_id ORDER BY md5(e.uscc || n.id)) AS rk
            FROM enterprise e
            JOIN chain_node n ON e.industry_code = n.industry_code
            JOIN chain c ON c.id = n.chain_id
            WHERE e.synthetic AND (c.region_code IS NULL OR e.region_code = c.region_code
                  OR e.region_code IN (SELECT predecessor FROM region_succession
                                       WHERE successor = c.region_code AND is_primary))
                  AND (? = 1 OR hash(e.uscc) % ? = ?))
        WHERE rk = 1""",
            [slices, slices, i],
        )
    # the members' sizes: one aggregate over the members' firm-years only (a hash aggregate, which DuckDB
    # spills to disk when it must; the window above is what could not)
    members = con.execute("""
        SELECT n.chain_id, n.stage, m.uscc, e.region_code, coalesce(r.region_group, e.region_code) AS grp, s.size
        FROM enterprise_node m
        JOIN chain_node n ON n.id = m.node_id
        JOIN enterprise e ON e.uscc = m.uscc
        LEFT JOIN region r ON r.code = e.region_code
        JOIN (SELECT uscc, avg(coalesce(output_value, revenue)) AS size FROM enterprise_year
              WHERE uscc IN (SELECT uscc FROM enterprise_node) GROUP BY uscc) s ON s.uscc = m.uscc
        ORDER BY n.chain_id, m.uscc""").fetchnumpy()
    links: list[tuple[str, str, float]] = []
    leaders: list[tuple[str, str]] = []
    chain_ids = np.unique(members["chain_id"]) if len(members["chain_id"]) else []
    for chain_id in chain_ids:
        sel = members["chain_id"] == chain_id
        stage, uscc = members["stage"][sel], members["uscc"][sel]
        region, grp, sz = members["region_code"][sel], members["grp"][sel], members["size"][sel].astype(float)
        k = 1 if pack.chains[chain_id].region else cfg.chain_leaders_per_chain
        for lead_stage in ("downstream", "midstream"):
            cand = np.flatnonzero(stage == lead_stage)
            if cand.size:
                break
        if not cand.size:
            continue
        top = cand[np.argsort(-sz[cand], kind="stable")[:k]]
        sup_pool = np.flatnonzero(np.isin(stage, ["upstream", "midstream"]))
        sup_pool = sup_pool[~np.isin(sup_pool, top)]
        for li in top:
            leaders.append((str(uscc[li]), str(chain_id)))
            if not sup_pool.size:
                continue
            w = np.sqrt(np.maximum(sz[sup_pool], 1.0))
            w = w * np.where(
                region[sup_pool] == region[li], LOCAL_FACTOR, np.where(grp[sup_pool] == grp[li], GROUP_FACTOR, 1.0)
            )
            n_sup = min(cfg.suppliers_per_leader, sup_pool.size)
            g = np.log(w) + rng.gumbel(size=sup_pool.size)
            order = np.argsort(-g, kind="stable")[:n_sup]
            links.extend((str(uscc[li]), str(uscc[sup_pool[o]]), float(w[o])) for o in order)
    if leaders:
        con.executemany(
            "UPDATE enterprise_node SET role = 'leader' WHERE uscc = ? AND node_id IN "
            "(SELECT id FROM chain_node WHERE chain_id = ?)",
            leaders,
        )
    if links:
        tbl = pa.table(
            {
                "buyer": [a for a, _, _ in links],
                "supplier": [b for _, b, _ in links],
                "weight": [w for _, _, w in links],
            }
        )
        con.register("_links", tbl)
        con.execute("""
            CREATE TEMP TABLE _pairs AS
            SELECT buyer, supplier, sum(weight) AS weight FROM _links GROUP BY buyer, supplier""")
        con.unregister("_links")
        con.execute("""
            UPDATE enterprise_node SET role = 'supplier'
            WHERE role = 'member' AND uscc IN (SELECT supplier FROM _pairs)""")
        # the firm-years of the linked firms first (a few thousand firms): joined twice to a Parquet view of every
        # firm-year, the planner would scan and join all of them for each side
        con.execute("""
            CREATE TEMP TABLE _linked_years AS
            SELECT uscc, year, revenue FROM enterprise_year
            WHERE uscc IN (SELECT buyer FROM _pairs UNION SELECT supplier FROM _pairs)""")
        con.execute(f"""
            INSERT INTO supply_link
            SELECT p.buyer, p.supplier, b.year,
                   round(least(b.revenue * {PURCHASE_SHARE} * p.weight / t.total, s.revenue * {SUPPLIER_CAP}), 0)
            FROM _pairs p
            JOIN (SELECT buyer, sum(weight) AS total FROM _pairs GROUP BY buyer) t ON t.buyer = p.buyer
            JOIN _linked_years b ON b.uscc = p.buyer
            JOIN _linked_years s ON s.uscc = p.supplier AND s.year = b.year
            WHERE b.revenue > 0 AND s.revenue > 0
            ORDER BY 1, 2, 3""")
        con.execute("DROP TABLE _pairs")
        con.execute("DROP TABLE _linked_years")
    chain_kind = next((k.key for k in pack.ladder.honour_kinds if k.group == "chain"), None)
    if chain_kind and leaders:
        level = next(k.levels for k in pack.ladder.honour_kinds if k.key == chain_kind)[-1]
        con.register("_leaders", pa.table({"uscc": sorted({u for u, _ in leaders})}))
        con.execute(
            """INSERT OR IGNORE INTO honour
                       SELECT uscc, ?, ?, min(year), 'synthetic-demo' FROM enterprise_year
                       WHERE uscc IN (SELECT uscc FROM _leaders) GROUP BY uscc""",
            [chain_kind, level],
        )
        con.unregister("_leaders")
    return {"leaders": len({u for u, _ in leaders}), "supplier_pairs": len(links)}
