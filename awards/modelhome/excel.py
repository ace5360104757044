"""Excel sheets: a scoring standard (export and import, row by row with
errors naming the row), the register of titles, an inspector's scores.
Column headings are Chinese literal: the sheets are the district's forms."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from workflows.documents.xlsx import Sheet, write_workbook
from workflows.documents.xlsx_import import open_workbook, read_table

from .models import ItemKind

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
    """(data, errors): the standard's data as awards.modelhome.standards
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


TITLE_HEADERS = ["称号持有单位", "级别", "等级", "命名年度", "命名日期", "复查到期", "状态", "状态日期", "证书编号"]


def titles_xlsx(titles):
    rows = [[t.holder.name, str(t.get_level_display()), str(t.get_grade_display()), t.campaign.year,
             t.granted_on, t.due_on, str(t.get_status_display()), t.status_changed_on,
             t.certificate.number if t.certificate_id else ""] for t in titles]
    return write_workbook([Sheet("称号名册", TITLE_HEADERS, rows, page_title="模范职工之家称号名册")])


def inspection_xlsx(application, inspections, scores):
    """The inspectors' scores the reader may see, one column each, then
    each one's item notes (备注) and, on the last row, their general remark."""
    names = [i.inspector.get_full_name() or i.inspector.get_username() for i in inspections]
    headers = ["编号", "考核内容", "标准分"] + names + [f"{name} 备注" for name in names]
    by_key = {(s.inspection_id, s.item_id): s for s in scores}
    rows = []
    for item in application.campaign.standard_version.ordered_items():
        row = [item.code, item.text, float(item.max_points)]
        for inspection in inspections:
            s = by_key.get((inspection.pk, item.pk))
            if s is None:
                row.append("")
            elif item.kind == ItemKind.VETO:
                row.append("" if s.veto_applies is None else ("是" if s.veto_applies else "否"))
            else:
                row.append("" if s.score is None else float(s.score))
        row += [getattr(by_key.get((inspection.pk, item.pk)), "note", "") or "" for inspection in inspections]
        rows.append(row)
    rows.append(["", "合计", ""] + ["" if i.total is None else float(i.total) for i in inspections])
    rows.append(["", "总体意见", ""] + [""] * len(inspections) + [i.comment or "" for i in inspections])
    return write_workbook([Sheet("考核评分", headers, rows, page_title=f"{application} 考核评分")])
