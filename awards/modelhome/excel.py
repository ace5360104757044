"""Excel sheets: a scoring standard (export and import, row by row with
errors naming the row), the register of titles, an inspector's scores.
Column headings are Chinese literal: the sheets are the district's forms."""

import io
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from .models import ItemKind

STANDARD_HEADERS = ["章节", "编号", "考核内容", "类型", "标准分", "备注", "佐证材料"]
KIND_WORDS = {ItemKind.SCORED: "计分", ItemKind.BONUS: "加分", ItemKind.DEDUCTION: "扣分", ItemKind.VETO: "否决"}
WORD_KINDS = {word: kind for kind, word in KIND_WORDS.items()}
MANDATORY_WORD = "必备"


def _save(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _header(ws, headers):
    ws.append(headers)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def standard_xlsx(version):
    from .standards import version_data

    data = version_data(version)
    wb = Workbook()
    ws = wb.active
    ws.title = "评分标准"
    ws.append(["合格分数线", float(data["qualified"]), "模范分数线", float(data["model"])])
    _header(ws, STANDARD_HEADERS)
    for section in data["sections"]:
        for item in section["items"]:
            ws.append([section["title"], item["code"], item["text"], KIND_WORDS[item["kind"]], float(item["points"]),
                       MANDATORY_WORD if item["mandatory"] else "", item["guidance"]])
    for column, width in zip("ABCDEFG", (16, 8, 60, 8, 8, 8, 30)):
        ws.column_dimensions[column].width = width
    return _save(wb)


def _cell(value):
    return "" if value is None else str(value).strip()


def parse_standard_xlsx(fileobj):
    """(data, errors): the standard's data as awards.modelhome.standards
    takes it, and the problems found, each naming its row."""
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        return None, [_("The file is not an Excel workbook (.xlsx).")]
    rows = list(wb.active.iter_rows(values_only=True))
    errors, sections = [], []
    if len(rows) < 3:
        return None, [_("The sheet has no items: row 1 holds the thresholds, row 2 the headings, items follow.")]
    first = rows[0]
    data = {"qualified": first[1] if len(first) > 1 else None, "model": first[3] if len(first) > 3 else None}
    for index, row in enumerate(rows[2:], start=3):
        row = list(row) + [None] * (7 - len(row))
        section, code, text, kind_word, points, remark, guidance = (_cell(v) for v in row[:7])
        if not any((section, code, text, kind_word, points)):
            continue
        problems = []
        if not section:
            problems.append(_("the section is empty"))
        if not code:
            problems.append(_("the number is empty"))
        if not text:
            problems.append(_("the requirement is empty"))
        kind = WORD_KINDS.get(kind_word or "计分")
        if kind is None:
            problems.append(_("the kind must be 计分, 加分, 扣分 or 否决, not “%(word)s”") % {"word": kind_word})
        try:
            value = Decimal(points or "0")
            if value < 0:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(_("the points “%(value)s” are not a number not below zero") % {"value": points})
            value = None
        if problems:
            errors.append(_("Row %(row)d: %(problems)s.") % {"row": index, "problems": "；".join(problems)})
            continue
        if not sections or sections[-1]["title"] != section:
            sections.append({"title": section, "items": []})
        sections[-1]["items"].append({"code": code, "text": text, "kind": kind, "points": value,
                                      "mandatory": MANDATORY_WORD in remark, "guidance": guidance})
    data["sections"] = sections
    return data, errors


TITLE_HEADERS = ["称号持有单位", "级别", "等级", "命名年度", "命名日期", "复查到期", "状态", "状态日期", "证书编号"]


def titles_xlsx(titles):
    wb = Workbook()
    ws = wb.active
    ws.title = "称号名册"
    _header(ws, TITLE_HEADERS)
    for t in titles:
        ws.append([t.holder.name, str(t.get_level_display()), str(t.get_grade_display()), t.campaign.year,
                   t.granted_on, t.due_on, str(t.get_status_display()), t.status_changed_on,
                   t.certificate.number if t.certificate_id else ""])
    for column, width in zip("ABCDEFGHI", (30, 22, 14, 10, 12, 12, 12, 12, 22)):
        ws.column_dimensions[column].width = width
    return _save(wb)


def inspection_xlsx(application, inspections, scores):
    """The inspectors' scores the reader may see, one column each, then
    each one's item notes (备注) and, on the last row, their general remark."""
    wb = Workbook()
    ws = wb.active
    ws.title = "考核评分"
    names = [i.inspector.get_full_name() or i.inspector.get_username() for i in inspections]
    _header(ws, ["编号", "考核内容", "标准分"] + names + [f"{name} 备注" for name in names])
    by_key = {(s.inspection_id, s.item_id): s for s in scores}
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
        ws.append(row)
    ws.append(["", "合计", ""] + ["" if i.total is None else float(i.total) for i in inspections])
    ws.append(["", "总体意见", ""] + [""] * len(inspections) + [i.comment or "" for i in inspections])
    return _save(wb)
