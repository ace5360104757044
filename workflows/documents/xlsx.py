"""Excel workbooks the way an office prints them: the one writer every
export goes through (importers read through `xlsx_import`).

A process says only what is its own: its sheets' titles, headings and rows.
The part adds what a clerk otherwise fixes by hand before printing: typed
cells (numbers stay numbers, `Percent` values get a % number format, dates
are dates), column widths from the content, the header frozen, and a print
set-up that fits every column on the page width (landscape where the table
is wide), repeats the header row on every page and puts the title in the
page header.

Invariants, for every table sheet written here: the header row is the row
right below the caption lines; the panes are frozen below it; it is the
sheet's print title row; fitToWidth is 1 with fitToPage on and fitToHeight 0
(as many pages down as needed).
"""

import datetime
import io
from dataclasses import dataclass, field

# Wider than this (in character widths) prints landscape.
LANDSCAPE_FROM = 100
MAX_WIDTH = 44
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT_FORMAT = "0.0%"
# For a figure already in percent (66.7 meaning 66.7%): shown with a % sign,
# the number itself unchanged.
POINTS_FORMAT = '0.0"%"'


@dataclass(frozen=True)
class Percent:
    """A rate in [0, 1] written as a number with a % format (0.6 → 60.0%);
    with `format=POINTS_FORMAT`, a figure already in percent (66.7)."""

    value: float | None
    format: str = PERCENT_FORMAT


@dataclass(frozen=True)
class Band:
    """A row of one text across the whole table (a group's heading inside
    the rows), optionally shaded with `fill` (an RGB hex such as "EEEEEE")."""

    text: str
    fill: str | None = None
    bold: bool = False


@dataclass
class Sheet:
    """One worksheet. With `headers` it is a table: `caption` lines above
    the header (a string spans the table's width, the first one is the
    title; a list is written cell by cell), then the header, then `rows`
    (lists of plain values, Percent, dates; or a Band). Without `headers`
    it is a sheet of notes: `rows` written as they are, the first column
    wrapped at `MAX_WIDTH * 2`."""

    title: str
    headers: list | None = None
    rows: list = field(default_factory=list)
    caption: list = field(default_factory=list)
    page_title: str | None = None  # the printed page header; `title` when None
    widths: list | None = None  # least widths of the columns (a template to fill in), in characters


def _plain(value):
    return value.value if isinstance(value, Percent) else value


def _width(value):
    value = _plain(value)
    if isinstance(value, datetime.datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, datetime.date):
        text = value.strftime("%Y-%m-%d")
    elif isinstance(value, float):
        text = f"{value:.2f}"
    else:
        text = str(value if value is not None else "")
    # CJK characters take two character widths in Excel's default font.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in max(text.split("\n"), key=len, default=""))


def _style_cell(cell, value):
    from openpyxl.styles import Alignment

    if isinstance(value, Percent):
        cell.number_format = value.format
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str):
        # Texts wrap in their column rather than being cut off on paper.
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _print_setup(ws, page_title, total_width):
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if total_width > LANDSCAPE_FROM else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = page_title.replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"


def _write_table(ws, sheet):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    width = len(sheet.headers)
    for index, line in enumerate(sheet.caption):
        if isinstance(line, str):
            ws.append([line])
            if width > 1:
                ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
            cell = ws.cell(ws.max_row, 1)
            if index == 0:
                cell.font = Font(bold=True, size=14)
                cell.alignment = Alignment(horizontal="center")
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        else:
            ws.append([_plain(v) for v in line])
            for column, value in enumerate(line, start=1):
                _style_cell(ws.cell(ws.max_row, column), value)
    header_row = len(sheet.caption) + 1
    ws.append(list(sheet.headers))
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [_width(h) for h in sheet.headers]
    for index, least in enumerate((sheet.widths or [])[:width]):
        widths[index] = max(widths[index], least - 2)
    for row in sheet.rows:
        if isinstance(row, Band):
            ws.append([row.text])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
            cell = ws.cell(ws.max_row, 1)
            cell.font = Font(bold=row.bold)
            if row.fill:
                cell.fill = PatternFill("solid", fgColor=row.fill)
            continue
        ws.append([_plain(v) for v in row])
        for index, value in enumerate(row):
            _style_cell(ws.cell(ws.max_row, index + 1), value)
            if index < width:
                widths[index] = max(widths[index], _width(value))
    total = 0
    for index, column_width in enumerate(widths, start=1):
        column_width = min(max(column_width + 2, 6), MAX_WIDTH)
        total += column_width
        ws.column_dimensions[get_column_letter(index)].width = column_width
    # Excel sizes no merged row to its wrapped text: a caption line under
    # the title gets the height of the lines it wraps into across the table.
    for index, line in enumerate(sheet.caption[1:], start=2):
        if isinstance(line, str):
            ws.row_dimensions[index].height = 15 * max(1, -(-_width(line) // max(total, 1)))
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    return total


def _write_notes(ws, sheet):
    from openpyxl.styles import Alignment

    longest = 0
    for row in sheet.rows:
        ws.append([_plain(v) for v in row])
        for index, value in enumerate(row):
            _style_cell(ws.cell(ws.max_row, index + 1), value)
        if row:
            longest = max(longest, _width(row[0]))
    ws.column_dimensions["A"].width = min(max(longest + 2, 20), MAX_WIDTH * 2)
    for row in ws.iter_rows(max_col=1):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    return ws.column_dimensions["A"].width


def write_workbook(sheets, *, title=None):
    """The .xlsx bytes of `sheets` (Sheet), printable as described above;
    `title` is the page header of sheets that name none."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        total = _write_table(ws, sheet) if sheet.headers is not None else _write_notes(ws, sheet)
        _print_setup(ws, sheet.page_title or title or sheet.title, total)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(data, filename):
    """An attachment download of the .xlsx bytes `data`; the file name may
    be Chinese (RFC 5987 filename*)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def table_workbook(title, headers, rows, *, sheet_title=None, caption=()):
    """The .xlsx bytes of one table sheet: `caption` lines, `headers`, then
    `rows`; `title` heads every printed page."""
    return write_workbook([Sheet(sheet_title or title, headers, list(rows), list(caption), page_title=title)])
