"""Adding an instrument is one registration: a module with `evaluate(ctx)` and one `Instrument` entry in
analytics.INSTRUMENTS. With nothing else written, `zhizao evaluate` runs it, `zhizao results` prints its tables
and the API lists and serves them under the access rules — no adapter, CLI module or page edit."""

from __future__ import annotations

import json
import shutil
import sys
import types

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import zhizao.analytics as an
from zhizao.cli import app as cli
from zhizao.store import db as store
from zhizao.web import auth
from zhizao.web.app import create_app


def _probe_module():
    """A new instrument: firms per county for the year (an aggregate) and the firms themselves (firm-level)."""
    mod = types.ModuleType("zhizao.analytics.probe")

    def evaluate(ctx):
        e, ey = ctx.table("enterprise"), ctx.table("enterprise_year")
        j = ey.filter(ey.year == ctx.year).join(e, "uscc")
        per_region = j.group_by("region_code").aggregate(firms=j.count())
        firms = j.select("uscc", "region_code").order_by("uscc").limit(50)
        return {"probe_regions": ctx.to_arrow(per_region), "probe_firms": ctx.to_arrow(firms)}

    mod.evaluate = evaluate
    return mod


@pytest.fixture()
def registered(demo, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "zhizao.analytics.probe", _probe_module())
    monkeypatch.setattr(
        an, "INSTRUMENTS", [*an.INSTRUMENTS, an.Instrument("probe", "probe", ("probe_regions", "probe_firms"))]
    )
    path = tmp_path / "w.duckdb"
    shutil.copy(demo[0], path)
    return path


def test_one_registration_is_evaluated_printed_and_served(registered):
    s = an.evaluate_all(registered, 2023, instruments=["probe"])
    assert s.instruments[0].rows["probe_regions"] > 10

    r = CliRunner().invoke(cli, ["results", "probe", "--db", str(registered), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (
        out["probe_regions"]["year"] == 2023
        and len(out["probe_regions"]["rows"]) == s.instruments[0].rows["probe_regions"]
    )
    listing = CliRunner().invoke(cli, ["results", "--db", str(registered), "--json"])
    assert {"instrument": "probe", "table": "probe_firms", "years": "2023"} in json.loads(listing.stdout)

    con = store.open_warehouse(registered)
    auth.add_user(con, "boss", "admin", "boss-password-1", actor="tests")
    auth.add_user(con, "anyone", "public", "anyone-password-1", actor="tests")
    con.close()
    with TestClient(create_app(registered)) as client:
        tokens = {
            who: client.post("/api/v1/auth/token", data={"username": who, "password": f"{who}-password-1"}).json()[
                "access_token"
            ]
            for who in ("boss", "anyone")
        }
        h = {who: {"Authorization": f"Bearer {t}"} for who, t in tokens.items()}
        index = {v["table"]: v for v in client.get("/api/v1/results", headers=h["boss"]).json()["rows"]}
        assert index["probe_regions"]["instrument"] == "probe" and index["probe_regions"]["kind"] == "aggregate"
        assert index["probe_firms"]["kind"] == "firm"  # it has a uscc column: enterprise-level data
        got = client.get("/api/v1/results/other/probe_regions?limit=1000", headers=h["boss"]).json()
        assert got["evaluated"] and len(got["rows"]) == s.instruments[0].rows["probe_regions"]
        # the access rules hold for a table nobody described: the public sees no firm-level rows
        assert client.get("/api/v1/results/other/probe_firms", headers=h["anyone"]).status_code == 403
        assert client.get("/api/v1/results/other/probe_firms", headers=h["boss"]).status_code == 200
