"""Accounts, passwords, sessions, API tokens, login rate limits and CSRF tokens.

- Passwords: argon2id (argon2-cffi), stored in `app_user.password_hash`.
- The signing secret: the environment variable ZHIZAO_SECRET, else one generated on first serve and kept in
  the session store beside the warehouse (web/sessions.py, a 0600 file) — never in the warehouse, so no
  export of it carries the secret. Nothing is hard-coded.
- Pages: a signed, HttpOnly, SameSite=Lax session cookie (8 hours). API: a bearer token from
  `POST /api/v1/auth/token` (OAuth2 password form; 1 hour). Both carry the user name, a fingerprint of the
  password hash (changing a password or removing the user ends them), an id and an expiry. Signing out
  (POST /logout, DELETE /api/v1/auth/token) revokes the id in the session store, so a saved cookie or token
  is refused by every server process from then on; `zhizao users sign-out NAME` ends all of a user's.
- Login: at most LOGIN_FAILURES failed attempts per (client, user) and CLIENT_FAILURES per client in
  LOGIN_WINDOW seconds, counted in the session store (the same for every server process). The client is the
  peer address, or what a proxy listed in `zhizao serve --forwarded-allow-ips` forwards (nothing else).
- CSRF: forms carry the value of a random `zz_csrf` cookie (double submit), checked for every unsafe method
  by one middleware (web/security.py); cookie-session API writes send it as an `X-CSRF-Token` header.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass

import cachetools
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..errors import ZhizaoError
from ..store import db as store
from .access import ROLES, Principal
from .sessions import SessionStore
from .warehouse import Warehouse

SESSION_COOKIE = "zz_session"
CSRF_COOKIE = "zz_csrf"
LANG_COOKIE = "zz_lang"
SESSION_SECONDS = 8 * 3600  # a page session: a working day
API_TOKEN_SECONDS = 3600  # a bearer token: an hour (sign in again for more)
TOKEN_SECONDS = SESSION_SECONDS  # the session cookie's max-age
USER_CACHE_SECONDS = 5.0
VERIFIED_TOKENS = 4096  # tokens whose verdict a server process keeps (auth.Users.verified)
LOGIN_FAILURES = 5
LOGIN_WINDOW = 300.0
CLIENT_FAILURES = 20

_hasher = PasswordHasher()


class UserError(ZhizaoError, ValueError):
    """A user that cannot be added or changed as asked."""


# --------------------------------------------------------------------------------- accounts
def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _fingerprint(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def validate_user(con, name: str, role: str, region: str | None) -> str | None:
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise UserError(f"用户名无效 invalid user name {name!r} (1–64 characters, no spaces)")
    if role not in ROLES:
        raise UserError(f"角色无效 unknown role {role!r}: one of {', '.join(ROLES)}")
    if role == "district":
        if not region:
            raise UserError("区县账号需要 --region / a district user needs --region CODE")
    if region:
        row = con.execute(
            "SELECT r.code FROM region r WHERE r.code = ? UNION SELECT a.code FROM region_alias a "
            "WHERE a.alias = ? LIMIT 1",
            [region, region],
        ).fetchone()
        if not row:
            raise UserError(f"区域不在政策包中 no region {region!r} in the policy pack")
        region = row[0]
        if role in ("admin", "city", "public"):
            raise UserError(f"--region only applies to district users (role {role})")
    return region


def add_user(
    con, name: str, role: str, password: str, region: str | None = None, *, actor: str = "cli", replace: bool = False
) -> None:
    region = validate_user(con, name, role, region)
    if len(password) < 8:
        raise UserError("密码至少8个字符 / the password needs at least 8 characters")
    exists = con.execute("SELECT count(*) FROM app_user WHERE name = ?", [name]).fetchone()[0]
    if exists and not replace:
        raise UserError(f"用户已存在 user {name} exists (remove it first)")
    with store.transaction(con):
        con.execute("DELETE FROM app_user WHERE name = ?", [name])
        con.execute(
            "INSERT INTO app_user (name, role, region_code, password_hash) VALUES (?, ?, ?, ?)",
            [name, role, region, hash_password(password)],
        )
        store.audit(
            con,
            actor,
            "user.replace" if exists else "user.add",
            name,
            json.dumps({"role": role, "region": region}, ensure_ascii=False),
        )


def remove_user(con, name: str, *, actor: str = "cli") -> bool:
    if not con.execute("SELECT count(*) FROM app_user WHERE name = ?", [name]).fetchone()[0]:
        return False
    with store.transaction(con):
        con.execute("DELETE FROM app_user WHERE name = ?", [name])
        store.audit(con, actor, "user.remove", name, None)
    return True


def list_users(con) -> list[dict]:
    res = con.execute("SELECT name, role, region_code, created FROM app_user ORDER BY name")
    return [dict(zip(("name", "role", "region", "created"), r)) for r in res.fetchall()]


DEMO_ROLES = [("admin", "admin"), ("city", "city"), ("public", "public")]  # only on synthetic warehouses


def _demo_password(seed: str, name: str) -> str:
    """A demo account's password: derived from a random seed kept in the warehouse's meta, so every demo
    warehouse has its own passwords and none is written in code."""
    return f"{name}-" + hmac.new(seed.encode(), name.encode(), hashlib.sha256).hexdigest()[:8]


def demo_accounts(con, *, create_seed: bool = False) -> list[tuple[str, str, str | None, str | None]]:
    """The demo accounts (name, role, region, password): one per role, and a district account for each
    county of today's map that runs its own cluster system (as the pack records it; a system of a former
    county counts for its successor), named by the county's pinyin (fuling, liangjiang ...). Passwords are
    None until the seed exists (it is made when the accounts are created)."""
    seed = store.get_meta(con, "demo_password_seed")
    if seed is None and create_seed:
        seed = secrets.token_urlsafe(24)
        store.set_meta(con, "demo_password_seed", seed)
    rows = con.execute("""
        SELECT DISTINCT r.code, r.pinyin FROM cluster_system s
        JOIN region_current c ON c.code = s.region_code JOIN region r ON r.code = c.current_code
        WHERE r.level = 'county' AND r.valid_to IS NULL ORDER BY r.code""").fetchall()
    names = [(n, role, None) for n, role in DEMO_ROLES[:2]]
    for code, pinyin in rows:
        name = (pinyin or code).split()[0].lower().replace("-", "")
        if name and not any(name == o[0] for o in names):
            names.append((name, "district", code))
    names += [(n, role, None) for n, role in DEMO_ROLES[2:]]
    return [(n, role, region, _demo_password(seed, n) if seed else None) for n, role, region in names]


def ensure_demo_accounts(con) -> list[tuple[str, str, str | None, str]]:
    """On a synthetic demo warehouse: create the demo accounts that are missing (passwords derived from the
    warehouse's own random seed, printed by `zhizao demo`). Refuses on a warehouse that is not synthetic."""
    if store.get_meta(con, "synthetic") != "true":
        raise UserError("demo accounts are only for synthetic demo warehouses")
    made = []
    for name, role, region, password in demo_accounts(con, create_seed=True):
        if region and not con.execute("SELECT count(*) FROM region WHERE code = ?", [region]).fetchone()[0]:
            continue
        if not con.execute("SELECT count(*) FROM app_user WHERE name = ?", [name]).fetchone()[0]:
            add_user(con, name, role, password, region, actor="demo")
        made.append((name, role, region, password))
    return made


# --------------------------------------------------------------------------------- tokens
@dataclass
class Tokens:
    """Signed session cookies and API tokens. Each carries the user, a fingerprint of the password hash, an id
    (`j`) and its expiry (`e`), so that one token can be revoked and a password change voids all of them."""

    secret: str
    store: SessionStore | None = None

    def __post_init__(self):
        self._session = URLSafeTimedSerializer(self.secret, salt="zhizao.session")
        self._api = URLSafeTimedSerializer(self.secret, salt="zhizao.api")

    @staticmethod
    def lifetime(api: bool) -> int:
        return API_TOKEN_SECONDS if api else SESSION_SECONDS

    def issue(self, name: str, password_hash: str | None, *, api: bool) -> str:
        now = time.time()
        return (self._api if api else self._session).dumps(
            {
                "u": name,
                "h": _fingerprint(password_hash),
                "j": secrets.token_urlsafe(12),
                "i": now,
                "e": now + self.lifetime(api),
            }
        )

    def read(self, token: str, *, api: bool) -> dict | None:
        """The token's content when it is genuine, unexpired and not revoked; else None."""
        try:
            data = (self._api if api else self._session).loads(token, max_age=self.lifetime(api))
        except (BadSignature, SignatureExpired):
            return None
        if not isinstance(data, dict) or not {"u", "j", "e", "i"} <= data.keys() or data["e"] < time.time():
            return None
        if self.store is not None and self.store.is_revoked(data["j"]):
            return None
        return data

    def revoke(self, token: str, *, api: bool) -> bool:
        data = self.read(token, api=api)
        if data is None or self.store is None:
            return False
        self.store.revoke(data["j"], data["e"])
        return True


class Users:
    """User look-ups for every request (cached for a few seconds) and password checks."""

    def __init__(self, wh: Warehouse, tokens: Tokens):
        self.wh, self.tokens = wh, tokens
        self._cache: cachetools.TTLCache = cachetools.TTLCache(maxsize=4096, ttl=USER_CACHE_SECONDS)
        self._verified: cachetools.LRUCache = cachetools.LRUCache(maxsize=VERIFIED_TOKENS)
        self._lock = threading.Lock()

    def get(self, name: str) -> dict | None:
        """The account as the newest snapshot has it (`Warehouse.newest`: accounts do not wait for warm caches)."""
        with self.wh.newest() as g:
            key = (g.number, name)
            with self._lock:
                hit = self._cache.get(key, _MISSING)
            if hit is not _MISSING:
                return hit
            u = self.wh.one(_ACCOUNT, [name])
        with self._lock:
            self._cache[key] = u
        return u

    def forget(self, name: str) -> None:
        with self._lock:
            for key in [k for k in list(self._cache.keys()) if k[1] == name]:
                self._cache.pop(key, None)

    def authenticate(self, name: str, password: str) -> Principal | None:
        with self.wh.newest():
            u = self.wh.one(_ACCOUNT, [name])
        if u is None:
            check_password(_DUMMY, password)  # same work whether or not the user exists
            return None
        if not check_password(u["password_hash"], password):
            return None
        return Principal(u["name"], u["role"], u["region_code"])

    def token_for(self, name: str, *, api: bool) -> str:
        u = self.get(name)
        return self.tokens.issue(name, u["password_hash"] if u else None, api=api)

    def _stamp(self) -> tuple:
        """What a verified token's verdict depends on besides the clock: the newest data generation (the account and its
        password) and the session store's version (revocations and sign-outs of every process)."""
        store = self.tokens.store
        return (self.wh.newest_number, store.version() if store is not None else None)

    def verified(self, token: str, *, api: bool) -> Principal | None:
        """The principal of a token verified earlier whose verdict still holds — same data generation, nothing
        changed in the session store since (no revocation, no sign-out, by any process), not expired — or None
        (then `from_token` decides). Costs a dictionary look-up and one SQLite `PRAGMA data_version`: no
        signature check, no query, so it may run on the event loop."""
        with self._lock:
            hit = self._verified.get((token, api))
        if hit is None:
            return None
        principal, expires, stamp = hit
        if time.time() >= expires or stamp != self._stamp():
            return None
        return principal

    def from_token(self, token: str, *, api: bool) -> Principal | None:
        """The signed-in principal of a session cookie (api=False) or bearer token, or None: the signature,
        expiry, revocation, the account (still there, same password) and sign-outs are checked — once per token
        until the data generation or the session store changes (`verified`)."""
        p = self.verified(token, api=api)
        if p is not None:
            return p
        stamp = self._stamp()  # taken before the checks: a change while they run voids the entry
        p, expires = self._check(token, api=api)
        if p is not None:
            with self._lock:
                self._verified[(token, api)] = (p, expires, stamp)
        return p

    def _check(self, token: str, *, api: bool) -> tuple[Principal | None, float]:
        data = self.tokens.read(token, api=api)
        if data is None:
            return None, 0.0
        u = self.get(data["u"])
        if u is None or data.get("h") != _fingerprint(u["password_hash"]):
            return None, 0.0
        out = self.tokens.store.signed_out_at(data["u"]) if self.tokens.store is not None else None
        if out is not None and data["i"] <= out:
            return None, 0.0
        return Principal(u["name"], u["role"], u["region_code"]), float(data["e"])

    def sign_out(self, token: str | None, *, api: bool) -> bool:
        """End one session or API token (server side: the cookie or token is refused from now on)."""
        return bool(token) and self.tokens.revoke(token, api=api)

    def end_sessions(self, name: str) -> None:
        """End every session and token of a user (on every server process sharing the store)."""
        if self.tokens.store is not None:
            self.tokens.store.sign_out_everywhere(name)
        self.forget(name)


_ACCOUNT = "SELECT name, role, region_code, password_hash FROM app_user WHERE name = ?"
_DUMMY = _hasher.hash(secrets.token_hex(8))
_MISSING = object()


# --------------------------------------------------------------------------------- rate limit
class LoginLimiter:
    """Failed sign-ins per (client, user) and per client in a sliding window, kept in the session store so
    that every server process counts the same attempts (an in-memory store when none is given)."""

    def __init__(
        self,
        failures: int = LOGIN_FAILURES,
        window: float = LOGIN_WINDOW,
        client_failures: int = CLIENT_FAILURES,
        store: SessionStore | None = None,
    ):
        self.failures, self.window, self.client_failures = failures, window, client_failures
        self.store = store or SessionStore.memory()

    @staticmethod
    def _keys(client: str, user: str) -> tuple[str, str]:
        return f"u\x1f{client}\x1f{user.lower()}", f"c\x1f{client}"

    def retry_after(self, client: str, user: str) -> int:
        """Seconds to wait before another attempt (0 = go ahead)."""
        now = time.time()
        waits = []
        for key, limit in zip(self._keys(client, user), (self.failures, self.client_failures)):
            n, first = self.store.failures(key, now - self.window)
            if n >= limit and first is not None:
                waits.append(int(self.window - (now - first)) + 1)
        return max(waits, default=0)

    def failed(self, client: str, user: str) -> None:
        self.store.fail(list(self._keys(client, user)), self.window)

    def succeeded(self, client: str, user: str) -> None:
        self.store.forget_failures(self._keys(client, user)[0])


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def csrf_ok(cookie: str | None, submitted: str | None) -> bool:
    return bool(cookie) and bool(submitted) and secrets.compare_digest(cookie, submitted)
