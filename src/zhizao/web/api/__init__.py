"""The JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json)."""

from fastapi import APIRouter

from . import auth, core, imports, reports, results

router = APIRouter()
router.include_router(auth.router)
router.include_router(core.router)
router.include_router(results.router)
router.include_router(imports.router)
router.include_router(reports.router)
