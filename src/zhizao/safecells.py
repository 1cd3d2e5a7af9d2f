"""Cells the software writes into CSV and Excel files, made safe to open in a spreadsheet.

A text cell that starts with = + - @, a tab or a carriage return is read by Excel, WPS and LibreOffice as a
formula (`=HYPERLINK("http://…?"&A1)` sends the sheet's data away, `=cmd|' /C calc'!A0` runs a program).
Every CSV and xlsx writer in zhizao (web downloads, import error reports, the reports) passes its values
through here. The rule is OWASP's "CSV injection" one: such a text gets a leading apostrophe, which the
spreadsheet keeps as text. Numbers stay numbers (a negative figure is not text). In xlsx files text is
written as a string cell, never a formula, and such a text keeps its characters with Excel's quote-prefix
flag instead of an apostrophe.

    neutralise("=1+1")   -> "'=1+1"        neutralise(-5) -> -5        neutralise("沙坪坝") -> "沙坪坝"
"""

from __future__ import annotations

import csv
from typing import Any, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value, or for a text that a spreadsheet would evaluate, the text with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


class Writer:
    """csv.writer that neutralises every cell."""

    def __init__(self, f, **kw):
        self._w = csv.writer(f, **kw)

    def writerow(self, values: Iterable[Any]) -> None:
        self._w.writerow(row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for r in rows:
            self.writerow(r)


class DictWriter(csv.DictWriter):
    """csv.DictWriter that neutralises every cell."""

    def writerow(self, rowdict):
        return super().writerow({k: neutralise(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts):
        for r in rowdicts:
            self.writerow(r)


def xlsx_cell(ws, value: Any):
    """An openpyxl write-only cell holding `value`: text as a string cell, never a formula; text that would be
    a formula if typed in keeps its exact characters and gets Excel's quote-prefix flag (shown as text, and
    still text after the cell is edited). Numbers and dates stay as they are."""
    from openpyxl.cell import WriteOnlyCell

    c = WriteOnlyCell(ws, value=value)
    _as_text(c, value)
    return c


def set_text(cell, value: Any) -> None:
    """Put `value` into a normal (not write-only) openpyxl cell the same way."""
    cell.value = value
    _as_text(cell, value)


def _as_text(cell, value: Any) -> None:
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True


__all__ = ["FORMULA_START", "DictWriter", "Writer", "neutralise", "row", "set_text", "xlsx_cell"]
