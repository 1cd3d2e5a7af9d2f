"""What is wrong with an import file, where, and why (in Chinese and English)."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from ...errors import ZhizaoError

MAX_DETAILED = 100_000  # issues kept in full; beyond this only counted


@dataclass(frozen=True)
class Issue:
    sheet: str  # sheet name as in the workbook ('' for a CSV's single table or the file itself)
    row: int | None  # the row number the user sees in Excel (1-based, header rows included)
    col: int | None  # 1-based column index
    header: str | None  # the column's header as written
    value: object  # the offending value as read
    reason_zh: str
    reason_en: str
    field: str | None = None  # the field the column was matched to

    @property
    def column(self) -> str:
        """'C 营业收入' — the column letter and its header, as the report shows it."""
        if self.col is None:
            return ""
        letter = get_column_letter(self.col)
        return f"{letter} {self.header}" if self.header else letter

    @property
    def column_letter(self) -> str:
        return get_column_letter(self.col) if self.col else ""


class Issues:
    """A list of issues that keeps the first MAX_DETAILED in full and counts the rest."""

    def __init__(self, cap: int = MAX_DETAILED):
        self.items: list[Issue] = []
        self.total = 0
        self.cap = cap

    def add(self, issue: Issue) -> None:
        self.total += 1
        if len(self.items) < self.cap:
            self.items.append(issue)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def sorted(self) -> list[Issue]:
        return sorted(self.items, key=lambda i: (i.sheet, i.row or 0, i.col or 0))


class ImportFileError(ZhizaoError):
    """The file cannot be read as an import at all (not a spreadsheet, empty, no known sheet, ...)."""

    def __init__(self, reason_zh: str, reason_en: str, sheet: str = "", row: int | None = None):
        self.reason_zh, self.reason_en, self.sheet, self.row = reason_zh, reason_en, sheet, row
        super().__init__(f"{reason_zh} / {reason_en}")

    def issue(self) -> Issue:
        return Issue(self.sheet, self.row, None, None, None, self.reason_zh, self.reason_en)
