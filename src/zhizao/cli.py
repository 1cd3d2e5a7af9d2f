"""The `zhizao` command line (typer + rich).

Each command is a thin shell over a library function; errors the user can fix are printed as one
clear message with a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .formats import scaled

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="智造 zhizao — manufacturing cluster system warehouse, analytics and reports.",
)
console = Console()
err = Console(stderr=True)

DB_OPTION = typer.Option(Path("zhizao.duckdb"), "--db", help="Warehouse file (DuckDB).")


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


@app.command()
def init(
    db: Path = DB_OPTION, pack: str = typer.Option("chongqing", "--pack", help="Policy pack name or folder.")
) -> None:
    """Create (or migrate) a warehouse and load the policy pack into it. 建库并载入政策包。"""
    from rich.table import Table

    from .ingest.packload import init_warehouse
    from .reference import PackError
    from .store.db import WarehouseError

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
            "Real districts and cluster taxonomy; invented enterprises (names marked （演示）, synthetic credit codes).\n"
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
        who = f"{r['kind']} ({r['level']})" + (
            ""
            if r["basis"].startswith(("cq-", "jiangbei", "wanzhou", "fuling"))
            and not r["basis"].startswith("assumption")
            else " *"
        )
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
) -> None:
    """Build the synthetic demo warehouse (if missing) and run the main job. 生成演示数据库。"""
    import json

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .ingest.synth.build import build_demo, demo_params, parse_years
    from .ingest.synth.calibrate import CalibrationError
    from .reference import PackError, load_pack
    from .store import db as store

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
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress:
            tasks: dict[str, int] = {}

            def on(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(stage, total=total)
                progress.update(tasks[stage], completed=done, total=total)

            rep = build_demo(db, pack, enterprises=enterprises, seed=seed, years=years, progress=on)
    except (PackError, CalibrationError, ValueError, store.WarehouseError) as e:
        fail(str(e))
    print_demo_report(rep)
    _after_demo(db, no_serve)


def _after_demo(db: Path, no_serve: bool) -> None:
    """The end of `zhizao demo` (unless --no-serve): evaluate the latest year if no results exist yet, then
    serve the dashboard with the demo accounts (synthetic warehouses only)."""
    if no_serve:
        return
    from .web.commands import needs_evaluation

    if needs_evaluation(db):
        console.print("running the analytics for the latest year (zhizao evaluate) …")
        try:
            evaluate(db=db, year=None, engine="duckdb", master=None)
        except typer.Exit as e:
            if e.exit_code:
                err.print("[yellow]warning:[/] the analytics did not run; pages will say 'not evaluated yet'")
    from .web.commands import serve as _serve

    _serve(db, "127.0.0.1", 8000, console=console, fail=fail, demo_accounts=True)


@app.command()
def template(
    out: Path = typer.Option(Path("zhizao-import-template.xlsx"), "--out", "-o", help="Workbook to write (.xlsx)."),
    pack: str = typer.Option("chongqing", "--pack", help="Policy pack for the dropdown lists."),
) -> None:
    """Write the Excel import template (enterprises, yearly figures, honours, targets). 生成导入模板。"""
    from .ingest.tables import write_template
    from .reference import PackError, load_pack

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

    from .ingest.tables import run_import
    from .ingest.tables.report import print_issues, print_summary
    from .ingest.tables.run import ImportRefused
    from .reference import PackError
    from .store import db as store

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
def _date_option(value: Optional[str]):
    import datetime as _dt

    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--published wants a date like 2024-06-24, not {value!r}")


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Article files (plain text or HTML, UTF-8)."),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl (one fact per line) or table."),
    published: Optional[str] = typer.Option(
        None, "--published", help="Article date YYYY-MM-DD when the text carries none."
    ),
    encoding: Optional[str] = typer.Option(
        None, "--encoding", help="Read the files in this encoding (default UTF-8), e.g. gb18030."
    ),
):
    """Read news articles and print the facts they state (value, period, kind, exact quote)."""
    from zhizao.ingest.news.commands import run_extract

    raise typer.Exit(run_extract(files, format, _date_option(published), encoding))


@app.command()
def ingest(
    files: list[Path] = typer.Argument(..., help="Article files to file in the warehouse."),
    db: Path = DB_OPTION,
    published: Optional[str] = typer.Option(None, "--published", help="Article date YYYY-MM-DD."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="File encoding (default UTF-8)."),
):
    """Store articles as sources with their facts; targets they set are proposed to the register."""
    from zhizao.ingest.news.commands import run_ingest

    raise typer.Exit(run_ingest(files, db, _date_option(published), encoding))


# ------------------------------------------------------------------------------------------ analytics
ENGINE_OPTION = typer.Option("duckdb", "--engine", help="Where analytics run: duckdb (default) or spark.")
MASTER_OPTION = typer.Option(None, "--master", help="Spark master URL (default local[*]).")
YEAR_OPTION = typer.Option(None, "--year", help="Year to evaluate (default: the latest in the warehouse).")
JSON_OPTION = typer.Option(False, "--json", help="Print the result as JSON instead of a table.")


def open_context(db: Path, year: Optional[int], engine: str = "duckdb", master: Optional[str] = None, **options):
    """An analytics Context, or a clear error and exit code 2 for input the user can fix."""
    from .analytics import AnalyticsError, Context
    from .reference import PackError
    from .store.db import WarehouseError
    from .store.engines import EngineError

    try:
        return Context.open(db, year, engine=engine, master=master, **options)
    except (AnalyticsError, WarehouseError, EngineError, PackError) as e:
        fail(str(e), code=2)


@contextlib.contextmanager
def analytics_context(db: Path, year: Optional[int], engine: str = "duckdb", master: Optional[str] = None, **options):
    """`open_context` for one command's work: the instrument's errors become a clear message and exit code 2,
    and the context is closed whatever happens."""
    from .analytics import AnalyticsError

    ctx = open_context(db, year, engine, master, **options)
    try:
        yield ctx
    except AnalyticsError as e:
        fail(str(e), code=2)
    finally:
        ctx.close()


def show(rows, as_json: bool, title: str = "", limit: int | None = 50) -> None:
    """Print a pyarrow table as a rich table (first `limit` rows) or, with --json, all rows as JSON."""
    import json
    import math

    from rich.table import Table

    if as_json:

        def clean(v):
            if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
                return None
            return v

        data = [{k: clean(v) for k, v in r.items()} for r in rows.to_pylist()]
        typer.echo(json.dumps(data, ensure_ascii=False, default=str, indent=None))
        return
    t = Table(title=title or None)
    for name in rows.column_names:
        t.add_column(name, overflow="fold")
    for r in rows.slice(0, limit if limit else rows.num_rows).to_pylist():
        t.add_row(*[_fmt(v) for v in r.values()])
    console.print(t)
    if limit and rows.num_rows > limit:
        console.print(f"… {rows.num_rows - limit:,} more rows (--json prints all)", style="dim")


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        if v != v:
            return "—"
        a = abs(v)
        return f"{v:,.0f}" if a >= 1e4 else f"{v:,.4g}"
    return str(v)


@app.command()
def evaluate(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
) -> None:
    """Run every analytics instrument for a year and store the results. 运行全部分析并存储结果。"""
    import time

    from rich.table import Table

    from .analytics import AnalyticsError, available
    from .store import db as store
    from .store import results

    ctx = open_context(db, year, engine, master)
    instruments = available()
    if not instruments:
        ctx.close()
        fail("no analytics instruments are installed")
    produced: dict[str, tuple[dict, float]] = {}
    try:
        for ins in instruments:
            t0 = time.perf_counter()
            with console.status(f"{ins.name} …"):
                try:
                    tables = ins.evaluate(ctx)
                except AnalyticsError as e:
                    ctx.close()
                    fail(f"{ins.name}: {e}", code=2)
            produced[ins.name] = (tables, time.perf_counter() - t0)
    finally:
        ctx.close()
    con = store.open_warehouse(db)
    try:
        run = results.start_run(
            con, "evaluate", engine=engine, year=ctx.year, params={"instruments": [i.name for i in instruments]}
        )
        summary = {}
        for ins in instruments:
            tables, secs = produced[ins.name]
            for name, rows in tables.items():
                results.save(con, name, run, ctx.year, rows)
            summary[ins.name] = {"seconds": round(secs, 2), **{k: v.num_rows for k, v in tables.items()}}
        results.finish_run(con, run, summary=summary)
    finally:
        con.close()
    t = Table(title=f"evaluate {ctx.year} on {engine} — run {run}")
    for col in ("instrument", "result", "seconds"):
        t.add_column(col)
    for ins in instruments:
        tables, secs = produced[ins.name]
        t.add_row(ins.name, ins.summarise(tables), f"{secs:.1f}")
    console.print(t)


# ------------------------------------------------------------------------------------------ chains
_CHAIN_COLUMNS = {
    "chains": [
        "chain_id",
        "chain_name",
        "scope",
        "nodes",
        "firms",
        "output",
        "covered",
        "thin",
        "gap",
        "counties_on_chain",
        "leaders",
        "local_supply_rate",
    ],
    "leaders": [
        "chain_id",
        "leader",
        "leader_name",
        "region_name",
        "purchases",
        "suppliers",
        "local_rate",
        "group_rate",
        "core_suppliers",
        "core_same_county",
        "core_same_group",
    ],
    "nodes": [
        "node_id",
        "node_name",
        "stage",
        "firms",
        "leaders",
        "output",
        "node_share",
        "expected_share",
        "status",
        "thin_rule",
        "extend",
        "firms_city",
    ],
    "counties": ["region_code", "region_name", "firms", "output", "covered", "thin", "gap", "extend"],
    "coverage": [
        "chain_id",
        "node_name",
        "stage",
        "firms",
        "leaders",
        "output",
        "node_share",
        "expected_share",
        "status",
        "thin_rule",
        "extend",
    ],
    "recruitment": ["rank", "chain_id", "node_name", "action", "shortfall", "reason"],
    "leader": [
        "chain_id",
        "leader_name",
        "region_name",
        "region_group",
        "purchases",
        "suppliers",
        "local_rate",
        "group_rate",
        "core_suppliers",
        "core_same_county",
        "core_same_group",
    ],
    "suppliers": [
        "chain_id",
        "node_name",
        "stage",
        "supplier_region_name",
        "same_county",
        "same_group",
        "suppliers",
        "amount",
        "share",
    ],
}


_CHAIN_MONEY = {"output", "shortfall", "purchases", "amount", "expected_output"}
_CHAIN_RATES = {"local_supply_rate", "node_share", "expected_share", "local_rate", "group_rate", "share"}


def _chain_display(rows, columns):
    """Console view: the chosen columns, money in 亿 yuan, shares in per cent."""
    import pyarrow as pa

    cols = [c for c in columns if c in rows.column_names]
    out = {}
    for c in cols:
        vals = rows.column(c).to_pylist()
        if c in _CHAIN_MONEY:
            out[c + " (亿)"] = [None if v is None or v != v else f"{v / 1e8:,.2f}" for v in vals]
        elif c in _CHAIN_RATES:
            out[c] = [None if v is None or v != v else f"{v:.1%}" for v in vals]
        else:
            out[c] = vals
    return pa.table(out) if out else rows


@app.command()
def chains(
    db: Path = DB_OPTION,
    chain: Optional[str] = typer.Option(None, "--chain", help="A chain id (default: a summary of every chain)."),
    region: Optional[str] = typer.Option(
        None, "--region", help="A county or region group, by code or name: its coverage and ranked 招商 list."
    ),
    leader: Optional[str] = typer.Option(None, "--leader", help="A chain leader's USCC: its supplier network."),
    year: Optional[int] = YEAR_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    region_map: str = typer.Option(
        "recorded",
        "--map",
        help="Region map: recorded (as the firms were "
        "recorded) or current (merged districts roll up into their successor).",
    ),
    limit: int = typer.Option(30, "--limit", help="Rows per table on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Industry chains: 补链 gaps, 强链 thin nodes, 延链 next steps, 链主 supplier networks, ranked 招商 lists.
    产业链补链强链延链与链主配套分析。"""
    import json
    import math

    from .analytics import chains as ch

    with analytics_context(db, year, engine, master, region_map=region_map) as ctx:
        views = ch.view(ctx, chain=chain, region=region, leader=leader)
        synthetic = ch.synthetic_firms(ctx)
    if as_json:

        def clean(v):
            return None if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v

        typer.echo(
            json.dumps(
                {key: [{k: clean(v) for k, v in r.items()} for r in rows.to_pylist()] for key, _, rows in views},
                ensure_ascii=False,
                default=str,
            )
        )
        return
    for key, title, rows in views:
        show(_chain_display(rows, _CHAIN_COLUMNS.get(key, rows.column_names)), False, title=title, limit=limit)
    note = f"region map: {region_map}; year {ctx.year}"
    if synthetic:
        note += f"; SYNTHETIC demo data: {synthetic:,} invented firms (synthetic = true, names marked （演示）)"
    console.print(note, style="dim")


# ------------------------------------------------------------------------------------------ specialisation
def _show_many(tables: dict, as_json: bool, titles: dict, limit: int | None = 50) -> None:
    """Several result tables: rich tables one after another, or with --json one object keyed by name."""
    import json
    import math

    if as_json:
        clean = lambda v: None if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v
        typer.echo(
            json.dumps(
                {k: [{c: clean(v) for c, v in r.items()} for r in t.to_pylist()] for k, t in tables.items()},
                ensure_ascii=False,
                default=str,
            )
        )
        return
    for k, t in tables.items():
        show(_readable(t), False, titles.get(k, k), limit)


def _readable(t):
    """Display copy of a result table: money in 亿/万, shares in %, ratios to 2 decimals, short names."""
    import pyarrow as pa

    money_cols = {"value", "value_base", "change", "city_growth", "industry_mix", "competitive", "region_value"}
    pct = {"region_share", "city_share", "cagr", "strong_share"}
    ratio = {
        "lq",
        "lq_change",
        "lq_base",
        "score",
        "feasibility",
        "attractiveness",
        "rca",
        "density",
        "pci",
        "cog",
        "eci",
        "coi",
        "tier_score",
        "target_score",
    }
    rename = {
        "region_name": "region",
        "region_code": "code",
        "region_share": "share",
        "lq_change": "ΔLQ",
        "city_growth": "city growth",
        "industry_mix": "industry mix",
        "competitive": "competitive",
        "strong_clusters": "strong",
        "significant_clusters": "signif.",
        "qualifying_clusters": "qualif.",
        "strong_share": "in strong",
        "strong_list": "strong clusters",
        "value_base": "base",
    }
    cols, names = [], []
    for c in t.column_names:
        if c == "region_code" and "region_name" in t.column_names and "code" in t.column_names:
            continue
        v = t.column(c).to_pylist()
        if c in money_cols:
            v = [scaled(x) if x is not None and x == x else None for x in v]
        elif c in pct:
            v = [f"{x:.1%}" if x is not None and x == x else None for x in v]
        elif c in ratio:
            v = [f"{x:.2f}" if x is not None and x == x else None for x in v]
        cols.append(pa.array(v))
        names.append(rename.get(c, c))
    return pa.Table.from_arrays(cols, names=names)


@app.command()
def specialisation(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    level: str = typer.Option("county", "--level", help="Region level: county or group."),
    by: str = typer.Option("cluster", "--by", help="Units: cluster (the city system) or industry."),
    region: Optional[str] = typer.Option(None, "--region", help="One region (code or name)."),
    base_year: Optional[int] = typer.Option(
        None, "--base-year", help="Base year of growth and shift-share (default: 5 years back)."
    ),
    measure: str = typer.Option("output_value", "--measure", help="output_value, value_added, revenue or employees."),
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Location quotients, cluster strength flags (US Cluster Mapping rules), portfolios, shift-share. 专业化分析。"""
    from .analytics.specialisation import LEVELS, UNITS, command_tables

    if level not in LEVELS:
        fail(f"unknown level {level!r} (choose {' or '.join(LEVELS)})", code=2)
    if by not in UNITS:
        fail(f"unknown unit {by!r} (choose {' or '.join(UNITS)})", code=2)
    with analytics_context(db, year, engine, master, base_year=base_year, measure=measure) as ctx:
        tables = command_tables(ctx, level=level, by=by, region=region)
    if not as_json:
        console.print(
            "LQ = (x_ru/x_r)/(X_u/X) on " + measure + "; strong = LQ ≥ Q75 and ≥ 1, firms and "
            "value > Q25 (regions of the same level); shift-share: city growth + industry mix + "
            "competitiveness = change.",
            style="dim",
        )
    _show_many(
        tables,
        as_json,
        {
            "specialisation": f"specialisation {ctx.year} by {by} ({level})",
            "portfolio": f"cluster portfolio {ctx.year} ({level})",
            "shift_share": "shift-share (classic: Dunn; dynamic: Barff & Knight)",
        },
        limit=None if region else 50,
    )


# ------------------------------------------------------------------------------------------ opportunities
@app.command()
def opportunities(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    region: Optional[str] = typer.Option(None, "--region", help="One region (code or name)."),
    profile: Optional[str] = typer.Option(
        None,
        "--profile",
        help="Weight profile (balanced, low_hanging_fruit, long_jumps, policy_priority, frontier, atlas_*).",
    ),
    by: str = typer.Option("all", "--by", help="Candidates: industry, cluster or all."),
    top: int = typer.Option(10, "--top", help="Candidates per region and kind (0 = all)."),
    matrix: Optional[Path] = typer.Option(
        None, "--matrix", help="A CSV (region,industry,value): compute from it, no warehouse."
    ),
    reference: Optional[Path] = typer.Option(
        None, "--reference", help="A larger CSV matrix (region,industry,value) to take proximity from."
    ),
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Relatedness and complexity (RCA, ECI/PCI, density, COG) and ranked industries/clusters to grow. 增长机会。"""
    from .analytics import AnalyticsError
    from .analytics import complexity as cx

    if matrix is not None:
        try:
            cells = cx.matrix_table(matrix, reference=reference)
        except AnalyticsError as e:
            fail(str(e), code=2)
        show(cells, as_json, f"complexity of {matrix.name}: {cells.num_rows:,} region × industry cells")
        return
    if profile is not None and profile not in cx.PROFILES:
        fail(f"unknown profile {profile!r} (choose {', '.join(cx.PROFILES)})", code=2)
    with analytics_context(
        db, year, engine, master, profile=profile, reference=str(reference) if reference else None
    ) as ctx:
        rec, reg = cx.command_table(ctx, region=region, by=by, top=top)
    if as_json:
        show(rec, True)
        return
    prof = profile or cx.DEFAULT_PROFILE
    w = cx.PROFILES[prof]
    console.print(
        f"profile {prof}: " + ", ".join(f"{k} {w[k]:.0%}" for k in cx.WEIGHTS) + f" (tier order: {w['tier_order']})",
        style="dim",
    )
    if region:
        r = reg.to_pylist()[0]
        console.print(
            f"{r['region_name']} ({r['region_code']}) {ctx.year}: ECI {r['eci']:.2f}, COI {r['coi']:.2f}, "
            f"diversity {r['diversity']:.0f}"
        )
    show(
        _readable(
            rec.select(
                [
                    "region_name",
                    "kind",
                    "rank",
                    "code",
                    "name",
                    "score",
                    "feasibility",
                    "attractiveness",
                    "rca",
                    "density",
                    "pci",
                    "quadrant",
                    "reason",
                ]
            )
        ),
        False,
        f"growth opportunities {ctx.year}",
        limit=None if region else 60,
    )


# ------------------------------------------------------------------------------------------------ clusters
_CLUSTER_MEASURES = ("output_value", "value_added", "revenue", "tax", "fixed_investment", "tech_renovation_investment")


def _pct(v) -> str | None:
    return None if v is None or v != v else f"{v:.1%}"


def _yi(v) -> str | None:
    return None if v is None or v != v else f"{v / 1e8:,.2f}"


def _unit_label(r: dict) -> str:
    if r["scope"] == "all":
        return "全部 all firms"
    if r["scope"] == "sections":
        return "工业 " + r["unit_id"].split(":", 1)[1]
    if r["scope"] == "tier":
        return f"{r['tier']} {r['cluster_name']} (tier)"
    return f"{r['cluster_id']} {r['cluster_name']}"


@app.command()
def clusters(
    db: Path = DB_OPTION,
    region: Optional[str] = typer.Option(
        None, "--region", help="A county, group or sub-group, by code or name (default: the city)."
    ),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="A cluster id or name: it in every region."),
    system: Optional[str] = typer.Option(None, "--system", help="A cluster system id or label (33618, 2+2+4 …)."),
    level: Optional[str] = typer.Option(
        None, "--level", help="Only regions of this level: county, subgroup, group, functional_area, province."
    ),
    measure: str = typer.Option(
        "output_value", "--measure", help="Figure shown on the console: " + ", ".join(_CLUSTER_MEASURES) + "."
    ),
    region_map: str = typer.Option(
        "recorded",
        "--map",
        help="recorded (firms where they were recorded) or current (merged districts roll up into their successor).",
    ),
    honours: bool = typer.Option(
        False, "--honours", help="Honour counts (智能工厂, 数字化车间, ladder …) held and new, instead of the figures."
    ),
    all_years: bool = typer.Option(False, "--all-years", help="Every year up to --year, not just that year."),
    year: Optional[int] = YEAR_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    limit: int = typer.Option(60, "--limit", help="Rows on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Cluster figures: output, value added, revenue, tax, investment, firms, growth and shares of the city,
    per cluster, tier, region and group; --honours for 智改数转 counts. 产业集群统计。"""
    import pyarrow as pa

    from .analytics import clusters as cl

    if measure not in _CLUSTER_MEASURES:
        fail(f"unknown measure {measure!r}: choose one of {', '.join(_CLUSTER_MEASURES)}", code=2)
    with analytics_context(db, year, engine, master) as ctx:
        tables = cl.view(
            ctx,
            region=region,
            cluster=cluster,
            system=system,
            level=level,
            region_map=region_map,
            all_years=all_years,
            honours=honours,
        )
        synthetic = _warehouse_synthetic(ctx)
    rows = tables["cluster_honours" if honours else "cluster_figures"]
    if as_json:
        show(rows, True)
        return
    if rows.num_rows == 0:
        console.print("no rows: no firm of these clusters in this region and year")
    recs = rows.to_pylist()
    base = {"year": [r["year"] for r in recs]} if all_years else {}
    base.update({"region": [r["region_name"] for r in recs], "cluster": [_unit_label(r) for r in recs]})
    if honours:
        names = {k.key: k.name_zh for k in ctx.pack.ladder.honour_kinds}
        out = {
            **base,
            "honour": [names.get(r["kind"], r["kind"]) for r in recs],
            "held": [r["held"] for r in recs],
            "held growth": [_pct(r["held_growth"]) for r in recs],
            "new": [r["new"] for r in recs],
            "new growth": [_pct(r["new_growth"]) for r in recs],
            "held share of city": [_pct(r["held_share_of_city"]) for r in recs],
        }
        title = "honours held and new 荣誉"
    else:
        m = measure
        out = {
            **base,
            "firms": [r["firms"] for r in recs],
            "firms growth": [_pct(r["firms_growth"]) for r in recs],
            f"{m} (亿)": [_yi(r[m]) for r in recs],
            "growth": [_pct(r[f"{m}_growth"]) for r in recs],
            "share of city": [_pct(r[f"{m}_share_of_city"]) for r in recs],
            "share of region": [_pct(r[f"{m}_share_of_region"]) for r in recs],
        }
        title = f"cluster figures 产业集群 — {m}"
    show(pa.table(out), False, title=f"{title}, map {region_map}", limit=limit)
    note = (
        f"year {ctx.year}; map {region_map}; firms = whole firms whose industry maps to the cluster with a share "
        f"> 0 (figures count by share); growth = on the year before"
    )
    if synthetic:
        note += "; SYNTHETIC demo data (invented firms calibrated to published totals)"
    console.print(note, style="dim")


def _warehouse_synthetic(ctx) -> bool:
    """Whether the warehouse is a synthetic demo (meta key synthetic = 'true')."""
    from .analytics.measures import warehouse_is_synthetic

    return warehouse_is_synthetic(ctx)


# --- end clusters ---


# ------------------------------------------------------------------------------------------ 亩均论英雄
_MUJUN_FIRM_COLUMNS = ("rank_region", "rank_industry", "uscc", "name", "class", "total_score", "missing")


def _mujun_console(name: str, rows, pack):
    """Console view of a 亩均 table: the columns that fit (--json has them all), names, rounded figures."""
    import pyarrow as pa

    recs = rows.to_pylist()
    r2 = lambda v: None if v is None or v != v else (round(v, 2) if abs(v) < 1e4 else round(v))  # noqa: E731
    fmt = lambda r, c: r2(r[c]) if isinstance(r[c], float) else r[c]  # noqa: E731
    region = lambda code: pack.regions[code].name_zh if code in pack.regions else code  # noqa: E731
    if name == "mujun_score":
        out = {"region": [region(r["region_code"]) for r in recs]}
        out.update({c: [fmt(r, c) for r in recs] for c in _MUJUN_FIRM_COLUMNS})
        return pa.table(out)
    if name == "mujun_policy":
        keep = ["class", "class_name", "policy_zh", "firms", "share_of_rated", "mean_score"]
        return pa.table({c: [fmt(r, c) for r in recs] for c in keep})
    key = "region_name" if name == "mujun_region" else "park_name"
    classes = [c for c in rows.column_names if c.startswith("class_")]
    inds = rows.column_names[rows.column_names.index("land_mu") + 1 : rows.column_names.index("mean_score")][:2]
    keep = [key, "firms", "rated"] + inds + ["mean_score"] + classes
    return pa.table({c: [fmt(r, c) for r in recs] for c in keep})


@app.command()
def mujun(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    method: Optional[str] = typer.Option(
        None, "--method", help="A 亩均 method id of the pack (default: the pack's default, e.g. huangyan-2022)."
    ),
    region: Optional[str] = typer.Option(None, "--region", help="A county or group, by code or name."),
    klass: Optional[str] = typer.Option(
        None,
        "--class",
        help="Only firms of this class (A, B, C, D, or the not-rated class T): the differentiated-policy list.",
    ),
    by: Optional[str] = typer.Option(
        None, "--by", help="firm, region, park or class (default: firm with --region or --class, else region)."
    ),
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    limit: int = typer.Option(50, "--limit", help="Rows on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """亩均论英雄: per-mu benefit scores, classes A-D (and not rated), ranks, district/park/class figures.
    亩均效益综合评价。"""
    from .analytics import mujun as mj

    with analytics_context(db, year, engine, master) as ctx:
        name, rows = mj.view(ctx, method=method, region=region, klass=klass, by=by)
        m = mj.method_by_id(ctx.pack, method)
        synthetic = _warehouse_synthetic(ctx)
    if as_json:
        show(rows, True)
        return
    titles = {
        "mujun_score": "firms 企业亩均评价",
        "mujun_region": "districts 区县亩均",
        "mujun_park": "parks 园区亩均",
        "mujun_policy": "classes and their policies 分类与差别化政策",
    }
    show(
        _mujun_console(name, rows, ctx.pack),
        False,
        title=f"{titles[name]} — {m.name_zh} ({m.id}), {ctx.year}",
        limit=limit,
    )
    note = (
        f"score = Σ value / benchmark × weight ({', '.join(f'{i.key} {i.weight:g}' for i in m.indicators)}); "
        f"classes by {m.class_rule}; {m.not_rated.get('label', 'T')} = not rated"
    )
    if synthetic:
        note += "; SYNTHETIC demo data (invented firms calibrated to published totals)"
    console.print(note, style="dim")


# ------------------------------------------------------------------------------------------ the ladder
def _ladder_console(name: str, rows, pack):
    import pyarrow as pa

    recs = rows.to_pylist()
    cols = {
        "ladder_pipeline": [
            "tier_name",
            "metric_zh",
            "kind",
            "scope_name",
            "period",
            "target",
            "achieved",
            "gap",
            "candidates",
            "covered",
            "years_left",
            "needed_per_year",
        ],
        "ladder_district": [
            "region_name",
            "tier",
            "screened",
            "holders",
            "above",
            "candidates",
            "confirmed",
            "not_met",
        ],
        "ladder_candidates": ["region", "uscc", "name", "tier", "screen", "met", "unknown", "score_low", "score_high"],
        "ladder_criteria": [
            "tier",
            "criterion",
            "kind",
            "label_zh",
            "met",
            "not_met",
            "unknown",
            "scored",
            "not_applicable",
        ],
        "firm": [
            "tier",
            "holder",
            "holds_higher",
            "screen",
            "status",
            "met",
            "not_met",
            "unknown",
            "failed",
            "score_low",
            "score_high",
        ],
        "screening": [
            "tier",
            "criterion",
            "label_zh",
            "status",
            "figure_measure",
            "figure",
            "figure_2_measure",
            "figure_2",
            "points_low",
            "points_high",
        ],
    }[name]
    out = {}
    for c in cols:
        if c == "region":
            out[c] = [
                pack.regions[r["region_code"]].name_zh if r["region_code"] in pack.regions else r["region_code"]
                for r in recs
            ]
        else:
            out[c] = [None if isinstance(r[c], float) and r[c] != r[c] else r[c] for r in recs]
    return pa.table(out)


@app.command()
def ladder(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    tier: Optional[str] = typer.Option(
        None,
        "--tier",
        help="A tier key of the pack's ladder (innovative_sme, srdi_sme, little_giant, single_champion …).",
    ),
    region: Optional[str] = typer.Option(None, "--region", help="A county or group, by code or name."),
    uscc: Optional[str] = typer.Option(
        None, "--uscc", help="One firm: every criterion of every tier, with its status and the figure used."
    ),
    view: Optional[str] = typer.Option(
        None,
        "--show",
        help="pipeline, districts, candidates or criteria (default: candidates with --tier, else pipeline).",
    ),
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    limit: int = typer.Option(50, "--limit", help="Rows on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The enterprise ladder: firms screened against each tier's criteria (met / not met / unknown), candidates
    per district, pipeline against the targets. 优质中小企业梯度培育筛选。"""
    import json
    import math

    from .analytics import ladder as gr

    with analytics_context(db, year, engine, master) as ctx:
        tables = gr.view(ctx, tier=tier, region=region, uscc=uscc, show=view)
        synthetic = _warehouse_synthetic(ctx)
    if as_json:
        if len(tables) == 1:
            show(next(iter(tables.values())), True)
        else:
            clean = lambda v: None if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v  # noqa: E731
            typer.echo(
                json.dumps(
                    {k: [{c: clean(v) for c, v in r.items()} for r in t.to_pylist()] for k, t in tables.items()},
                    ensure_ascii=False,
                    default=str,
                )
            )
        return
    titles = {
        "ladder_pipeline": "pipeline against the targets 梯度培育目标",
        "ladder_district": "districts 区县",
        "ladder_candidates": "candidates 候选企业 (meet every criterion the warehouse can test)",
        "ladder_criteria": "criteria 认定条件",
        "firm": f"firm {uscc}",
        "screening": f"criteria for {uscc}",
    }
    for name, rows in tables.items():
        show(
            _ladder_console(name, rows, ctx.pack),
            False,
            title=f"{titles[name]}, {ctx.year}",
            limit=None if name in ("firm", "screening") else limit,
        )
    note = (
        "unknown = the warehouse holds no figure for it (IP, market share, awards …) or the firm's figure is "
        "missing; candidates meet every criterion that can be tested and do not hold the tier or a higher one"
    )
    if synthetic:
        note += "; SYNTHETIC demo data (invented firms calibrated to published totals)"
    console.print(note, style="dim")


# ------------------------------------------------------------------------------------------------ targets
def _target_value(v, unit: str | None) -> str | None:
    if v is None or v != v:
        return None
    if unit == "yuan":
        return f"{v / 1e8:,.1f}亿"
    if unit == "percent":
        return f"{v:,.2f}%"
    if unit in ("count", "vehicle"):
        return f"{v:,.0f}"
    return _fmt(v)


@app.command()
def targets(
    db: Path = DB_OPTION,
    proposed: bool = typer.Option(
        False, "--proposed", help="Only targets proposed by the news reader (the list as filed, as before)."
    ),
    format: str = typer.Option(
        "table", "--format", "-f", help="table, or jsonl: the register as stored (no progress)."
    ),
    register: bool = typer.Option(False, "--register", help="List the register as stored (no progress)."),
    with_proposed: bool = typer.Option(False, "--with-proposed", help="Progress of the proposed targets too."),
    region: Optional[str] = typer.Option(None, "--region", help="Only targets of this region (code or name)."),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Only targets about this cluster (id or name)."),
    status: Optional[str] = typer.Option(
        None, "--status", help="Only this status: on track, at risk, off track, achieved, missed, not measurable …"
    ),
    year: Optional[int] = YEAR_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    limit: int = typer.Option(60, "--limit", help="Rows on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Target progress: baseline, actual, growth so far, required growth, projection, gap and status for every
    registered target (--proposed, --register, --format jsonl: the register as filed). 目标进度。"""
    if proposed or register or format != "table":
        from zhizao.ingest.news.commands import run_targets

        raise typer.Exit(run_targets(db, proposed, format))
    import pyarrow as pa

    from .analytics import targets as tg

    with analytics_context(db, year, engine, master) as ctx:
        rows = tg.view(ctx, region=region, cluster=cluster, status=status, with_proposed=with_proposed)
    if as_json:
        show(rows, True)
        return
    if rows.num_rows == 0:
        console.print("no targets match")
        return
    recs = rows.to_pylist()

    def what(r):
        bits = [r["scope_name"] or r["scope_id"]]
        if r["cluster_name"]:
            bits.append(r["cluster_name"])
        return " · ".join(bits) + f" — {r['metric_zh'] or r['metric']} ({r['metric']})"

    def with_year(v, y, unit):
        s = _target_value(v, unit)
        return None if s is None else (f"{s} ({y})" if y else s)

    q = {"over": ">", "at_least": "≥", "about": "≈", "level": "级 ", "under": "<", "at_most": "≤"}
    out = {
        "target": [what(r) for r in recs],
        "goal": [
            q.get(r["qualifier"] or "", "") + (with_year(r["target_value"], r["target_year"], r["unit"]) or "")
            for r in recs
        ],
        "baseline": [with_year(r["baseline_value"], r["baseline_year"], r["unit"]) for r in recs],
        "actual": [with_year(r["actual_value"], r["actual_year"], r["unit"]) for r in recs],
        "growth so far": [_pct(r["growth_so_far"]) for r in recs],
        "required / yr": [
            _pct(r["required_growth"])
            if r["required_growth"] is not None
            else (_target_value(r["required_per_year"], r["unit"]) if r["required_per_year"] is not None else None)
            for r in recs
        ],
        "projection": [_target_value(r["projection"], r["unit"]) for r in recs],
        "status": [r["status"] for r in recs],
    }
    show(pa.table(out), False, title=f"targets 目标进度 — evaluated {ctx.year}", limit=limit)
    rules = []
    for r in recs:
        if r["rule"] and r["rule"] not in rules and r["status"] != "not measurable":
            rules.append(r["rule"])
    for rule in rules:
        console.print(f"rule: {rule}", style="dim")
    nm = sum(1 for r in recs if not r["measurable"])
    if nm:
        console.print(f"{nm} targets are not measurable from the warehouse (see --json: note)", style="dim")
    if any(r["actual_synthetic"] for r in recs):
        console.print(
            "[bold yellow]actuals are SYNTHETIC demo data[/] (invented firms calibrated to published "
            "totals): published targets are compared with made-up figures"
        )


# --- end targets ---


# ------------------------------------------------------------------------------------------ dashboard
@app.command()
def serve(
    db: Path = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve the dashboard and the JSON API (/api/v1). 启动看板与数据接口。"""
    from .web.commands import serve as _serve

    _serve(db, host, port, console=console, fail=fail)


users_app = typer.Typer(no_args_is_help=True, help="Dashboard accounts (admin, city, district, public). 看板账号。")
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="User name."),
    db: Path = DB_OPTION,
    role: str = typer.Option(..., "--role", help="admin | city | district | public"),
    region: Optional[str] = typer.Option(None, "--region", help="Region code (district users)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of standard input instead of a prompt."
    ),
) -> None:
    """Add an account (the password is stored as an argon2 hash; audited). 添加账号。"""
    from .web.commands import users_add as _add

    _add(
        db,
        name,
        role,
        region,
        password_stdin,
        console=console,
        fail=fail,
        prompt=lambda: typer.prompt("password 密码", hide_input=True, confirmation_prompt=True),
    )


@users_app.command("list")
def users_list(db: Path = DB_OPTION) -> None:
    """List the accounts. 列出账号。"""
    from .web.commands import users_list as _list

    _list(db, console=console, fail=fail)


@users_app.command("remove")
def users_remove(name: str = typer.Argument(..., help="User name."), db: Path = DB_OPTION) -> None:
    """Remove an account (audited). 删除账号。"""
    from .web.commands import users_remove as _remove

    _remove(db, name, console=console, fail=fail)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
