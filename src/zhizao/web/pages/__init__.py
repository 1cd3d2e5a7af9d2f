"""Server-rendered pages (Jinja2). Each page's data has a JSON twin under /api/v1 (linked on the page)."""

from fastapi import APIRouter

from . import main

router = APIRouter(include_in_schema=False)
router.include_router(main.router)
static_router = main.static_router  # included by the app in front of /static
