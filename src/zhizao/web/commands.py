"""What `zhizao serve`, `zhizao users …` and the end of `zhizao demo` do (the cli package holds thin shells)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.table import Table

from ..store import db as store
from . import auth


def _open(db: Path, fail: Callable, *, read_only: bool = False):
    try:
        return store.open_warehouse(db, read_only=read_only)
    except store.WarehouseError as e:
        msg = str(e)
        if "lock" in msg.lower():
            fail(f"{db} is in use by another process (is `zhizao serve` running on it? stop it first): {msg}")
        fail(msg)


def print_accounts(console: Console, accounts) -> None:
    t = Table(title="演示账号 demo accounts (synthetic demo warehouse only)")
    for c in ("user 用户名", "password 密码", "role 角色", "region 区域"):
        t.add_column(c)
    for name, role, region, pw in accounts:
        t.add_row(name, pw, role, region or "")
    console.print(t)


def serve(
    db: Path,
    host: str,
    port: int,
    *,
    console: Console,
    fail: Callable,
    demo_accounts: bool = False,
    log_level: str = "warning",
    forwarded_allow_ips: str | None = None,
    https: bool = False,
) -> None:
    """Serve the dashboard. Forwarded headers (X-Forwarded-For, -Proto) are believed only from the addresses in
    `forwarded_allow_ips` (a reverse proxy); by default none, so a client cannot claim another address to get
    round the sign-in rate limit. `https` marks every cookie Secure (the server sits behind HTTPS)."""
    import uvicorn

    from .context import Settings

    con = _open(db, fail)
    try:
        accounts = auth.ensure_demo_accounts(con) if demo_accounts else []
        # older servers kept the signing secret in the warehouse; it lives in the session store now
        con.execute("DELETE FROM meta WHERE key = 'web_secret'")
        users = con.execute("SELECT count(*) FROM app_user").fetchone()[0]
        runs = con.execute("SELECT count(*) FROM run WHERE status = 'done'").fetchone()[0]
    finally:
        con.close()
    from .app import create_app

    app = create_app(db, settings=Settings(https=https))
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    console.print(
        f"[bold green]zhizao dashboard[/] on [bold]http://{shown}:{port}/[/]  "
        f"(API http://{shown}:{port}/api/v1/docs, OpenAPI /api/v1/openapi.json); Ctrl-C stops it"
    )
    if accounts:
        print_accounts(console, accounts)
    elif not users:
        console.print(f"[yellow]no accounts yet:[/] add one with `zhizao users add NAME --db {db} --role admin`")
    if not runs:
        console.print(
            f"[yellow]no analytics results yet:[/] pages show 'not evaluated yet' until "
            f"`zhizao evaluate --db {db}` runs (stop the server first: it holds the file)"
        )
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level=log_level,
            server_header=False,
            proxy_headers=bool(forwarded_allow_ips),
            forwarded_allow_ips=forwarded_allow_ips or "",
        )
    finally:
        app.state.zz.wh.close()  # checkpoints the file


def users_add(
    db: Path,
    name: str,
    role: str,
    region: str | None,
    password_stdin: bool,
    *,
    console: Console,
    fail: Callable,
    prompt: Callable,
) -> None:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = prompt()
    con = _open(db, fail)
    try:
        auth.add_user(con, name, role, password, region, actor=_actor())
    except auth.UserError as e:
        fail(str(e))
    finally:
        con.close()
    console.print(f"用户已添加 added user [bold]{name}[/] ({role}{' ' + region if region else ''})")


def users_list(db: Path, *, console: Console, fail: Callable) -> None:
    con = _open(db, fail, read_only=True)
    try:
        rows = auth.list_users(con)
    finally:
        con.close()
    t = Table(title=f"{db} users 用户")
    for c in ("name", "role", "region", "created"):
        t.add_column(c)
    for r in rows:
        t.add_row(r["name"], r["role"], r["region"] or "", f"{r['created']:%Y-%m-%d %H:%M}" if r["created"] else "")
    console.print(t)


def users_remove(db: Path, name: str, *, console: Console, fail: Callable) -> None:
    con = _open(db, fail)
    try:
        ok = auth.remove_user(con, name, actor=_actor())
    finally:
        con.close()
    if not ok:
        fail(f"没有该用户 no user {name}")
    users_sign_out(db, name, console=console, fail=fail, quiet=True)
    console.print(f"用户已删除 removed user [bold]{name}[/]")


def users_sign_out(db: Path, name: str, *, console: Console, fail: Callable, quiet: bool = False) -> None:
    """End every session and API token of a user on every server of this warehouse. Needs only the session
    store beside the warehouse, so it works while a server (or another writer) holds the warehouse."""
    from .sessions import SessionStore

    if not Path(db).exists():
        fail(f"找不到仓库 no warehouse at {db}")
    try:
        store = SessionStore.beside(db)
    except (OSError, sqlite3.Error) as e:
        fail(f"会话存储无法打开 the session store beside {db} cannot be opened: {e}")
    try:
        store.sign_out_everywhere(name)
    finally:
        store.close()
    if not quiet:
        console.print(f"已登出 {name} 的所有会话 / every session of [bold]{name}[/] has ended")


def _actor() -> str:
    from ..ingest.tables.run import default_user

    return "cli:" + default_user()


def needs_evaluation(db: Path) -> bool:
    """True when no finished analytics run exists for the warehouse's latest year."""
    con = store.open_warehouse(db, read_only=True)
    try:
        y = con.execute("SELECT max(year) FROM enterprise_year").fetchone()[0]
        if y is None:
            return False
        n = con.execute(
            "SELECT count(*) FROM run WHERE status = 'done' AND command = 'evaluate' AND year = ?", [y]
        ).fetchone()[0]
        return n == 0
    finally:
        con.close()
