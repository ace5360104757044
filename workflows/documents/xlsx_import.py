"""Reading an uploaded workbook: the one reader every import goes through.

`open_workbook` opens the bytes or file (None when it is not an .xlsx);
`read_table` finds a sheet's columns by their headings and yields its
non-blank rows with their row numbers; `Row.error` names a problem by
sheet, row, column letter and heading (CellError), the way a clerk finds
it in Excel. What the columns mean and which values are right stays with
the importer."""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class CellError:
    sheet: str
    row: int
    column: str  # the column's letter
    header: str
    message: str

    def __str__(self):
        return _("Sheet %(sheet)s, row %(row)d, column %(column)s (%(header)s): %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column, "header": self.header,
            "message": self.message,
        }


def column_letter(index):
    """0 → A, 26 → AA."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def text(value):
    """A cell as the text a clerk typed: None → "", 12.0 → "12", stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def open_workbook(data):
    """The workbook in `data` (bytes or a file), read-only with values
    rather than formulas; None when it is not a readable .xlsx."""
    from openpyxl import load_workbook

    if isinstance(data, bytes | bytearray):
        data = io.BytesIO(data)
    try:
        return load_workbook(data, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        return None


@dataclass
class Row:
    table: "Table"
    number: int  # the row's number in Excel, from 1
    cells: tuple

    def value(self, key):
        index = self.table.columns.get(key)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def text(self, key):
        return text(self.value(key))

    def values(self):
        """{key: text} of every column found."""
        return {key: self.text(key) for key in self.table.columns}

    def error(self, key, message):
        return self.table.error(self.number, key, message)


@dataclass
class Table:
    """A sheet read by its headings: `columns` maps each key found to its
    0-based index, `headings` each key to its heading (as found, or the
    first name asked for), `missing` the keys not found."""

    sheet: str
    header_row: int
    columns: dict = field(default_factory=dict)
    headings: dict = field(default_factory=dict)
    missing: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    def error(self, row, key, message):
        index = self.columns.get(key)
        # A column the sheet lacks is named by its heading, at the first
        # free column (where it should be added).
        letter = column_letter(index if index is not None else len(self.columns))
        return CellError(self.sheet, row, letter, self.headings.get(key, str(key)), message)


def read_table(workbook, columns, *, sheet=None, header_row=1, exact=False):
    """Read the sheet named `sheet` (the first when None) of `workbook`.

    `columns` maps keys to the headings accepted for them (a string or a
    list; matched without regard to case or surrounding spaces). With
    `exact`, the headings must be the first cells of the header row, in
    order (a template's layout): any other header row finds no columns.
    Returns the Table, or None when there is no such sheet. Blank rows are
    left out; the rest keep their Excel row numbers."""
    if sheet is not None and sheet not in workbook.sheetnames:
        return None
    ws = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    table = Table(ws.title, header_row)
    names = {key: [n] if isinstance(n, str) else list(n) for key, n in columns.items()}
    table.headings = {key: n[0] for key, n in names.items()}
    iterator = ws.iter_rows(min_row=header_row, values_only=True)
    header = [text(v) for v in next(iterator, ())]
    if exact:
        wanted = [n[0] for n in names.values()]
        if header[: len(wanted)] == wanted:
            table.columns = {key: index for index, key in enumerate(names)}
    else:
        for index, heading in enumerate(header):
            for key, accepted in names.items():
                if key not in table.columns and heading.lower() in {a.lower() for a in accepted}:
                    table.columns[key] = index
                    table.headings[key] = heading
    table.missing = [key for key in names if key not in table.columns]
    for number, cells in enumerate(iterator, start=header_row + 1):
        cells = tuple(cells or ())
        if any(text(v) for v in cells):
            table.rows.append(Row(table, number, cells))
    return table
