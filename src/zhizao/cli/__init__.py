"""The `zhizao` command line (typer + rich), one module per command group.

Each command is a thin shell over a library function; errors the user can fix are printed as one
clear message with a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

from .common import app

# Command groups: every module of this package (a new one needs no list), in the order `zhizao --help` lists
# their commands — building and loading first, the instruments in between, serving last. Importing one registers
# its commands.
_FIRST, _LAST = ("warehouse", "news", "evaluate"), ("report", "results", "web")
_FOUND = {m.name for m in pkgutil.iter_modules(__path__)} - {"common", "__main__"}
GROUPS = (
    *[g for g in _FIRST if g in _FOUND],
    *sorted(_FOUND - set(_FIRST) - set(_LAST)),
    *[g for g in _LAST if g in _FOUND],
)
for _group in GROUPS:
    import_module(f"{__name__}.{_group}")


def main() -> None:  # console-script entry point
    app()
