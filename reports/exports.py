"""CSV and XLSX exports of the report tables: the filters first, then the table; streamed."""

from __future__ import annotations

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .selectors import ReportFilters
from .tables import table_rows, table_title


class _Echo:
    def write(self, value):
        return value


def _filename(name: str, filters: ReportFilters, extension: str) -> str:
    return f"{name}_{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}.{extension}"


def _preamble(name: str, filters: ReportFilters) -> list[list[str]]:
    return [
        [str(table_title(name))],
        *[[str(label), value] for label, value in filters.as_header()],
        [_("Exported at"), timezone.localtime().isoformat(timespec="seconds")],
        [],
    ]


def csv_response(name: str, *, filters: ReportFilters, params) -> StreamingHttpResponse:
    header, rows = table_rows(name, filters=filters, params=params)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel opens UTF-8 (Chinese names) correctly with a BOM
        for line in _preamble(name, filters):
            yield writer.writerow(line)
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(name, filters, "csv")}"'
    return response


def xlsx_response(name: str, *, filters: ReportFilters, params) -> FileResponse:
    """Written row by row (openpyxl's write-only mode) to a temporary file that is then
    streamed, so a large range never sits in memory as a workbook."""
    header, rows = table_rows(name, filters=filters, params=params)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(table_title(name))[:31])
    bold = Font(bold=True)
    for line in _preamble(name, filters):
        sheet.append(line)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(row)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=_filename(name, filters, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
