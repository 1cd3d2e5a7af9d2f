"""A fast, read-only reader of .xlsx cell values (regular expressions over the sheet XML).

openpyxl's read-only mode spends most of its time building a cell object per cell; for the import
only the values matter. This reader returns the same values as openpyxl with `data_only=True`
(shared and inline strings, numbers as int or float, booleans, cached formula results, dates for
cells whose number format is a date format) about three times faster. Anything it does not expect
raises `Unsupported`, and the caller falls back to openpyxl.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import zipfile

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel


class Unsupported(Exception):
    """Something this reader does not handle; use openpyxl instead."""


_P = r"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix
_SHEET = re.compile(rf"<{_P}sheet\b([^>]*?)/?>")
_REL = re.compile(rf"<{_P}Relationship\b([^>]*?)/?>")
_ROW = re.compile(rf"<{_P}row\b([^>]*?)(?:/>|>(.*?)</{_P}row>)", re.S)
_CELL = re.compile(rf"<{_P}c\b([^>]*?)(?:/>|>(.*?)</{_P}c>)", re.S)
_V = re.compile(rf"<{_P}v(?:\s[^>]*)?>(.*?)</{_P}v>", re.S)
_T = re.compile(rf"<{_P}t(?:\s[^>]*)?>(.*?)</{_P}t>", re.S)
_RPH = re.compile(rf"<{_P}rPh\b.*?</{_P}rPh>", re.S)
_SI = re.compile(rf"<{_P}si\b[^>]*?(?:/>|>(.*?)</{_P}si>)", re.S)
_NUMFMT = re.compile(rf"<{_P}numFmt\b([^>]*?)/?>")
_CELLXFS = re.compile(rf"<{_P}cellXfs\b[^>]*>(.*?)</{_P}cellXfs>", re.S)
_XF = re.compile(rf"<{_P}xf\b([^>]*?)(?:/>|>)")
_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_REF = re.compile(r"([A-Z]{1,3})(\d+)$")
_X = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _attrs(s: str) -> dict[str, str]:
    return {k.split(":")[-1] if k.startswith(("r:", "x:")) else k: v for k, v in _ATTR.findall(s)}


def _attr(s: str, name: str) -> str | None:
    i = s.find(f' {name}="')
    if i < 0:
        i = s.find(f'\t{name}="')
        if i < 0:
            i = s.find(f'\n{name}="')
            if i < 0:
                return None
    j = i + len(name) + 3
    return s[j : s.index('"', j)]


def _text(s: str) -> str:
    if "&" in s:
        s = html.unescape(s)
    if "_x" in s:
        s = _X.sub(lambda m: chr(int(m.group(1), 16)), s)
    return s


_COLS: dict[str, int] = {}


def _col(letters: str) -> int:
    n = _COLS.get(letters)
    if n is None:
        n = 0
        for ch in letters:
            n = n * 26 + (ord(ch) - 64)
        _COLS[letters] = n
    return n


def _read(z: zipfile.ZipFile, name: str) -> str:
    try:
        return z.read(name).decode("utf-8")
    except KeyError:
        raise Unsupported(f"missing part {name}") from None
    except UnicodeDecodeError:
        raise Unsupported(f"{name} is not UTF-8") from None


def read_values(path, only: set[str] | None = None) -> list[tuple[str, list[tuple]]]:
    """[(sheet name, rows)] with rows[i] the values of Excel row i + 1 (trailing empty cells dropped)."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        wbxml = _read(z, "xl/workbook.xml")
        rels = {}
        for a in _REL.findall(_read(z, "xl/_rels/workbook.xml.rels")):
            at = _attrs(a)
            if "Id" in at and "Target" in at:
                rels[at["Id"]] = (at["Target"], at.get("Type", ""))
        wbpr = re.search(rf"<{_P}workbookPr\b([^>]*)", wbxml)
        d1904 = bool(wbpr and (_attr(" " + wbpr.group(1), "date1904") or "0").lower() in ("1", "true"))
        epoch = CALENDAR_MAC_1904 if d1904 else CALENDAR_WINDOWS_1900
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            for inner in _SI.findall(_read(z, "xl/sharedStrings.xml")):
                inner = _RPH.sub("", inner) if "rPh" in inner else inner
                shared.append(_text("".join(_T.findall(inner))))
        date_xf: set[int] = set()
        if "xl/styles.xml" in names:
            st = _read(z, "xl/styles.xml")
            fmts = dict(BUILTIN_FORMATS)
            for a in _NUMFMT.findall(st):
                at = _attrs(a)
                if "numFmtId" in at:
                    fmts[int(at["numFmtId"])] = html.unescape(at.get("formatCode", ""))
            m = _CELLXFS.search(st)
            if m:
                for k, a in enumerate(_XF.findall(m.group(1))):
                    fid = _attr(" " + a, "numFmtId")
                    if fid is not None and is_date_format(fmts.get(int(fid), "")):
                        date_xf.add(k)
        out = []
        for a in _SHEET.findall(wbxml):
            at = _attrs(a)
            name = _text(at.get("name", ""))
            rid = at.get("id")
            if only is not None and name not in only:
                continue
            if rid not in rels:
                raise Unsupported(f"sheet {name!r} has no relationship")
            target, kind = rels[rid]
            if not kind.endswith("/worksheet"):
                continue  # chart sheets, dialog sheets
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            out.append((name, _sheet_rows(_read(z, part), shared, date_xf, epoch)))
        return out


_CELL_R = re.compile(rf'<{_P}c r="([A-Z]{{1,3}})(\d+)"([^>]*?)(?:/>|>(<v>[^<]*</v>)</{_P}c>|>(.*?)</{_P}c>)', re.S)
_CELL_ANY = re.compile(rf"<{_P}c[\s>/]")


def _sheet_rows(xml: str, shared: list[str], date_xf: set[int], epoch) -> list[tuple]:
    """Cells must carry their reference as the first attribute (as Excel, WPS, LibreOffice and openpyxl
    write them); otherwise Unsupported."""
    start = xml.find("sheetData")
    if start < 0:
        return []
    end = xml.rfind("sheetData")
    body = xml[start:end]
    if "='" in body[:20000]:
        raise Unsupported("single-quoted attributes")
    cells = _CELL_R.findall(body)
    if len(cells) != len(_CELL_ANY.findall(body)):
        raise Unsupported("cells without a leading reference")
    rows: list[tuple] = []
    cur: list = []
    cur_r = 0
    cols = _COLS
    for letters, rn, rest, simple, inner in cells:
        r = int(rn)
        if r != cur_r:
            if r < cur_r:
                raise Unsupported("rows out of order")
            if cur_r:
                while cur and cur[-1] is None:
                    cur.pop()
                rows.append(tuple(cur))
            while len(rows) < r - 1:
                rows.append(())
            cur = []
            cur_r = r
        col = cols.get(letters) or _col(letters)
        n = len(cur)
        if col <= n:
            raise Unsupported("cells out of order")
        if col > n + 1:
            cur.extend([None] * (col - 1 - n))
        i = rest.find(' t="')
        t = rest[i + 4 : rest.index('"', i + 4)] if i >= 0 else None
        if simple:
            v = simple[3:-4]
        elif not inner:
            cur.append(None)
            continue
        elif t == "inlineStr":
            if "rPh" in inner:
                inner = _RPH.sub("", inner)
            cur.append(_text("".join(_T.findall(inner))))
            continue
        else:
            vm = _V.search(inner)
            if vm is None:
                cur.append(None)
                continue
            v = vm.group(1)
        if t is None or t == "n":
            if v == "":
                cur.append(None)
                continue
            try:
                val: object = int(v)
            except ValueError:
                val = float(v)
            if date_xf:
                j = rest.find(' s="')
                if j >= 0 and int(rest[j + 4 : rest.index('"', j + 4)]) in date_xf:
                    val = from_excel(val, epoch)
            cur.append(val)
        elif t == "s":
            cur.append(shared[int(v)])
        elif t == "str" or t == "e":
            cur.append(_text(v))
        elif t == "b":
            cur.append(v.strip() in ("1", "true"))
        elif t == "d":
            try:
                cur.append(dt.datetime.fromisoformat(v))
            except ValueError:
                cur.append(v)
        else:
            raise Unsupported(f"cell type {t!r}")
    if cur_r:
        while cur and cur[-1] is None:
            cur.pop()
        rows.append(tuple(cur))
    return rows
