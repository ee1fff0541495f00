"""Every table of the dashboards as a CSV or an Excel file (``?export=csv|xlsx&table=…``).

CSV is UTF-8 with a byte-order mark, so that Excel opens Vietnamese names intact; dates are
written dd/mm/yyyy and whole numbers as bare digits. In the Excel file dates are real
dates shown dd/mm/yyyy and shares real percentages, so that they sort and sum.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.tables import NUMBER, PERCENT, Badge, Link, Table, plain_text

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_DATE = "DD/MM/YYYY"
EXCEL_PERCENT = "0.0%"
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _csv_value(value, kind: str):
    if isinstance(value, Link):
        value = value.text
    if isinstance(value, int) and not isinstance(value, bool) and kind == NUMBER:
        return value
    text = plain_text(value, kind)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.label for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                _csv_value(value, column.kind)
                for value, column in zip(row.cells, table.columns, strict=True)
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _excel_value(value, kind: str):
    """The value of an Excel cell and its number format (None for the default)."""
    if isinstance(value, Link):
        value = value.text
    if value is None:
        return None, None
    if kind == PERCENT and isinstance(value, int | float):
        return float(value), EXCEL_PERCENT
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value, EXCEL_DATE
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value, None
    if isinstance(value, Badge | tuple):
        return plain_text(value, kind), None
    return str(value), None


def sheet_title(caption: str) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    title = SHEET_TITLE_FORBIDDEN.sub(" ", caption).strip() or "Sheet"
    return title[:31].rstrip()


def table_xlsx(table: Table, *, title: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(table.caption)
    workbook.properties.title = title or table.caption
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E8EEF4")
    widths = [len(column.label) for column in table.columns]
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row_index, row in enumerate(table.rows, start=2):
        for index, (value, column) in enumerate(
            zip(row.cells, table.columns, strict=True), start=1
        ):
            content, number_format = _excel_value(value, column.kind)
            cell = sheet.cell(row=row_index, column=index, value=content)
            if isinstance(content, str) and content.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if number_format:
                cell.number_format = number_format
            shown = 10 if number_format == EXCEL_DATE else len(plain_text(value, column.kind))
            widths[index - 1] = max(widths[index - 1], shown)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    # Printed as the page prints: landscape, as wide as the paper, the header on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def filename(table: Table, *parts: str, extension: str) -> str:
    """``non_local_350_2023-06-30.csv``: the table, then the unit code and the dates."""
    stem = "_".join([table.name, *(part for part in parts if part)])
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    return f"{stem}.{extension}"


def export_response(table: Table, *, export_format: str, parts: tuple[str, ...]) -> HttpResponse:
    """The file of ``table`` as an attachment named after the table, unit and dates."""
    if export_format == "csv":
        content = table_csv(table)
    else:
        content = table_xlsx(table, title=" – ".join([table.caption, *parts]))
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(table, *parts, extension=export_format)}"'
    )
    return response
