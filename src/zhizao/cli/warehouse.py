"""`zhizao init`, `demo`, `template` and `import`: building and loading a warehouse."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from ..formats import scaled
from .common import (
    DB_OPTION,
    app,
    console,
    err,
    fail,
)


@app.command()
def init(
    db: Path = DB_OPTION, pack: str = typer.Option("chongqing", "--pack", help="Policy pack name or folder.")
) -> None:
    """Create (or migrate) a warehouse and load the policy pack into it. 建库并载入政策包。"""
    from rich.table import Table

    from ..ingest.packload import init_warehouse
    from ..reference import PackError
    from ..store.db import WarehouseError

    try:
        con, info = init_warehouse(db, pack)
    except (PackError, WarehouseError) as e:
        fail(str(e))
    con.close()
    t = Table(title=f"{db} — pack {info['pack'].info.id} {info['pack'].info.version}")
    t.add_column("table")
    t.add_column("rows", justify="right")
    for k, v in info["counts"].items():
        t.add_row(k, f"{v:,}")
    console.print(t)
    applied = info["migrations"]
    console.print(f"schema migrations applied: {applied or 'none (already current)'}")


MEASURE_ZH = {
    "output_value": "产值",
    "revenue": "营收",
    "value_added": "增加值",
    "tax": "税收",
    "fixed_investment": "工业投资",
    "tech_renovation_investment": "技改投资",
    "rd_expense": "研发",
}


def print_demo_report(rep) -> None:
    from rich.panel import Panel
    from rich.table import Table

    console.print(
        Panel.fit(
            "[bold]演示数据为合成数据 SYNTHETIC DEMO DATA[/]\n"
            "Real districts and cluster taxonomy; invented enterprises (names marked （演示）, "
            "synthetic credit codes).\n"
            "Totals are calibrated to the published figures listed below.",
            border_style="yellow",
        )
    )
    t = Table(title="warehouse 数据库", show_header=False)
    for k, v in rep.rows.items():
        t.add_row(k, f"{v:,}")
    console.print(t)
    c = Table(title="calibration 校准: published figures the demo reproduces")
    for col in ("year", "scope 范围", "published 公布", "demo 演示", "Δ"):
        c.add_column(col, justify="right" if col in ("published 公布", "demo 演示", "Δ") else "left", overflow="fold")
    notes: list[str] = []
    for r in rep.calibration:
        if r["is_share"]:
            pub, got = f"{r['published']:.4g}%", f"{r['achieved']:.4g}%"
            delta = f"{r['achieved'] - r['published']:+.2g}pp"
        else:
            pub, got = scaled(r["published"]), scaled(r["achieved"])
            delta = f"{(r['achieved'] - r['published']) / r['published']:+.2%}"
        q = {"over": "超", "at_least": "≥", "about": "约"}.get(r["qualifier"] or "", "")
        scope = f"{r['scope']} {MEASURE_ZH.get(r['measure'], r['measure'])}"
        if r["basis"]:
            notes.append(r["basis"])
            scope += f" [{len(notes)}]"
        c.add_row(str(r["year"]), scope, q + pub, got, delta)
    console.print(c)
    for k, n in enumerate(notes, 1):
        console.print(f"  [{k}] {n}", style="dim")
    h = Table(title="honours 荣誉: published counts (and assumed shares)")
    for col in ("honour", "region", "when", "wanted", "demo"):
        h.add_column(col, justify="right" if col in ("wanted", "demo") else "left")
    for r in rep.honours:
        when = f"end {r['as_of']}" if r["as_of"] else f"in {r['year']}"
        who = f"{r['kind']} ({r['level']})" + ("" if r["published"] else " *")
        h.add_row(who, r["region"] or "全市", when, f"{r['wanted']:,}", f"{r['given']:,}")
    console.print(h)
    console.print(
        "  * an assumed share of firms, not a published count; demo < wanted when too few firms qualify", style="dim"
    )
    console.print(
        f"chains 产业链: {rep.chains['leaders']} chain leaders, {rep.chains['supplier_pairs']:,} "
        f"leader–supplier pairs; firm-years under the above-scale revenue threshold: "
        f"{rep.below_threshold_share:.1%}"
    )
    console.print(
        f"built {rep.enterprises:,} enterprises × {len(rep.years)} years in {rep.seconds:.1f} s, "
        f"peak memory {rep.peak_rss_mb:,.0f} MB → {rep.path}"
    )


@app.command()
def demo(
    db: Path = DB_OPTION,
    enterprises: Optional[int] = typer.Option(
        None, "--enterprises", help="Number of synthetic enterprises (default from the pack: 8000)."
    ),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed; same seed, same warehouse."),
    years: Optional[str] = typer.Option(None, "--years", help="Years to generate, e.g. 2019-2025."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Build and summarise only."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild even if a matching demo exists."),
    pack: str = typer.Option("chongqing", "--pack", help="Policy pack name or folder."),
    fmt: str = typer.Option(
        "duckdb",
        "--format",
        help="duckdb (a warehouse file, --db) or parquet (a folder of Parquet files for Spark, --out; the "
        "firm-years stream to one folder per year in bounded memory).",
    ),
    out: Optional[Path] = typer.Option(None, "--out", help="With --format parquet: the folder to write."),
) -> None:
    """Build the synthetic demo warehouse (if missing) and run the main job. 生成演示数据库。"""
    if fmt not in ("duckdb", "parquet"):
        fail(f"unknown --format {fmt!r} (choose duckdb or parquet)")
    if fmt == "parquet":
        if out is None:
            fail("--format parquet needs --out DIR (the folder to write the Parquet warehouse to)")
        _demo_parquet(out, pack, enterprises, seed, years)
        return
    if out is not None:
        fail("--out is for --format parquet; a DuckDB warehouse is written to --db FILE")

    from ..ingest.synth.build import build_demo, demo_params, parse_years
    from ..ingest.synth.calibrate import CalibrationError
    from ..reference import PackError, load_pack
    from ..store import db as store

    try:
        p = load_pack(pack)
        cfg = p.demo
        if cfg is None:
            fail(f"pack {p.info.id} has no demo.yaml")
        want = demo_params(
            p, enterprises or cfg.enterprises, cfg.seed if seed is None else seed, parse_years(years or cfg.years)
        )
    except (PackError, ValueError) as e:
        fail(str(e))
    if db.exists() and not rebuild:
        try:
            con = store.connect(db, read_only=True)
            have = store.get_meta(con, "demo_params") if store.schema_version(con) else None
            synthetic = store.get_meta(con, "synthetic") if have else None
            con.close()
        except Exception as e:  # noqa: BLE001 - any unreadable file is reported, not overwritten
            fail(f"{db} exists and is not a readable warehouse ({e}); remove it or choose another --db")
        if not synthetic:
            fail(f"{db} exists and is not a demo warehouse; refusing to overwrite it (choose another --db)")
        if json.loads(have) == want:
            con = store.connect(db)
            applied = store.migrate(con)  # an older zhizao's demo gains the newer tables
            con.close()
            if applied:
                console.print(f"migrated {db} to schema version {applied[-1]}")
            console.print(
                f"[green]demo warehouse {db} is up to date[/] ({want['enterprises']:,} enterprises, "
                f"seed {want['seed']}, {want['years']}); use --rebuild to build it again."
            )
            _after_demo(db, no_serve)
            return
    elif db.exists():
        con = store.connect(db, read_only=True)
        synthetic = store.get_meta(con, "synthetic") if store.schema_version(con) else None
        con.close()
        if not synthetic:
            fail(f"{db} is not a demo warehouse; refusing to overwrite it")
    try:
        with _stage_progress() as on:
            rep = build_demo(db, pack, enterprises=enterprises, seed=seed, years=years, progress=on)
    except (PackError, CalibrationError, ValueError, store.WarehouseError) as e:
        fail(str(e))
    print_demo_report(rep)
    _after_demo(db, no_serve)


def _demo_parquet(out: Path, pack: str, enterprises: Optional[int], seed: Optional[int], years: Optional[str]) -> None:
    """`zhizao demo --format parquet --out DIR`: the demo as a Parquet warehouse (no dashboard: it serves
    DuckDB files). Always builds; an existing folder is replaced only if it is a zhizao Parquet warehouse."""
    import duckdb

    from ..ingest.synth.build import build_demo
    from ..ingest.synth.calibrate import CalibrationError
    from ..reference import PackError
    from ..store import db as store

    try:
        with _stage_progress() as on:
            rep = build_demo(out, pack, enterprises=enterprises, seed=seed, years=years, progress=on, fmt="parquet")
    except (PackError, CalibrationError, ValueError, store.WarehouseError, OSError) as e:
        fail(str(e))
    except duckdb.Error as e:  # out of memory or disk while staging: say so, no traceback
        fail(f"the Parquet demo could not be built in {out}: {str(e).splitlines()[0]}")
    print_demo_report(rep)
    console.print(
        f"Parquet warehouse [bold]{out}[/]: run the analytics with "
        f"`zhizao evaluate --engine spark --warehouse {out}` (or --engine duckdb)"
    )


@contextmanager
def _stage_progress():
    """A progress bar per build stage on stderr; yields the `progress(stage, done, total)` callback build_demo takes."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        tasks: dict[str, int] = {}

        def on(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield on


def _after_demo(db: Path, no_serve: bool) -> None:
    """The end of `zhizao demo` (unless --no-serve): evaluate the latest year if no results exist yet, then
    serve the dashboard with the demo accounts (synthetic warehouses only)."""
    if no_serve:
        return
    from .evaluate import evaluate
    from .web import needs_evaluation, run_server

    if needs_evaluation(db):
        console.print("running the analytics for the latest year (zhizao evaluate) …")
        try:
            evaluate(db=db, year=None, engine="duckdb", master=None, as_json=False)
        except typer.Exit as e:
            if e.exit_code:
                err.print("[yellow]warning:[/] the analytics did not run; pages will say 'not evaluated yet'")
    run_server(db, "127.0.0.1", 8000, demo_accounts=True)


@app.command()
def template(
    out: Path = typer.Option(Path("zhizao-import-template.xlsx"), "--out", "-o", help="Workbook to write (.xlsx)."),
    pack: str = typer.Option("chongqing", "--pack", help="Policy pack for the dropdown lists."),
) -> None:
    """Write the Excel import template (enterprises, yearly figures, honours, targets). 生成导入模板。"""
    from ..ingest.tables import write_template
    from ..reference import PackError, load_pack

    if out.suffix.lower() != ".xlsx":
        fail(f"--out must end in .xlsx (got {out.name}) / 模板文件名须以 .xlsx 结尾")
    try:
        p = load_pack(pack)
    except PackError as e:
        err.print(f"[yellow]warning:[/] policy pack not loaded ({e}); the template has no region/industry lists")
        p = None
    try:
        path = write_template(out, p)
    except OSError as e:
        fail(f"cannot write {out}: {e}")
    console.print(
        f"模板已生成 template written: [bold]{path}[/]  (sheets: 说明, 企业名录, 企业年度数据, 企业荣誉, 目标, "
        f"示例, 代码表; row 1 Chinese header, row 2 field name, row 3 units, data from row 4)"
    )


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="An .xlsx workbook (any of the template's sheets) or a .csv file."),
    db: Path = DB_OPTION,
    sheet: Optional[str] = typer.Option(None, "--sheet", help="Import only this sheet of the workbook."),
    table: Optional[str] = typer.Option(
        None,
        "--table",
        help="Which table a CSV holds (enterprises, enterprise_year, honours, targets) when the header does not tell.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check and load inside a transaction, then roll back: nothing is written."
    ),
    report: Optional[Path] = typer.Option(
        None,
        "--report",
        help="Where to write the report (.xlsx or .csv); default on errors: FILE.errors.xlsx/.csv next to the input.",
    ),
    user: Optional[str] = typer.Option(None, "--user", help="Who is importing (recorded in the audit log)."),
) -> None:
    """Validate an Excel/CSV file completely, then load it in one transaction — or nothing. 导入数据。"""
    import duckdb

    from ..ingest.tables import run_import
    from ..ingest.tables.report import print_issues, print_summary
    from ..ingest.tables.run import ImportRefused
    from ..reference import PackError
    from ..store import db as store

    if not file.exists():
        fail(f"找不到文件 no such file: {file}")
    try:
        con = store.open_warehouse(db)
    except store.WarehouseError as e:
        fail(str(e))
    try:
        outcome = run_import(file, con, sheet=sheet, table=table, dry_run=dry_run, report=report, user=user)
    except PackError as e:
        fail(f"policy pack cannot be loaded / 政策包无法载入: {e}")
    except ImportRefused as e:
        fail(str(e))
    except duckdb.Error as e:
        fail(f"the warehouse refused the load, nothing was written / 数据库拒绝写入，未写入任何数据: {e}")
    finally:
        con.close()
    if not outcome.ok:
        print_issues(err, outcome.validation, outcome.report)
        raise typer.Exit(1)
    print_summary(console, outcome.validation, outcome.result)
    if outcome.previous:
        bid, at = outcome.previous[-1]
        console.print(
            f"[yellow]注意[/] 相同内容的文件已于 {at:%Y-%m-%d %H:%M} 导入（{bid}）；本次按键更新 / "
            f"the same content was imported before ({bid}); rows were upserted again"
        )
    if outcome.report:
        console.print(f"报告 report: {outcome.report}")


# ---------------------------------------------------------------------------------------- news reader
