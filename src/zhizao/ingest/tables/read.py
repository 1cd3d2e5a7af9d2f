"""Read an import file into raw sheets: Excel workbooks (.xlsx) and CSV files.

A raw sheet is the cells as read, row by row; row i of `rows` is row i+1 in Excel. Nothing is
interpreted here beyond decoding: headers, units and values are the validator's business.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .issues import ImportFileError

XLSX_MAGIC = b"PK\x03\x04"
# Limits checked before any reader parses a workbook (decompression bombs: a small zip that inflates to
# gigabytes of XML, or holds tens of millions of cells). The largest genuine import — a full sheet of the
# widest table, 1,048,576 rows × 15 columns — stays inside them.
MAX_MEMBERS = 10_000  # parts of the zip
MAX_INFLATED = 768 * 1024 * 1024  # bytes of all parts together, inflated
MAX_RATIO = 100  # inflated ÷ compressed, for any part that inflates past RATIO_FROM bytes
RATIO_FROM = 16 * 1024 * 1024
MAX_CELLS = 16_000_000  # <c> elements over all worksheets
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE2 files)


@dataclass
class RawSheet:
    name: str  # sheet name ('' for CSV)
    rows: list[tuple]  # cell values; rows[i] is Excel row i + 1
    kind: str = "xlsx"  # xlsx | csv


def sniff(path: Path) -> str:
    """'xlsx' or 'csv' from the file's first bytes (and its name), or ImportFileError."""
    if not path.exists():
        raise ImportFileError(f"找不到文件 {path}", f"no such file: {path}")
    if path.is_dir():
        raise ImportFileError(f"{path} 是文件夹，不是文件", f"{path} is a folder, not a file")
    if not path.is_file():
        raise ImportFileError(
            f"{path} 不是普通文件（设备、管道或套接字），无法导入",
            f"{path} is not a regular file (a device, pipe or socket); nothing can be imported from it",
        )
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError("文件为空（0字节）", "the file is empty (0 bytes)")
    with path.open("rb") as f:
        head = f.read(4096)
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(
            "这是旧版 .xls（或其他 Office 二进制）文件，请在 Excel 中另存为 .xlsx 后再导入",
            "this is a legacy .xls (or other binary Office) file; save it as .xlsx in Excel and import that",
        )
    if b"\x00" in head:
        raise ImportFileError(
            "不是电子表格：既不是 .xlsx 工作簿，也不是 CSV 文本",
            "not a spreadsheet: neither an .xlsx workbook nor CSV text",
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raise ImportFileError(
            "扩展名是 .xlsx，但内容不是 Excel 工作簿（文件可能已损坏或改过扩展名）",
            "the name ends in .xlsx but the content is not an Excel workbook (damaged or renamed?)",
        )
    return "csv"


def read_file(path: str | Path) -> tuple[str, list[RawSheet]]:
    """('xlsx' | 'csv', sheets) for an import file."""
    path = Path(path)
    kind = sniff(path)
    return kind, (read_xlsx(path) if kind == "xlsx" else [read_csv(path)])


def check_workbook(path: Path) -> None:
    """Refuse a workbook that would inflate past MAX_INFLATED bytes or hold more than MAX_CELLS cells, before
    any reader parses it. The zip's directory is checked first (declared sizes and ratios); then the
    worksheets and shared strings are inflated in 1 MB pieces and counted — the bytes actually produced,
    not the sizes the directory claims (zipfile stops at the claimed size and a short member then fails its
    CRC check). Memory stays at a few MB whatever the file holds."""
    mb = 1024 * 1024
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS:
                raise ImportFileError(
                    f"工作簿包含 {len(infos)} 个部件，超过上限 {MAX_MEMBERS}",
                    f"the workbook has {len(infos)} parts, more than the {MAX_MEMBERS} allowed",
                )
            declared = sum(i.file_size for i in infos)
            if declared > MAX_INFLATED:
                raise _too_big(declared)
            for i in infos:
                if i.file_size > RATIO_FROM and i.file_size > MAX_RATIO * max(1, i.compress_size):
                    raise ImportFileError(
                        f"工作簿部件 {i.filename} 压缩比异常（{i.compress_size // 1024} KB 解压为 "
                        f"{i.file_size // mb} MB），疑为压缩炸弹，已拒绝",
                        f"part {i.filename} inflates from {i.compress_size // 1024} KB to {i.file_size // mb} MB "
                        f"(more than {MAX_RATIO}×): refused as a decompression bomb",
                    )
            inflated = cells = 0
            for i in infos:
                name = i.filename
                if not (name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"):
                    continue
                sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
                tail = b""
                with z.open(i) as f:
                    while chunk := f.read(mb):
                        inflated += len(chunk)
                        if inflated > MAX_INFLATED:
                            raise _too_big(inflated)
                        if sheet:
                            buf = tail + chunk
                            cells += len(_CELL_TAG.findall(buf)) - len(_CELL_TAG.findall(tail))
                            tail = buf[-16:]
                            if cells > MAX_CELLS:
                                raise ImportFileError(
                                    f"工作表单元格超过 {MAX_CELLS:,} 个，请拆分文件后分批导入",
                                    f"the worksheets hold more than {MAX_CELLS:,} cells: split the file and "
                                    f"import the parts one by one",
                                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as e:
        raise ImportFileError(
            f"Excel 工作簿已损坏，无法读取：{e}", f"the Excel workbook is damaged and cannot be read: {e}"
        ) from None


def _too_big(n: int) -> ImportFileError:
    mb = 1024 * 1024
    return ImportFileError(
        f"工作簿解压后超过 {MAX_INFLATED // mb} MB（至少 {n // mb} MB），疑为压缩炸弹或文件过大，已拒绝",
        f"the workbook inflates to more than {MAX_INFLATED // mb} MB (at least {n // mb} MB): refused",
    )


def read_xlsx(path: Path, only: set[str] | None = None) -> list[RawSheet]:
    """Every worksheet (or those named in `only`) of a workbook: the values Excel shows, formulas as their cached
    results, dates as dates (python-calamine; openpyxl only writes) — after
    check_workbook has made sure it is not a decompression bomb.

    Cells are normalised to what the validator expects: an empty cell is None, a whole number is an int
    (calamine reads every number as a float), text stays as written."""
    import python_calamine as pc

    check_workbook(path)

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except (pc.CalamineError, OSError, ValueError) as e:
        raise ImportFileError(f"无法作为 Excel 工作簿打开：{e}", f"cannot open as an Excel workbook: {e}") from None
    out = []
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet or (only is not None and meta.name not in only):
                continue  # chart and macro sheets hold no rows
            try:
                cells = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            except (pc.CalamineError, ValueError) as e:
                raise ImportFileError(
                    f"工作表“{meta.name}”无法读取：{e}", f"sheet {meta.name!r} cannot be read: {e}"
                ) from None
            rows = [tuple(_cell(v) for v in r) for r in cells]
            while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
                rows.pop()
            out.append(RawSheet(meta.name, rows, "xlsx"))
    finally:
        wb.close()
    return out


def _cell(v):
    if v == "":
        return None
    if type(v) is float and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def decode(data: bytes) -> str:
    """CSV text: UTF-8 (with or without BOM) or, as Chinese Excel saves it, GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        "无法识别文本编码（支持 UTF-8 与 GBK/GB18030）", "cannot decode the text (UTF-8 and GBK/GB18030 are supported)"
    )


def read_csv(path: Path) -> RawSheet:
    text = decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delim = max((",", "\t", ";"), key=first.count)
    if first.count(delim) == 0:
        delim = ","
    try:
        rows = [tuple(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]
    except csv.Error as e:
        raise ImportFileError(f"CSV 格式错误：{e}", f"malformed CSV: {e}") from None
    while rows and all(not v.strip() for v in rows[-1]):
        rows.pop()
    return RawSheet(path.name, rows, "csv")
