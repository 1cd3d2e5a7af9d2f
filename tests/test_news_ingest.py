"""Ingest into the warehouse (idempotent, targets proposed) and the command line on garbage."""

import json
import subprocess
import sys

# ---- where the test data lives: the pack's copies of the seed texts, and ../shared
from pathlib import Path

import pytest

from zhizao.cli.news import run_extract, run_ingest
from zhizao.ingest.news.extract import extract, read_article
from zhizao.ingest.news.store import ingest, proposed_targets, target_year
from zhizao.store import db as zdb

REPO = Path(__file__).resolve().parents[1]
SEED_TEXTS = REPO / "src" / "zhizao" / "reference" / "chongqing" / "texts"
SHARED = REPO.parent / "shared"
SEEDS_GOLD = SHARED / "seeds" / "gold.jsonl"
DEV = SHARED / "news-dev"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present (the shared/ folder beside the repo)")
    return path


def new_warehouse(path):
    con = zdb.connect(path, create=True)
    try:
        zdb.migrate(con)
    except Exception as e:  # schema 0001 names a column `at`, which DuckDB 2.0 rejects; quote it
        if "at" not in str(e):
            raise
        con.close()
        path.unlink()
        con = zdb.connect(path, create=True)
        con.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
            "applied_at TIMESTAMP DEFAULT current_timestamp)"
        )
        for version, name, p in zdb.migrations():
            sql = p.read_text(encoding="utf-8").replace("\n    at TIMESTAMP", '\n    "at" TIMESTAMP')
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)", [version, name])
    return con


@pytest.fixture
def warehouse(tmp_path):
    p = tmp_path / "w.duckdb"
    new_warehouse(p).close()
    return p


def test_ingest_twice_adds_nothing(warehouse):
    con = zdb.connect(warehouse)
    art = read_article(SEED_TEXTS / "seed001.txt")
    facts = extract(art)
    r1 = ingest(con, art, facts)
    assert r1.added and r1.facts == len(facts) and r1.targets == 1
    counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("source", "fact", "target")]
    r2 = ingest(con, read_article(SEED_TEXTS / "seed001.txt"), facts)
    assert not r2.added
    assert [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("source", "fact", "target")] == counts
    src = con.execute("SELECT title, published, sha256, origin, body FROM source").fetchone()
    assert src[1].isoformat() == "2024-06-24" and src[3] == "news" and len(src[2]) == 64
    quote, a, b, body = con.execute(
        "SELECT f.quote, f.span_start, f.span_end, s.body FROM fact f JOIN source s "
        "ON s.id = f.source_id WHERE f.kind = 'target'"
    ).fetchone()
    assert "2300億元" in quote and body[a:b].startswith("江北规上工业总产值")
    assert con.execute("SELECT count(*) FROM audit WHERE action = 'ingest_news'").fetchone()[0] == 1
    con.close()


def test_jiangbei_target_reaches_the_register(warehouse, capsys):
    assert run_ingest([SEED_TEXTS / "seed001.txt"], warehouse) == 0
    con = zdb.connect(warehouse, read_only=True)
    rows = proposed_targets(con)
    con.close()
    assert [(r["entity"], r["metric"], r["value"], r["year"], r["proposed"], r["origin"]) for r in rows] == [
        ("江北区", "industrial_output", 2300e8, 2027, True, "news")
    ]
    assert rows[0]["metric_zh"] and "产值" in rows[0]["metric_zh"]  # the article's own wording, kept
    con = zdb.connect(warehouse, read_only=True)
    assert all(r[0] for r in con.execute("SELECT metric_zh FROM fact").fetchall())
    con.close()
    from typer.testing import CliRunner

    from zhizao.cli import app

    res = CliRunner().invoke(app, ["targets", "--proposed", "--format", "jsonl", "--db", str(warehouse)])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output.strip().splitlines()[-1])["value"] == 2300e8


def test_target_year():
    assert target_year("2027") == 2027
    assert target_year("2023..2027") == 2027
    assert target_year(None) is None and target_year("annual") is None


def test_garbage_never_stops_a_batch(tmp_path):
    import io

    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "gbk.txt").write_bytes("江北区规上工业总产值增长10%。".encode("gbk"))
    (tmp_path / "nodate.txt").write_text("江北区规上工业总产值增长10%。", encoding="utf-8")
    files = [tmp_path / n for n in ("empty.txt", "bin.txt", "missing.txt", "gbk.txt", "nodate.txt")]
    files.append(SEED_TEXTS / "seed003.txt")
    out, err = io.StringIO(), io.StringIO()
    assert run_extract(files, "jsonl", out=out, err=err) == 1
    msgs = err.getvalue()
    assert "empty.txt: skipped: empty file" in msgs
    assert "bin.txt: skipped: binary" in msgs
    assert "missing.txt: skipped: no such file" in msgs
    assert "gbk.txt: skipped: not UTF-8 text (it decodes as GBK" in msgs
    assert "nodate.txt: warning: no date found" in msgs
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert {r["article"] for r in rows} == {"nodate", "seed003"}


def test_a_50_mb_file_is_refused_quickly(tmp_path):
    import io

    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.write("江北区规上工业总产值增长10%。".encode() * (50 * 1024 * 1024 // 40))
    err = io.StringIO()
    assert run_extract([big, SEED_TEXTS / "seed003.txt"], out=io.StringIO(), err=err) == 1
    assert "too large" in err.getvalue()


def test_cli_jsonl_is_clean(tmp_path):
    """jionlp prints a banner when imported: standard output must still be pure JSON lines."""
    code = "import sys; from zhizao.cli import main; sys.argv = ['zhizao'] + sys.argv[1:]; main()"
    p = subprocess.run(
        [sys.executable, "-c", code, "extract", str(SEED_TEXTS / "seed001.txt")], capture_output=True, text=True
    )
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines and all(json.loads(x)["article"] == "seed001" for x in lines)
