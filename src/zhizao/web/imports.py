"""Imports from the web: upload → validation report → confirm. The checks and the all-or-nothing load are
ingest/tables' own (`run_import`); this module only keeps the uploaded file between the two steps.

Step 1 (`stage`) runs `run_import(..., dry_run=True)`: everything is validated and loaded inside a
transaction that is rolled back, so the report also says how many rows would be new or updated.
Step 2 (`confirm`) runs `run_import` on the same file for real; ingest/tables writes the import batch and
the audit row (who, when, what).
"""

from __future__ import annotations

import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..errors import ZhizaoError
from ..ingest.tables import run_import
from ..ingest.tables.run import ImportRefused
from ..reference import PackError
from .access import Denied, Policy, Principal
from .warehouse import Warehouse

MAX_BYTES = 50 * 1024 * 1024
KEEP_SECONDS = 3600
ALLOWED = (".xlsx", ".csv")
_lock = threading.Lock()


class UploadRejected(ZhizaoError, ValueError):
    """An upload that cannot be taken at all (wrong kind, too large, unknown token)."""


@dataclass
class Staged:
    token: str
    user: str
    path: Path
    at: float
    ok: bool = False


_staged: dict[str, Staged] = {}


def _safe_name(name: str) -> str:
    base = Path(name or "upload").name
    base = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", base)[:120]
    return base or "upload"


def _issues(val, limit: int = 500) -> list[dict]:
    out = []
    for i in val.issues.sorted()[:limit]:
        out.append(
            {
                "sheet": i.sheet,
                "row": i.row,
                "column": i.column_letter,
                "header": i.header,
                "field": i.field,
                "value": None if i.value is None else str(i.value),
                "reason_zh": i.reason_zh,
                "reason_en": i.reason_en,
            }
        )
    return out


def _summary(outcome, token: str | None) -> dict:
    val = outcome.validation
    res = outcome.result
    return {
        "token": token,
        "ok": outcome.ok,
        "file": val.path.name,
        "sha256": val.sha256,
        "kind": val.kind,
        "rows": val.rows,
        "sheets": [{"sheet": s, "table": t} for s, t in val.sheets_used],
        "sheets_ignored": list(val.sheets_ignored),
        "notes": [{"zh": z, "en": e} for z, e in val.notes],
        "issue_total": len(val.issues),
        "issues": _issues(val),
        "counts": res.counts if res else {},
        "batch": res.batch_id if res else None,
        "previous": [
            {"batch": b, "at": a.isoformat() if hasattr(a, "isoformat") else str(a)}
            for b, a in (outcome.previous or [])
        ],
        "report": bool(outcome.report),
    }


def _expire(now: float) -> None:
    for k, s in list(_staged.items()):
        if now - s.at > KEEP_SECONDS:
            shutil.rmtree(s.path.parent, ignore_errors=True)
            _staged.pop(k, None)


def stage(wh: Warehouse, policy: Policy, p: Principal, upload_dir: Path, filename: str, data: bytes) -> dict:
    policy.require_import(p)
    name = _safe_name(filename)
    if Path(name).suffix.lower() not in ALLOWED:
        raise UploadRejected(f"只接受 .xlsx 或 .csv 文件 / only .xlsx or .csv files (got {name})")
    if len(data) > MAX_BYTES:
        raise UploadRejected(f"文件过大 / the file is larger than {MAX_BYTES // 1024 // 1024} MB")
    if not data:
        raise UploadRejected("文件为空 / the file is empty")
    token = secrets.token_urlsafe(16)
    d = upload_dir / token
    d.mkdir(parents=True, exist_ok=True)
    path = d / name
    path.write_bytes(data)
    outcome = _run(wh, p, path, dry_run=True)
    with _lock:
        _expire(time.time())
        _staged[token] = Staged(token, p.name, path, time.time(), outcome.ok)  # kept for the report download too
    s = _summary(outcome, token)
    s["confirmable"] = outcome.ok
    return s


def _run(wh: Warehouse, p: Principal, path: Path, *, dry_run: bool):
    """run_import on the warehouse file, opened for writing only for it (a dry run rolls back and publishes
    nothing; a real one publishes the snapshot this server then reads)."""
    if wh.read_only:
        raise UploadRejected("此服务器为只读，不能导入 / this server is read-only: no imports")
    with wh.write(publish=not dry_run) as cur:
        try:
            return run_import(path, cur, user=p.name, dry_run=dry_run)
        except ImportRefused as e:
            raise Denied(str(e), str(e)) from None
        except PackError as e:
            raise UploadRejected(f"政策包无法载入 / the policy pack cannot be loaded: {e}") from None
        except duckdb.Error as e:
            raise UploadRejected(
                f"数据库拒绝写入，未写入任何数据 / the warehouse refused the load, nothing was written: {e}"
            ) from None


def staged_for(p: Principal, token: str) -> Staged:
    s = _staged.get(token)
    if s is None or s.user != p.name:
        raise UploadRejected("找不到该上传（已过期或不属于此账号）/ no such upload (expired, or not yours)")
    return s


def confirm(wh: Warehouse, policy: Policy, p: Principal, token: str) -> dict:
    policy.require_import(p)
    s = staged_for(p, token)
    if not s.ok:
        raise UploadRejected("该文件未通过校验，不能导入 / the file did not validate; fix it and upload it again")
    outcome = _run(wh, p, s.path, dry_run=False)
    with _lock:
        _staged.pop(token, None)
    out = _summary(outcome, None)
    out["confirmable"] = False
    return out


def report_path(p: Principal, token: str) -> Path | None:
    s = staged_for(p, token)
    for cand in s.path.parent.glob("*.errors.*"):
        return cand
    return None
