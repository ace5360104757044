"""The register of titles as an Excel sheet (the inspectors' scores and
the scoring standard's own sheet are the engine's: workflows.scoring).
Column headings are Chinese literal: the sheet is the district's form."""

from workflows.documents.xlsx import Sheet, write_workbook

TITLE_HEADERS = ["称号持有单位", "级别", "等级", "命名年度", "命名日期", "复查到期", "状态", "状态日期", "证书编号"]


def titles_xlsx(titles):
    rows = [[t.holder.name, str(t.get_level_display()), str(t.get_grade_display()), t.campaign.year,
             t.granted_on, t.due_on, str(t.get_status_display()), t.status_changed_on,
             t.certificate.number if t.certificate_id else ""] for t in titles]
    return write_workbook([Sheet("称号名册", TITLE_HEADERS, rows, page_title="模范职工之家称号名册")])

