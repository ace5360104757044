"""A list printed in groups and bands, as a PDF and as an Excel sheet from
the same rows: each group (an award) headed with its count, each band
inside it (a recommending union) a shaded line, then its rows numbered (on
paper within the band, in Excel through the sheet). The process gives its
columns, its groups and its template (extending
workflows/documents/banded_list.html for its heading and wording)."""

from dataclasses import dataclass

from .rendering import render_html
from .xlsx import Band, Sheet, write_workbook


@dataclass(frozen=True)
class Column:
    """A column on paper: its heading, the row's key, its width (CSS) and
    whether its text breaks only between words (names, units, posts)."""

    label: str
    key: str
    width: str
    keep_words: bool = True


@dataclass(frozen=True)
class Group:
    """A group of the list: its title, its kind (for the process's wording
    of the count), its count and its bands: [(band title, [row dicts])]."""

    title: str
    kind: str
    count: int
    bands: list


def banded_list_html(template, columns, groups, **context):
    """The list's HTML (A4 portrait): each row's cells in the columns'
    order, as (column, value)."""
    for group in groups:
        for _title, rows in group.bands:
            for row in rows:
                row["cells"] = [(column, row.get(column.key, "")) for column in columns]
    return render_html(template, {"columns": columns, "groups": groups, **context}, size="A4", orientation="portrait")


def banded_list_xlsx(groups, *, sheet, title, headers, cells, group_fill="F2DCDB", band_fill="EEEEEE"):
    """The list as one table: each group a shaded band titled with its
    count, each band a lighter one, then its rows numbered through the
    sheet; `cells(group, band title, row)`: a row's cells after its
    number. `title` is the caption and the printed pages' header."""
    rows, seq = [], 0
    for group in groups:
        rows.append(Band(f"{group.title}（{group.count}）", fill=group_fill, bold=True))
        for band, band_rows in group.bands:
            rows.append(Band(band, fill=band_fill))
            for row in band_rows:
                seq += 1
                rows.append([seq, *cells(group, band, row)])
    return write_workbook([Sheet(sheet, headers, rows, caption=[title], page_title=title)])
