"""What every request handler shares: the server's context (warehouse, access policy, accounts, sign-in limits,
settings) and the exceptions handlers raise instead of building responses (the app turns them into a 303 to
the sign-in page, a 403 or a 404, as JSON for the API and as a page otherwise).

This module imports nothing from the rest of web/ but the objects it holds, so the app, the dependencies and
the routers can all import it without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request

from ..errors import ZhizaoError
from .access import Denied, Policy
from .auth import LoginLimiter, Users
from .warehouse import Warehouse


@dataclass(frozen=True)
class Settings:
    """How the server is reached: `https` (cookies get the Secure flag; also set when a trusted proxy says the
    request came over HTTPS) and the upload limit."""

    https: bool = False
    max_upload_bytes: int = 50 * 1024 * 1024


@dataclass
class Context:
    wh: Warehouse
    policy: Policy
    users: Users
    limiter: LoginLimiter
    upload_dir: Path
    settings: Settings = field(default_factory=Settings)


class LoginRequired(ZhizaoError):
    """A page needs a signed-in user: answered with a redirect to /login?next=…"""

    http_status = 401

    def __init__(self, next_url: str):
        self.next_url = next_url
        super().__init__(f"sign-in required for {next_url}")


class NotFound(ZhizaoError, LookupError):
    """No such item — or an item the user may not know exists (answered alike: 404)."""

    http_status = 404

    def __init__(self, what: str):
        self.what = what
        super().__init__(what)


def ctx(request: Request) -> Context:
    return request.app.state.zz


__all__ = ["Context", "Denied", "LoginRequired", "NotFound", "Settings", "ctx"]
