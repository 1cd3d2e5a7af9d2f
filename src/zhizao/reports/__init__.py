"""Briefings: an Excel workbook and a PDF report for the city, a district or a cluster.

This package writes a report (model.Report: sections of typed tables, the computed summary, the sources) as
.xlsx (xlsx.py, openpyxl) or .pdf (pdf.py, WeasyPrint; charts.py, matplotlib). What a report holds is gathered
by web/briefing through the dashboard's access policy, so that a report holds what its user may see, no more;
`zhizao report` and `GET /api/v1/reports/{scope}` call web/briefing.make.
"""

from __future__ import annotations

from ..errors import ZhizaoError

SCOPES = ("city", "district", "cluster")
FORMATS = ("xlsx", "pdf")
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

__all__ = ["FORMATS", "MEDIA", "SCOPES", "ReportError", "write"]


class ReportError(ZhizaoError, ValueError):
    """A report that cannot be made as asked (unknown region or cluster, a year not evaluated)."""

    exit_code = 2
    http_status = 400


def write(report, fmt: str, *, boundaries: dict | None = None, names: dict[str, str] | None = None) -> bytes:
    """The report as the bytes of an .xlsx or .pdf file (the PDF's map drawn on `boundaries`)."""
    if fmt == "xlsx":
        from . import xlsx

        return xlsx.write(report)
    if fmt == "pdf":
        from . import pdf

        return pdf.write(report, boundaries, names or {})
    raise ReportError(f"unknown format {fmt!r}: xlsx or pdf")
