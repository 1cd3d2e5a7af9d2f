"""Imports from the web: upload → validation report → confirm. The checks and the all-or-nothing load are
ingest/tables' own (`run_import`); this module only keeps the uploaded file between the two steps.

Step 1 (`stage`) runs `run_import(..., dry_run=True)`: everything is validated and loaded inside a
transaction that is rolled back, so the report also says how many rows would be new or updated.
Step 2 (`confirm`) runs `run_import` on the same file for real; ingest/tables writes the import batch and
the audit row (who, when, what).

The staged upload lives on disk (UPLOAD_DIR/TOKEN/: the file, its error report and `staged.json` saying whose
it is), not in one process's memory: the server's worker processes share the upload folder, so the confirm
may reach another worker than the upload did.
"""

from __future__ import annotations

import contextlib
import json
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
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
STAGED = "staged.json"


class UploadRejected(ZhizaoError, ValueError):
    """An upload that cannot be taken at all (wrong kind, too large, unknown token)."""


@dataclass
class Staged:
    token: str
    user: str
    path: Path
    at: float
    ok: bool = False

    def save(self) -> None:
        doc = {"user": self.user, "file": self.path.name, "at": self.at, "ok": self.ok}
        tmp = self.path.parent / (STAGED + ".tmp")
        tmp.write_text(json.dumps(doc), encoding="utf-8")
        tmp.replace(self.path.parent / STAGED)

    @classmethod
    def load(cls, upload_dir: Path, token: str) -> Staged | None:
        if not _TOKEN.match(token or ""):
            return None
        try:
            doc = json.loads((upload_dir / token / STAGED).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return cls(token, doc["user"], upload_dir / token / Path(doc["file"]).name, float(doc["at"]), bool(doc["ok"]))


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


def _expire(upload_dir: Path, now: float) -> None:
    """Remove staged uploads older than KEEP_SECONDS (and folders of uploads that never got staged)."""
    for d in upload_dir.iterdir() if upload_dir.is_dir() else ():
        with contextlib.suppress(OSError):
            if d.is_dir() and now - d.stat().st_mtime > KEEP_SECONDS:
                shutil.rmtree(d, ignore_errors=True)


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
        _expire(upload_dir, time.time())
        Staged(token, p.name, path, time.time(), outcome.ok).save()  # kept for the report download too
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


def staged_for(upload_dir: Path, p: Principal, token: str) -> Staged:
    s = Staged.load(upload_dir, token)
    if s is None or s.user != p.name or time.time() - s.at > KEEP_SECONDS:
        raise UploadRejected("找不到该上传（已过期或不属于此账号）/ no such upload (expired, or not yours)")
    return s


def confirm(wh: Warehouse, policy: Policy, p: Principal, upload_dir: Path, token: str) -> dict:
    policy.require_import(p)
    s = staged_for(upload_dir, p, token)
    if not s.ok:
        raise UploadRejected("该文件未通过校验，不能导入 / the file did not validate; fix it and upload it again")
    with _lock:  # one confirm per upload in this process; the claim below makes it one across processes
        claim = s.path.parent / (STAGED + ".confirming")
        try:
            (s.path.parent / STAGED).rename(claim)
        except OSError:
            raise UploadRejected("该上传已确认或已过期 / this upload was already confirmed (or expired)") from None
    try:
        outcome = _run(wh, p, s.path, dry_run=False)
    except BaseException:
        claim.rename(s.path.parent / STAGED)  # not loaded: it may be confirmed again
        raise
    shutil.rmtree(s.path.parent, ignore_errors=True)
    out = _summary(outcome, None)
    out["confirmable"] = False
    return out


def report_path(upload_dir: Path, p: Principal, token: str) -> Path | None:
    s = staged_for(upload_dir, p, token)
    for cand in s.path.parent.glob("*.errors.*"):
        return cand
    return None
