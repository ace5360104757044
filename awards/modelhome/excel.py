"""Excel sheets: the register of titles, the inspectors' scores (the
scoring standard's own sheet is the engine's: workflows.scoring.excel).
Column headings are Chinese literal: the sheets are the district's forms."""

from workflows.documents.xlsx import Sheet, write_workbook
from workflows.scoring.side_by_side import scores_workbook


TITLE_HEADERS = ["称号持有单位", "级别", "等级", "命名年度", "命名日期", "复查到期", "状态", "状态日期", "证书编号"]


def titles_xlsx(titles):
    rows = [[t.holder.name, str(t.get_level_display()), str(t.get_grade_display()), t.campaign.year,
             t.granted_on, t.due_on, str(t.get_status_display()), t.status_changed_on,
             t.certificate.number if t.certificate_id else ""] for t in titles]
    return write_workbook([Sheet("称号名册", TITLE_HEADERS, rows, page_title="模范职工之家称号名册")])


def inspection_xlsx(application, inspections, scores):
    """The inspectors' scores the reader may see, one column each (the
    engine's side-by-side sheet)."""
    return scores_workbook(
        application.campaign.standard_version.ordered_items(), inspections,
        {(s.inspection_id, s.item_id): s for s in scores},
        names=[i.inspector.get_full_name() or i.inspector.get_username() for i in inspections],
        page_title=f"{application} 考核评分")
