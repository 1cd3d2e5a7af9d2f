"""`zhizao serve` and `zhizao users`: the dashboard and its accounts."""

from __future__ import annotations

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


@app.command()
def serve(
    db: Path = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve the dashboard and the JSON API (/api/v1). 启动看板与数据接口。"""
    from ..web.commands import serve as _serve

    _serve(db, host, port, console=console, fail=fail)


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
    from ..web.commands import users_add as _add

    _add(
        db,
        name,
        role,
        region,
        password_stdin,
        console=console,
        fail=fail,
        prompt=lambda: typer.prompt("password 密码", hide_input=True, confirmation_prompt=True),
    )


@users_app.command("list")
def users_list(db: Path = DB_OPTION) -> None:
    """List the accounts. 列出账号。"""
    from ..web.commands import users_list as _list

    _list(db, console=console, fail=fail)


@users_app.command("remove")
def users_remove(name: str = typer.Argument(..., help="User name."), db: Path = DB_OPTION) -> None:
    """Remove an account (audited). 删除账号。"""
    from ..web.commands import users_remove as _remove

    _remove(db, name, console=console, fail=fail)
