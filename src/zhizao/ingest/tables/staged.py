"""What validation hands on: the rows of each table ready to load (`Staged`) and the whole result (`Validation`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...vocab import FIGURE_COLUMNS
from . import spec
from .issues import Issues

FIGURES = list(FIGURE_COLUMNS)  # every enterprise_year figure, in the warehouse's order


@dataclass
class Staged:
    """The rows of one table, ready to load (values in base units, codes canonical)."""

    table: spec.Table
    rows: list[int] = field(default_factory=list)  # Excel row of each record
    sheets: list[str] = field(default_factory=list)  # sheet of each record
    data: dict[str, list] = field(default_factory=dict)  # field -> values
    raw: dict[str, list] = field(default_factory=dict)  # field -> values as written (for messages)
    cols: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (sheet, field) -> (col, header)
    present: set[str] = field(default_factory=set)
    units: list[dict] = field(default_factory=list)  # what each column's unit was and where it came from
    existing: set = field(default_factory=set)  # keys already in the warehouse
    ok: list[bool] = field(default_factory=list)  # record passed every check

    def __len__(self) -> int:
        return len(self.rows)

    def where(self, i: int, fld: str | None) -> tuple[str, int, int | None, str | None]:
        sheet = self.sheets[i]
        col, header = self.cols.get((sheet, fld), (None, None)) if fld else (None, None)
        return sheet, self.rows[i], col, header


@dataclass
class Validation:
    path: Path
    kind: str  # xlsx | csv
    sha256: str
    staged: dict[str, Staged]
    issues: Issues
    sheets_used: list[tuple[str, str]] = field(default_factory=list)  # (sheet, table key)
    sheets_ignored: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def rows(self) -> int:
        return sum(len(s) for s in self.staged.values())
