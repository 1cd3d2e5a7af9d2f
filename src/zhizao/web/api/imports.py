"""Imports through the API: upload (validated and dry-run loaded), then confirm; history; error reports."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from .. import imports as I
from ..access import Principal
from ..data import import_batches
from ..deps import AUTH_RESPONSES, api_user, ctx

router = APIRouter(responses=AUTH_RESPONSES, tags=["imports"])
BAD = {400: {"description": "Not an acceptable upload, or an unknown token"}}


@router.get("/imports")
def history(request: Request, p: Principal = Depends(api_user)):
    """Import batches (admin and city: all; district users: their own)."""
    c = ctx(request)
    rows = import_batches(c.wh, c.policy, p)
    return {"rows": rows, "total": len(rows)}


@router.post("/imports", responses=BAD)
async def upload(request: Request, file: UploadFile = File(...), p: Principal = Depends(api_user)):
    """Validate an .xlsx/.csv file (the template's sheets) and report every problem (sheet, row, column, value,
    reason in Chinese and English); nothing is written. When `ok`, confirm with the returned token."""
    c = ctx(request)
    c.policy.require_import(p)
    data = await file.read()
    try:
        # validation takes seconds on a large file: in a worker thread, so other users are served meanwhile
        return await run_in_threadpool(I.stage, c.wh, c.policy, p, c.upload_dir, file.filename or "upload", data)
    except I.UploadRejected as e:
        raise HTTPException(400, str(e)) from None


@router.post("/imports/{token}/confirm", responses=BAD)
def confirm(request: Request, token: str, p: Principal = Depends(api_user)):
    """Load a validated upload in one transaction (all or nothing); written to the audit log."""
    c = ctx(request)
    try:
        return I.confirm(c.wh, c.policy, p, c.upload_dir, token)
    except I.UploadRejected as e:
        raise HTTPException(400, str(e)) from None


@router.get(
    "/imports/{token}/report",
    responses={**BAD, 404: {"description": "No report for this upload"}},
    response_class=FileResponse,
)
def report(request: Request, token: str, p: Principal = Depends(api_user)):
    """The error report of an upload (.xlsx or .csv), as `zhizao import` writes it."""
    try:
        path = I.report_path(ctx(request).upload_dir, p, token)
    except I.UploadRejected as e:
        raise HTTPException(400, str(e)) from None
    if path is None:
        raise HTTPException(404, "no error report for this upload")
    return FileResponse(path, filename=path.name)
