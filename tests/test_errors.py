"""One exception base: every error class of zhizao derives from ZhizaoError, so the CLI and the web catch one
type; the CLI turns it into one line and an exit code, never a traceback."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from typer.testing import CliRunner

import zhizao
from zhizao.cli.common import Typer
from zhizao.errors import ZhizaoError

# internal signals that never reach a user (caught where they are raised)
INTERNAL: set[str] = set()


def _all_modules():
    for m in pkgutil.walk_packages(zhizao.__path__, "zhizao."):
        if m.name.endswith("__main__"):
            continue
        yield importlib.import_module(m.name)


def test_every_exception_class_of_zhizao_is_a_zhizao_error():
    found = {}
    for mod in _all_modules():
        for name, obj in vars(mod).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == mod.__name__:
                found[f"{mod.__name__}.{name}"] = obj
    assert len(found) >= 16, sorted(found)
    stray = sorted(k for k, c in found.items() if not issubclass(c, ZhizaoError) and k not in INTERNAL)
    assert not stray, stray


def test_the_old_builtin_bases_still_hold():
    from zhizao.analytics import AnalyticsError
    from zhizao.reference import PackError
    from zhizao.store.db import WarehouseError
    from zhizao.web.data import NotFound

    assert issubclass(AnalyticsError, ValueError) and issubclass(PackError, ValueError)
    assert issubclass(WarehouseError, RuntimeError) and issubclass(NotFound, LookupError)


@pytest.mark.parametrize("code", [1, 2])
def test_a_zhizao_error_in_any_command_is_one_line_and_its_exit_code(code):
    app = Typer()

    class Broken(ZhizaoError):
        exit_code = code

    @app.command()
    def boom(name: str = "x") -> None:
        raise Broken(f"no such thing: {name}")

    @app.command()
    def other() -> None:  # two commands, so typer keeps the subcommand names
        pass

    r = CliRunner().invoke(app, ["boom", "--name", "江北"])
    assert r.exit_code == code
    assert "no such thing: 江北" in r.output and "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
