"""Excel sheets: the register of titles, an inspector's scores (the
scoring standard's own sheet is the engine's: workflows.scoring.excel).
Column headings are Chinese literal: the sheets are the district's forms."""

from workflows.documents.xlsx import Sheet, write_workbook

from .models import ItemKind

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
