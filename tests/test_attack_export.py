"""Attack suite, issue 14 item 9: the Parquet export behind `zhizao evaluate --engine spark` carries the
analytic tables only — never the signing secret, the demo password seed (`meta`), the accounts and their
argon2 hashes (`app_user`) or the audit log — and its files are private (0600, folders 0700)."""

from __future__ import annotations

import shutil
import stat

import pyarrow.parquet as pq
import pytest

from web_fixtures import copy_of


@pytest.fixture(scope="module")
def exported(web_base, tmp_path_factory):
    from zhizao.store import db as store
    from zhizao.store.engines import export_parquet

    d = tmp_path_factory.mktemp("export")
    path = copy_of(web_base, d)
    con = store.open_warehouse(path)
    store.set_meta(con, "web_secret", "s3cret-signing-key")  # as an older server left it
    store.set_meta(con, "demo_password_seed", "seed-for-demo-passwords")
    con.close()
    return path, export_parquet(path)


def test_no_secret_or_account_leaves_the_warehouse(exported):
    _, folder = exported
    names = {p.stem for p in folder.glob("*.parquet")}
    assert {"enterprise", "enterprise_year", "region", "cluster_industry"} <= names
    assert not {"app_user", "audit", "import_batch"} & names
    if "meta" in names:
        keys = set(pq.read_table(folder / "meta.parquet").column("key").to_pylist())
        assert not {"web_secret", "demo_password_seed"} & keys
        assert "synthetic" in keys  # what the analytics read from meta
    blob = b"".join(p.read_bytes() for p in folder.glob("*.parquet"))
    assert b"s3cret-signing-key" not in blob and b"seed-for-demo-passwords" not in blob
    assert b"$argon2" not in blob


def test_exported_files_are_private(exported):
    path, folder = exported
    root = path.with_name(path.name + ".parquet")
    for d in (root, folder):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d
    for f in folder.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def test_an_old_export_with_secrets_is_replaced(web_base, tmp_path):
    """An export made before this rule (same content version, world-readable, with app_user) is not reused."""
    from zhizao.store.engines import _export_tables, export_parquet

    path = copy_of(web_base, tmp_path)
    first = export_parquet(path)
    (first / "app_user.parquet").write_bytes(b"old")
    first.chmod(0o755)
    again = export_parquet(path)
    assert not (again / "app_user.parquet").exists()
    assert stat.S_IMODE(again.stat().st_mode) == 0o700
    assert callable(_export_tables)
    shutil.rmtree(path.with_name(path.name + ".parquet"))
