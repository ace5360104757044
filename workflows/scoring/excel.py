"""A scoring standard's Excel sheet: export, and import row by row with
errors naming the row. Column headings are Chinese literal: the sheet is
the district's form."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from workflows.documents.xlsx import Sheet, write_workbook
from workflows.documents.xlsx_import import open_workbook, read_table
from workflows.models import ItemKind

STANDARD_HEADERS = ["章节", "编号", "考核内容", "类型", "标准分", "备注", "佐证材料"]
STANDARD_SHEET = "评分标准"
KIND_WORDS = {ItemKind.SCORED: "计分", ItemKind.BONUS: "加分", ItemKind.DEDUCTION: "扣分", ItemKind.VETO: "否决"}
WORD_KINDS = {word: kind for kind, word in KIND_WORDS.items()}
MANDATORY_WORD = "必备"
# The import's keys for the template's columns, in order.
STANDARD_KEYS = ["section", "code", "text", "kind", "points", "remark", "guidance"]


def standard_xlsx(version):
    from .standards import version_data

    data = version_data(version)
    rows = [[section["title"], item["code"], item["text"], KIND_WORDS[item["kind"]], float(item["points"]),
             MANDATORY_WORD if item["mandatory"] else "", item["guidance"]]
            for section in data["sections"] for item in section["items"]]
    # Row 1 holds the thresholds (read back by the import), row 2 the headings.
    thresholds = ["合格分数线", float(data["qualified"]), "模范分数线", float(data["model"])]
    return write_workbook([Sheet(STANDARD_SHEET, STANDARD_HEADERS, rows, caption=[thresholds],
                                 page_title=f"{version.standard} 评分标准")])


def parse_standard_xlsx(fileobj):
    """(data, errors): the standard's data as workflows.scoring.standards
    takes it, and the problems found, each naming its sheet, row and
    column (CellError)."""
    wb = open_workbook(fileobj)
    if wb is None:
        return None, [_("The file is not an Excel workbook (.xlsx).")]
    table = read_table(wb, dict(zip(STANDARD_KEYS, STANDARD_HEADERS)), header_row=2, exact=True)
    first = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ())
    if table.missing or not table.rows:
        return None, [_("The sheet has no items: row 1 holds the thresholds, row 2 the headings, items follow.")]
    data = {"qualified": first[1] if len(first) > 1 else None, "model": first[3] if len(first) > 3 else None}
    errors, sections = [], []
    first_row_of = {}  # item number -> the row that first used it
    for row in table.rows:
        section, code, text, kind_word, points, remark, guidance = (row.text(key) for key in STANDARD_KEYS)
        if not any((section, code, text, kind_word, points)):
            continue
        problems = []
        if not section:
            problems.append(row.error("section", _("the section is empty")))
        if not code:
            problems.append(row.error("code", _("the number is empty")))
        elif code in first_row_of:
            # Named with both rows, so the clerk finds the pair.
            problems.append(row.error("code", _("the number “%(code)s” is already used on row %(first)d")
                                      % {"code": code, "first": first_row_of[code]}))
        else:
            first_row_of[code] = row.number
        if not text:
            problems.append(row.error("text", _("the requirement is empty")))
        kind = WORD_KINDS.get(kind_word or "计分")
        if kind is None:
            problems.append(row.error("kind", _("the kind must be 计分, 加分, 扣分 or 否决, not “%(word)s”") % {
                "word": kind_word}))
        try:
            value = Decimal(points or "0")
            if value < 0:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(row.error("points", _("the points “%(value)s” are not a number not below zero") % {
                "value": points}))
            value = None
        if problems:
            errors.extend(problems)
            continue
        if not sections or sections[-1]["title"] != section:
            sections.append({"title": section, "items": []})
        sections[-1]["items"].append({"code": code, "text": text, "kind": kind, "points": value,
                                      "mandatory": MANDATORY_WORD in remark, "guidance": guidance})
    data["sections"] = sections
    return data, errors
