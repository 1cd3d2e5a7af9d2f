"""Demo accounts: made only on synthetic warehouses, with passwords of their own per warehouse."""

from __future__ import annotations

import duckdb
import pytest

from zhizao.ingest.synth.build import build_demo
from zhizao.web import auth


@pytest.fixture(scope="module")
def two_demos(tmp_path_factory):
    d = tmp_path_factory.mktemp("demos")
    return [build_demo(d / f"{k}.duckdb", enterprises=120, seed=5, years="2023-2023").path for k in "ab"]


def test_each_demo_warehouse_has_its_own_passwords_and_none_is_in_the_code(two_demos):
    got = []
    for path in two_demos:
        con = duckdb.connect(path)
        assert all(pw is None for *_, pw in auth.demo_accounts(con))  # no seed yet: nothing to show
        made = auth.ensure_demo_accounts(con)
        again = auth.demo_accounts(con)
        con.close()
        assert made == again and {r for _, r, _, _ in made} == {"admin", "city", "district", "public"}
        got.append({n: pw for n, _, _, pw in made})
    a, b = got
    assert a.keys() == b.keys() and all(a[n] != b[n] for n in a)  # same seed, other passwords
    source = open(auth.__file__, encoding="utf-8").read()
    assert not any(pw in source for pw in a.values())


def test_a_real_warehouse_gets_no_demo_accounts(empty_warehouse):
    con = duckdb.connect(str(empty_warehouse))
    with pytest.raises(auth.UserError):
        auth.ensure_demo_accounts(con)
    con.close()
