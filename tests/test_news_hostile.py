"""Hostile pages for the reader (issue 14, item 15): time and memory stay linear in the page size, and a
file that still takes too long is skipped with a message while the rest of the batch is read.

Each page is read in a child process with a wall-clock limit, so that a reader that hangs fails the test
instead of hanging the suite. The budgets are generous, for a shared and busy machine: the pages take one
to four seconds each on a quiet core when the reader is linear; the quadratic reader of 2026-11 took over
120 s on `many_tags` and over 300 s on `nested_divs`.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap

import pytest

FACT = "<p>2024年1至5月,沙坪坝区技改投资增长19.7%。</p>"

PAGES = {
    # 100,000 nested <div> (about 1.1 MB)
    "nested_divs": "<html><body>" + "<div>" * 100_000 + FACT + "</div>" * 100_000 + "</body></html>",
    # 40,000 flat tags of several kinds, with entities and comments between them
    "many_tags": "<html><body>"
    + "".join(f'<span class="c{i}">x&amp;</span><br/><!-- {i} -->' for i in range(40_000))
    + FACT
    + "</body></html>",
    # script, comment and style openings that are never closed
    "unclosed_blocks": "<html><body>" + FACT + "<script>var a=1;<!-- <style>" * 30_000 + "</body></html>",
    # block tags that never close their bracket
    "unclosed_brackets": "<html><body>" + FACT + "<div class='x' " * 60_000 + "</body></html>",
    # a run of three million spaces in a plain text (each space used to look ahead over all the others)
    "long_spaces": "2024年1至5月,沙坪坝区技改投资增长19.7%。" + " " * 3_000_000 + "完。",
}

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from zhizao.ingest.news.extract import extract, read_article
    from zhizao.ingest.news.reader import default_reader
    default_reader().gazetteer  # the place tables are loaded once per process; not part of a page's budget
    data = open(sys.argv[1], "rb").read()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    art = read_article(data=data, article_id="hostile")
    facts = extract(art)
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base  # KiB on Linux
    print(json.dumps({"seconds": elapsed, "peak_mb": peak / 2**10,
                      "facts": [(f.entity, f.metric, f.value) for f in facts]}))
    """
)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_hostile_page_is_read_in_linear_time_and_memory(tmp_path, name):
    page = tmp_path / f"{name}.html"
    page.write_text(PAGES[name], encoding="utf-8")
    size_mb = page.stat().st_size / 2**20
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(page)], capture_output=True, text=True, timeout=240, check=True
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: reading a {size_mb:.1f} MB page took over 240 s")
    r = json.loads(done.stdout.strip().splitlines()[-1])
    assert r["seconds"] < 60, (name, r["seconds"])
    # the growth of the process's peak memory: a few hundred bytes of bookkeeping per byte of the page at
    # most, not a table per pair of tags
    assert r["peak_mb"] < 300 * size_mb + 50, (name, r["peak_mb"])
    assert ["沙坪坝区", "tech_renovation_investment_growth", 19.7] in [list(x) for x in r["facts"]]


def test_a_file_over_the_time_limit_is_skipped_and_the_batch_goes_on(tmp_path, monkeypatch):
    from zhizao.cli.news import run_extract
    from zhizao.ingest.news import batch

    slow = tmp_path / "slow.txt"
    slow.write_text("2024年1至5月,沙坪坝区技改投资增长19.7%。", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("2024年1至5月,沙坪坝区工业投资增长8.2%。", encoding="utf-8")
    real = batch.read_article

    def stuck(path, **kw):
        if "slow" in str(path):
            while True:  # a page the reader cannot finish (a stand-in for the next unknown pathology)
                pass
        return real(path, **kw)

    monkeypatch.setattr(batch, "read_article", stuck)
    out, err = io.StringIO(), io.StringIO()
    code = run_extract([slow, good], "jsonl", out=out, err=err, time_limit=1.0)
    assert code == 1
    assert "slow.txt: skipped: took longer than 1 s" in err.getvalue()
    facts = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(f["article"], f["metric"], f["value"]) for f in facts] == [("good", "industrial_investment_growth", 8.2)]


def test_time_limit_must_be_positive(tmp_path):
    from zhizao.cli.news import run_extract

    f = tmp_path / "a.txt"
    f.write_text("2024年1至5月,沙坪坝区技改投资增长19.7%。", encoding="utf-8")
    err = io.StringIO()
    assert run_extract([f], "jsonl", out=io.StringIO(), err=err, time_limit=0) == 2
    assert "--time-limit" in err.getvalue()
