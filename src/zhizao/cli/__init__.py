"""The `zhizao` command line (typer + rich), one module per command group.

Each command is a thin shell over a library function; errors the user can fix are printed as one
clear message with a non-zero exit code, never a traceback.
"""

from __future__ import annotations

from importlib import import_module

from .common import app

# Command groups, in the order `zhizao --help` lists their commands; importing one registers its commands.
GROUPS = (
    "warehouse",
    "news",
    "evaluate",
    "chains",
    "specialisation",
    "clusters",
    "mujun",
    "ladder",
    "targets",
    "report",
    "web",
)
for _group in GROUPS:
    import_module(f"{__name__}.{_group}")


def main() -> None:  # console-script entry point
    app()
