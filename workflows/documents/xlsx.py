"""Excel workbooks the way an office prints them.

`table_workbook` writes one sheet of a title, a header row and rows, with
what a clerk otherwise fixes by hand before printing: typed cells (numbers
stay numbers, `Percent` values get a % number format, dates are dates),
column widths from the content, the header frozen, and a print set-up that
fits every column on the page width (landscape where the table is wide),
repeats the header row on every page and puts the title in the page header.
"""

import datetime
import io
from dataclasses import dataclass

# Wider than this (in character widths) prints landscape.
LANDSCAPE_FROM = 100
MAX_WIDTH = 60


@dataclass(frozen=True)
class Percent:
    """A rate in [0, 1] written as a number with a % format (0.6 → 60.0%)."""

    value: float | None


def _width(value):
    text = value.strftime("%Y-%m-%d") if isinstance(value, datetime.date) else str(value if value is not None else "")
    # CJK characters take two character widths in Excel's default font.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in max(text.split("\n"), key=len, default=""))


def table_workbook(title, headers, rows, *, sheet_title=None):
    """The .xlsx bytes of one sheet: `headers` then `rows` (lists of plain
    values, Percent, dates), printable as described above."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = (sheet_title or title)[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [_width(h) for h in headers]
    for row in rows:
        values = []
        for index, value in enumerate(row):
            if isinstance(value, Percent):
                values.append(value.value)
            else:
                values.append(value)
            if index < len(widths):
                widths[index] = max(widths[index], _width(value.value if isinstance(value, Percent) else value))
        ws.append(values)
        for index, value in enumerate(row):
            cell = ws.cell(row=ws.max_row, column=index + 1)
            if isinstance(value, Percent):
                cell.number_format = "0.0%"
            elif isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    total = 0
    for index, width in enumerate(widths, start=1):
        width = min(max(width + 2, 6), MAX_WIDTH)
        total += width
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if total > LANDSCAPE_FROM else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
