"""The dashboard keeps serving while the data change (issue 12; docs/scale.md, "Serving while the data change").

A real `zhizao serve` (two worker processes) on a free port over a real DuckDB file (the evaluated 1,500-firm demo)
answers clients that never stop asking — the overview and a district as the city, the same district as its own
district account (secondary suppression), the overview as the public, the results index, and the overview page as
HTML — while `zhizao evaluate` (a year not evaluated before) and `zhizao import` (a new firm) run on the same file
from the command line, then while `zhizao users` adds and removes an account. It checks:

- not one request fails (every answer is a 200);
- no reader sees half a run: the results index lists, per result table, the years evaluated; every answer shows
  either none of the new year's tables or all of them;
- the new results, the imported firm and the new account are served within seconds of their writer finishing;
- a removed account's token stops working at once on every worker (sessions live in the SQLite store).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from web_fixtures import ROLES, copy_of, page_login, served
from zhizao import uscc

NEW_YEAR = 2024  # the demo holds 2019–2025 and the fixture evaluated 2025 only
SHOWN_WITHIN = 20.0  # seconds from a writer's exit to its data being served (typically 1–3 s on an idle machine)
NEW_FIRM = uscc.make("500106", "MA990777")


def zhizao(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("zhizao")
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "zhizao.cli", *args]
    return subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "200"}
    )


def token(base: str, name: str, password: str) -> str | None:
    r = httpx.post(base + "/api/v1/auth/token", data={"username": name, "password": password}, timeout=60)
    return r.json()["access_token"] if r.status_code == 200 else None


def tables_with(year: int, index: dict) -> frozenset[str]:
    return frozenset(r["table"] for r in index["rows"] if year in (r["years"] or []))


class Load(threading.Thread):
    """One client asking for the same few things in a loop until stopped; every answer is kept (what failed,
    which result tables held the new year)."""

    def __init__(self, base: str, requests: list[tuple[str, dict]], cookies: dict | None = None):
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=base, timeout=120, cookies=cookies)
        self.requests = requests
        self.stop = threading.Event()
        self.failures: list[str] = []
        self.states: list[frozenset[str]] = []
        self.count = 0

    def run(self) -> None:
        while not self.stop.is_set():
            for path, headers in self.requests:
                try:
                    r = self.client.get(path, headers=headers)
                except httpx.HTTPError as e:
                    self.failures.append(f"{path}: {type(e).__name__}: {e}")
                    continue
                self.count += 1
                if r.status_code != 200:
                    self.failures.append(f"{path}: HTTP {r.status_code} {r.text[:200]}")
                elif path == "/api/v1/results":
                    self.states.append(tables_with(NEW_YEAR, r.json()))
                time.sleep(0.01)  # load, not a denial of service: the writers share the machine's cores
        self.client.close()


def wait_for(check, within: float) -> float:
    """Seconds until check() is true (polled every 0.1 s); fails after `within`."""
    t0 = time.monotonic()
    while not check():
        if time.monotonic() - t0 > within:
            pytest.fail(f"not served within {within} s")
        time.sleep(0.1)
    return time.monotonic() - t0


@pytest.fixture(scope="module")
def live(web_base, tmp_path_factory):
    d = tmp_path_factory.mktemp("live")
    db = copy_of(web_base, d)
    with served(db, d / "serve.log", "--workers", "2") as base:
        yield db, base, d


def test_evaluate_and_import_run_while_the_dashboard_serves_under_load(live):
    db, base, d = live
    tok = {n: token(base, n, ROLES[n][2]) for n in ("city", "fl", "pub", "admin")}
    h = {n: {"Authorization": f"Bearer {t}"} for n, t in tok.items()}
    page = httpx.Client(base_url=base, timeout=60)
    assert page_login(page, "city").status_code == 303
    before = tables_with(NEW_YEAR, httpx.get(base + "/api/v1/results", headers=h["city"], timeout=60).json())
    clients = [
        Load(base, [("/api/v1/overview", h["city"]), ("/api/v1/districts/500102", h["city"])]),
        Load(base, [("/api/v1/districts/500102", h["fl"]), ("/api/v1/overview", h["pub"])]),
        Load(base, [("/api/v1/results", h["city"])]),
        Load(base, [("/", {}), ("/api/v1/results", h["city"])], cookies=dict(page.cookies)),
    ]
    for c in clients:
        c.start()
    try:
        time.sleep(1.0)
        firms = d / "firms.csv"
        with firms.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(
                [
                    ["统一社会信用代码", "企业名称", "所在区县", "行业代码"],
                    [NEW_FIRM, "实时导入测试企业", "沙坪坝区", "C36"],
                ]
            )
        # both writers at once: they take turns on the warehouse file, the server holds it for neither
        evaluate = subprocess.Popen(
            [str(Path(sys.executable).with_name("zhizao")), "evaluate", "--db", str(db), "--year", str(NEW_YEAR)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        imported = zhizao("import", str(firms), "--db", str(db), "--user", "live-test")
        assert imported.returncode == 0, imported.stdout + imported.stderr
        firm_seen = wait_for(
            lambda: (
                httpx.get(base + f"/api/v1/enterprises/{NEW_FIRM}", headers=h["admin"], timeout=60).status_code == 200
            ),
            SHOWN_WITHIN,
        )
        out, _ = evaluate.communicate(timeout=600)
        assert evaluate.returncode == 0, out

        def evaluated() -> bool:
            index = httpx.get(base + "/api/v1/results", headers=h["city"], timeout=60).json()
            return tables_with(NEW_YEAR, index) > before

        run_seen = wait_for(evaluated, SHOWN_WITHIN)
        time.sleep(1.0)  # a little more load on the new generation
    finally:
        for c in clients:
            c.stop.set()
        for c in clients:
            c.join(120)
    after = tables_with(NEW_YEAR, httpx.get(base + "/api/v1/results", headers=h["city"], timeout=60).json())
    failures = [f for c in clients for f in c.failures]
    assert not failures, failures[:10]
    assert sum(c.count for c in clients) > 50
    # every answer showed the state before the run or after it: never some of its tables
    seen = {s for c in clients for s in c.states}
    assert seen <= {before, after} and after in seen, (before, after, seen)
    assert len(after - before) >= 5  # the run wrote many result tables for the new year, all at once
    # the district page for the new year, for its own account, through secondary suppression
    r = httpx.get(base + f"/api/v1/districts/500102?year={NEW_YEAR}", headers=h["fl"], timeout=60)
    assert r.status_code == 200 and r.json()
    print(f"firm served {firm_seen:.1f} s after import; run served {run_seen:.1f} s after evaluate")


def published(db: Path) -> int:
    """The generation of the newest snapshot (docs/scale.md: WAREHOUSE.serve/CURRENT)."""
    return json.loads((db.parent / (db.name + ".serve") / "CURRENT").read_text())["generation"]


def test_accounts_change_while_the_dashboard_serves(live):
    db, base, _ = live
    gen = published(db)
    added = zhizao(
        "users", "add", "newcomer", "--db", str(db), "--role", "city", "--password-stdin", stdin="newcomer-pw-1\n"
    )
    assert added.returncode == 0, added.stdout + added.stderr
    wait_for(lambda: published(db) > gen, SHOWN_WITHIN)
    # then sign-in works within seconds (tried every 2.5 s: failed sign-ins count towards the rate limit)
    t0, t = time.monotonic(), None
    while t is None and time.monotonic() - t0 < SHOWN_WITHIN:
        time.sleep(2.5)
        t = token(base, "newcomer", "newcomer-pw-1")
    assert t is not None, "the new account could not sign in"
    hdr = {"Authorization": f"Bearer {t}"}
    assert httpx.get(base + "/api/v1/me", headers=hdr, timeout=60).status_code == 200
    removed = zhizao("users", "remove", "newcomer", "--db", str(db))
    assert removed.returncode == 0, removed.stdout + removed.stderr
    # at once, whichever worker answers (new connections spread over both)
    codes = [httpx.get(base + "/api/v1/me", headers=hdr, timeout=60).status_code for _ in range(10)]
    assert codes == [401] * 10
