"""Fixtures of the browser tests (tests/test_web_e2e.py, tests/test_attack_browser.py): Debian's chromium driven
by Playwright against a real `zhizao serve` on a copy of a warehouse.

    needs_chromium()   # at the top of a browser test module: skips it when chromium or Playwright is missing

`browser` (one headless chromium per test module) is a fixture for every test (registered in conftest.py);
`served_copy` starts the server of a module and `sign_in` signs a page in through the login form.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from web_fixtures import copy_of, served

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def needs_chromium():
    """Skip the calling test module unless Debian's chromium and Playwright are installed; Playwright's sync API."""
    if not Path(CHROMIUM).exists():  # `make test` installs it (scripts/debian-packages.txt)
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, launched by Playwright (its own browser download fails here: DESIGN.md)."""
    playwright = needs_chromium()
    with playwright.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@contextlib.contextmanager
def served_copy(db: Path, tmp_path_factory, name: str) -> Iterator[str]:
    """`zhizao serve` on a copy of the warehouse `db` in a new temporary folder named after `name` (the server's
    log beside it); yields the base URL."""
    d = tmp_path_factory.mktemp(name)
    with served(copy_of(db, d), d / "serve.log") as base:
        yield base


def sign_in(page, base: str, who: str, password: str) -> None:
    """Sign a browser page in through the login form and wait until the page it lands on has loaded."""
    page.goto(base + "/login")
    page.fill("#username", who)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")
