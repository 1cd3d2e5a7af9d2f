"""What every benchmark records beside its figures: the machine, the load it ran under, the code it ran.

    from machine import write_result
    write_result("complexity", {"sizes": [...]})     # -> benchmarks/results/complexity.json

A result file holds {"benchmark", "measured_at", "machine": {...}, "figures": {...}}. The machine is shared
by a team, so the load average at the start and the end of the run is part of the record: compare ratios
measured in one run, not absolute times across runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(os.environ.get("ZHIZAO_BENCH_RESULTS", ROOT / "benchmarks" / "results"))


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _versions() -> dict:
    out = {"python": platform.python_version()}
    for mod in ("numpy", "pandas", "pyarrow", "duckdb", "pyspark", "scipy", "ecomplexity", "uvicorn", "fastapi"):
        from importlib.metadata import PackageNotFoundError, version

        with contextlib.suppress(PackageNotFoundError):
            out[mod] = version(mod)
    return out


def _commit() -> str | None:
    try:
        return (
            subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                check=False,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.SubprocessError):
        return None


def describe() -> dict:
    """The machine as a benchmark result records it."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "versions": _versions(),
        "commit": _commit(),
    }


def write_result(name: str, figures: dict, *, started_load: list[float] | None = None) -> Path:
    """Write benchmarks/results/NAME.json (the folder comes from ZHIZAO_BENCH_RESULTS when set)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine = describe()
    if started_load is not None:
        machine["load_average_at_start"] = [round(x, 2) for x in started_load]
    doc = {
        "benchmark": name,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "figures": figures,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2, default=float) + "\n", encoding="utf-8")
    return path
