"""How `zhizao serve` runs the dashboard: worker processes, the snapshot watcher, and warm caches.

    zhizao serve --db zhizao.duckdb --workers 2

- The main process publishes the warehouse's first snapshot and runs the watcher (store/snapshot.Watcher) that
  publishes a new one whenever a writer (`zhizao evaluate`, `import`, `users`) has finished with the file.
- With more than one worker, uvicorn starts N processes on one socket; each builds its app with
  `web.app.from_environment` (the settings come through the ZHIZAO_SERVE_* variables the main process sets) and
  reads the current snapshot read-only. Everything a request needs beyond the snapshot is shared through files:
  sessions and sign-in limits in the session store (web/sessions.py), staged uploads in one upload folder.
- Each worker warms its caches (`warm_caches`) for every new data generation before serving it: the secondary
  suppression's cells and solutions (seconds on a large warehouse) are computed once per generation, not on a
  user's first request. The design is in docs/scale.md, "Serving while the data change".
"""

from __future__ import annotations

import os
import sys
import time

ENV_DB = "ZHIZAO_SERVE_DB"
ENV_HTTPS = "ZHIZAO_SERVE_HTTPS"
ENV_UPLOADS = "ZHIZAO_SERVE_UPLOADS"
WARM_YEARS = 2


def default_workers() -> int:
    """As many workers as the machine has cores (those this process may run on)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def say(msg: str) -> None:
    print(f"zhizao serve [{os.getpid()}]: {msg}", file=sys.stderr, flush=True)


def warm_caches(ctx) -> None:
    """Fill the caches of the generation being read (the caller pins it) that a first request would otherwise
    wait seconds for: the cells the secondary suppression ties together, and the solutions for the two newest
    data years (what the pages show by default: a year and its growth over the one before) — for the public,
    then for the scope of each district account. Older years are solved when first asked for. Every cache entry
    is keyed by the generation, so nothing carries over to the next."""
    from .access import Principal

    wh, policy = ctx.wh, ctx.policy
    t0 = time.perf_counter()
    gen = wh.generation
    disclosure = policy.disclosure
    newest = sorted(disclosure._cells(), reverse=True)[:WARM_YEARS]
    accounts = "SELECT DISTINCT region_code FROM app_user WHERE role = 'district' AND region_code IS NOT NULL"
    scopes = sorted({r["region_code"] for r in wh.rows(accounts)})
    for y in newest:
        disclosure.blanked(y, None)
    for y in newest:
        for region in scopes:
            own = policy.own(Principal(name="", role="district", region=region))
            if own:
                disclosure.blanked(y, own)
    say(f"generation {gen} warm in {time.perf_counter() - t0:.1f} s ({len(scopes)} district scope(s))")
