"""A district user's import (a part of validate.Checker): every row must concern their own region, both what the
file writes and what it would replace (DESIGN: Access; docs/security.md).
"""

from __future__ import annotations

import pyarrow as pa

from .staged import Staged


class DistrictChecks:
    """Methods of validate.Checker: they record problems with `self.add(staged, i, field, value, reason)`, after the
    row checks have filled `self.stored_regions` (the warehouse's region of each firm the file names)."""

    def within(self, staged: dict[str, Staged], role: str, region: str) -> None:
        """A district user imports for enterprises and targets of their own region only (DESIGN: Access).

        Every row of every kind is checked on both sides: the value the file writes (a firm's new region, a
        target's new scope) and the value it would replace (the firm's region as stored, the stored target
        with the same id). So a district user can neither move a firm in nor out, nor rename or refigure
        another region's firm, nor overwrite another region's target by naming its id."""
        pack = self.ref.pack
        mine = pack.successor_of(region) if region in pack.regions else region

        def ok(code: str | None) -> bool:
            return (
                code is None
                or code not in pack.regions
                or pack.successor_of(code) == mine
                or mine in pack.ancestors(code)
                or code == region
            )

        name = pack.regions[region].name_zh if region in pack.regions else region
        why = (
            f"区县用户只能导入本区县（{name}）的数据",
            f"a district user may only import data of their own region ({region})",
        )
        regions = dict(self.stored_regions)
        if "enterprises" in staged:
            e = staged["enterprises"]
            for i, (u, code) in enumerate(zip(e.data["uscc"], e.data["region_code"])):
                if u and code:
                    regions[u] = code
                if not ok(code) or (u in self.stored_regions and not ok(self.stored_regions[u])):
                    self.add(e, i, "region", e.raw["region"][i], why)
        for key in ("enterprise_year", "honours"):
            if key in staged:
                st = staged[key]
                for i, u in enumerate(st.data["uscc"]):
                    if u and (not ok(regions.get(u)) or (u in self.stored_regions and not ok(self.stored_regions[u]))):
                        self.add(st, i, "uscc", st.raw["uscc"][i], why)

        def scope_ok(sc: str | None, code: str | None) -> bool:
            if code is None:
                return True
            if sc == "region":
                return ok(code)
            if sc == "enterprise":
                return ok(regions.get(code)) and ok(self.stored_regions.get(code))
            if sc == "park":
                pk = self.ref.parks.get(code)
                return bool(pk) and ok(pk[1])
            # a cluster of the district's own cluster system
            return (
                code in pack.cluster_system
                and ok(pack.systems[pack.cluster_system[code]].region)
                and pack.systems[pack.cluster_system[code]].region != pack.info.root_region
            )

        if "targets" in staged:
            st = staged["targets"]
            stored = self.stored_targets([t for t in st.data["id"] if t])
            for i, (sc, code) in enumerate(zip(st.data["scope"], st.data["scope_code"])):
                old = stored.get(st.data["id"][i]) if st.data["id"][i] else None
                if not scope_ok(sc, code) or (old is not None and not scope_ok(*old)):
                    self.add(st, i, "scope_id", st.raw["scope_id"][i], why)

    def stored_targets(self, ids: list[str]) -> dict[str, tuple[str, str | None]]:
        """(scope, scope code) of the warehouse's targets with these ids (a firm's scope as its credit code)."""
        if self.con is None or not ids:
            return {}
        self.con.register("_imp_keys", pa.table({"id": pa.array(sorted(set(ids)), pa.string())}))
        try:
            rows = self.con.execute(
                "SELECT t.id, t.scope, t.scope_id FROM target t JOIN _imp_keys k USING (id)"
            ).fetchall()
        finally:
            self.con.unregister("_imp_keys")
        firms = sorted(
            {code for _, sc, code in rows if sc == "enterprise" and code and code not in self.stored_regions}
        )
        if firms:
            self.con.register("_imp_keys", pa.table({"uscc": pa.array(firms, pa.string())}))
            try:
                for u, r in self.con.execute(
                    "SELECT e.uscc, e.region_code FROM enterprise e JOIN _imp_keys k USING (uscc)"
                ).fetchall():
                    self.stored_regions[u] = r
            finally:
                self.con.unregister("_imp_keys")
        return {i: (sc, code) for i, sc, code in rows}
