"""`zhizao serve` and `zhizao users`: the dashboard and its accounts, on the console. The web package holds the
application (web/app.py) and the accounts' rules (web/auth.py); printing and prompting happen here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .common import (
    DB_OPTION,
    Typer,
    app,
    console,
    fail,
)


def _open(db: Path, *, read_only: bool = False):
    from ..store import db as store

    try:
        return store.open_warehouse(db, read_only=read_only)  # waits while another writer holds the file
    except store.WarehouseError as e:
        msg = str(e)
        if "lock" in msg.lower():
            fail(
                f"{db} stayed in use by another writer for {store.lock_wait():.0f} s "
                f"(ZHIZAO_LOCK_WAIT sets how long to wait): {msg}"
            )
        fail(msg)


def _actor() -> str:
    from ..ingest.tables.run import default_user

    return "cli:" + default_user()


def print_accounts(accounts) -> None:
    from rich.table import Table

    t = Table(title="演示账号 demo accounts (synthetic demo warehouse only)")
    for c in ("user 用户名", "password 密码", "role 角色", "region 区域"):
        t.add_column(c)
    for name, role, region, pw in accounts:
        t.add_row(name, pw, role, region or "")
    console.print(t)


def needs_evaluation(db: Path) -> bool:
    """True when no finished analytics run exists for the warehouse's latest year."""
    con = _open(db, read_only=True)
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


def run_server(
    db: Path,
    host: str,
    port: int,
    *,
    demo_accounts: bool = False,
    log_level: str = "warning",
    forwarded_allow_ips: str | None = None,
    https: bool = False,
    workers: int | None = None,
) -> None:
    """Serve the dashboard over `db` until Ctrl-C (also the end of `zhizao demo`, with the demo accounts).

    The server never holds the warehouse: its `workers` processes (default: one per core) read immutable
    snapshots, and this process publishes a new one within about a second of any writer (`zhizao evaluate`,
    `import`, `users`) finishing with the file (web/serving.py, docs/scale.md).

    Forwarded headers (X-Forwarded-For, -Proto) are believed only from the addresses in `forwarded_allow_ips`
    (a reverse proxy); by default from none, so a client cannot claim another address to get round the sign-in
    rate limit. `https` marks every cookie Secure (the server sits behind HTTPS). No `server` banner is sent."""
    import os
    import shutil
    import tempfile

    import uvicorn

    from ..store import snapshot
    from ..web import auth, serving
    from ..web.app import create_app
    from ..web.context import Settings

    con = _open(db)
    try:
        accounts = auth.ensure_demo_accounts(con) if demo_accounts else []
        # older servers kept the signing secret in the warehouse; it lives in the session store now
        con.execute("DELETE FROM meta WHERE key = 'web_secret'")
        users = con.execute("SELECT count(*) FROM app_user").fetchone()[0]
        runs = con.execute("SELECT count(*) FROM run WHERE status = 'done'").fetchone()[0]
    finally:
        con.close()
    n = workers or serving.default_workers()
    snapshot.publish(db)  # the first snapshot, before any worker reads
    watcher = snapshot.Watcher(db)
    watcher.start()
    uploads = Path(tempfile.mkdtemp(prefix="zhizao-uploads-"))  # shared by the workers (staged imports)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    console.print(
        f"[bold green]zhizao dashboard[/] on [bold]http://{shown}:{port}/[/]  "
        f"(API http://{shown}:{port}/api/v1/docs, OpenAPI /api/v1/openapi.json; {n} worker(s)); Ctrl-C stops it"
    )
    if accounts:
        print_accounts(accounts)
    elif not users:
        console.print(f"[yellow]no accounts yet:[/] add one with `zhizao users add NAME --db {db} --role admin`")
    if not runs:
        console.print(
            f"[yellow]no analytics results yet:[/] pages show 'not evaluated yet' until "
            f"`zhizao evaluate --db {db}` runs (the dashboard picks the results up while it serves)"
        )
    options = dict(
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        proxy_headers=bool(forwarded_allow_ips),
        forwarded_allow_ips=forwarded_allow_ips or "",
    )
    web = None
    try:
        if n == 1:
            web = create_app(db, settings=Settings(https=https), upload_dir=uploads, watch=False, warm=True)
            uvicorn.run(web, **options)
        else:
            os.environ[serving.ENV_DB] = str(Path(db).resolve())
            os.environ[serving.ENV_HTTPS] = "1" if https else ""
            os.environ[serving.ENV_UPLOADS] = str(uploads)
            uvicorn.run("zhizao.web.app:from_environment", factory=True, workers=n, **options)
    finally:
        watcher.stop()
        if web is not None:
            web.state.zz.wh.close()
        shutil.rmtree(uploads, ignore_errors=True)


@app.command()
def serve(
    db: Path = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    forwarded_allow_ips: Optional[str] = typer.Option(
        None,
        "--forwarded-allow-ips",
        help="Comma-separated addresses of reverse proxies whose X-Forwarded-For/-Proto headers are believed "
        "(default: none — the peer address counts, so a client cannot pose as another for the sign-in limit).",
    ),
    https: bool = typer.Option(
        False, "--https", help="The dashboard is reached over HTTPS (e.g. behind a TLS proxy): cookies are Secure."
    ),
    workers: Optional[int] = typer.Option(
        None, "--workers", min=1, max=64, help="Server processes (default: one per core)."
    ),
) -> None:
    """Serve the dashboard and the JSON API (/api/v1) while `zhizao evaluate`, `import` and `users` may change the
    warehouse: new data are shown within seconds of a writer finishing. 启动看板与数据接口。"""
    run_server(db, host, port, forwarded_allow_ips=forwarded_allow_ips, https=https, workers=workers)


users_app = Typer(no_args_is_help=True, help="Dashboard accounts (admin, city, district, public). 看板账号。")
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="User name."),
    db: Path = DB_OPTION,
    role: str = typer.Option(..., "--role", help="admin | city | district | public"),
    region: Optional[str] = typer.Option(None, "--region", help="Region code (district users)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of standard input instead of a prompt."
    ),
) -> None:
    """Add an account (the password is stored as an argon2 hash; audited). 添加账号。"""
    from ..web import auth

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password 密码", hide_input=True, confirmation_prompt=True)
    con = _open(db)
    try:
        auth.add_user(con, name, role, password, region, actor=_actor())  # a UserError exits 1 (cli/common.py)
    finally:
        con.close()
    console.print(f"用户已添加 added user [bold]{name}[/] ({role}{' ' + region if region else ''})")


@users_app.command("list")
def users_list(db: Path = DB_OPTION) -> None:
    """List the accounts. 列出账号。"""
    from rich.table import Table

    from ..web import auth

    con = _open(db, read_only=True)
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


@users_app.command("remove")
def users_remove(name: str = typer.Argument(..., help="User name."), db: Path = DB_OPTION) -> None:
    """Remove an account (audited). 删除账号。"""
    from ..web import auth

    con = _open(db)
    try:
        ok = auth.remove_user(con, name, actor=_actor())
    finally:
        con.close()
    if not ok:
        fail(f"没有该用户 no user {name}")
    _sign_out(db, name)
    console.print(f"用户已删除 removed user [bold]{name}[/]")


@users_app.command("sign-out")
def users_sign_out(name: str = typer.Argument(..., help="User name."), db: Path = DB_OPTION) -> None:
    """End every session and API token of a user, on every server of the warehouse. 登出该用户的所有会话。"""
    _sign_out(db, name)
    console.print(f"已登出 {name} 的所有会话 / every session of [bold]{name}[/] has ended")


def _sign_out(db: Path, name: str) -> None:
    """Every token of `name` void from now on. Needs only the session store beside the warehouse (web/sessions.py),
    so it works while a server or another writer holds the warehouse."""
    import sqlite3

    from ..web.sessions import SessionStore

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
