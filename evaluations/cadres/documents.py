"""The evaluation's paper: voting slips (several to an A4 page, each with a
QR code and the short code) and the result sheet (PDF and Excel).

Text printed on paper is Chinese literal, as on the official forms; the
rendering is workflows.documents'."""

import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from workflows.documents.rendering import html_to_pdf, qr_png_data_uri, render_html, render_pdf

from .models import GRADE_ZH, Grade
from .tally import recorded_tally, tally

SLIPS_PER_PAGE = 8  # 2 columns × 4 rows on A4 portrait


def voting_url(evaluation, code=None):
    """The voting page's address; with a code (the slip's QR code), the code
    in the fragment, which a browser never sends to a server, so no access
    log or proxy ever holds it (vote_views.py)."""
    url = settings.SITE_URL + reverse("cadres:vote", args=[evaluation.code])
    return f"{url}#code={code.code}" if code is not None else url


def slips_pdf(evaluation, codes):
    """One slip per code, in the order given (the caller shuffles nothing:
    slips are handed out at random at the meeting)."""
    slips = [
        {"qr": qr_png_data_uri(voting_url(evaluation, code)), "code": code.display} for code in codes
    ]
    pages = [slips[i:i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
    return render_pdf(
        "cadres/print/slips.html",
        {"evaluation": evaluation, "pages": pages, "vote_url": voting_url(evaluation)},
        size="A4", orientation="portrait", margin="8mm",
    )


def result_tally(evaluation):
    return recorded_tally(evaluation) if evaluation.outcome else tally(evaluation)


def result_sheet_rows(evaluation, result):
    rows = []
    for f in result.rows:
        rows.append({
            "name": f.cadre.name, "post": f.cadre.post, "counts": f.counts(), "abstained": f.abstained,
            "excellent_rate": f"{f.excellent_rate}%", "competent_rate": f"{f.competent_or_better_rate}%",
            "result": "评议无效" if result.is_void else f.result_zh,
        })
    return rows


OUTCOME_ZH = {"valid": "有效", "void_quorum": "无效（参加人数未超过应到人数的规定比例）",
              "void_over_issued": "无效（收回票数多于发出票数）", "": "未计票"}


def _sheet_context(evaluation):
    result = result_tally(evaluation)
    return {
        "evaluation": evaluation, "result": result, "rows": result_sheet_rows(evaluation, result),
        "grades": [GRADE_ZH[g] for g in Grade.values], "outcome_zh": OUTCOME_ZH.get(result.outcome, ""),
        "date": evaluation.meeting_date or timezone.localdate(), "criteria": "、".join(evaluation.criteria),
    }


def result_sheet_html(evaluation):
    return render_html("cadres/print/result_sheet.html", _sheet_context(evaluation), size="A4", orientation="landscape")


def result_sheet_pdf(evaluation):
    return html_to_pdf(result_sheet_html(evaluation))


XLSX_HEADERS = ["序号", "姓名", "职务", "评议日期", "评议方式", "应到", "实到", *GRADE_ZH.values(), "弃权",
                "优秀率", "称职及以上率", "评议结果"]


def result_sheet_xlsx(evaluation):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    context = _sheet_context(evaluation)
    result = context["result"]
    wb = Workbook()
    ws = wb.active
    ws.title = "评议结果"
    ws.append([f"{evaluation.title} 民主评议结果汇总表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(XLSX_HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"单位：{evaluation.organisation.name}　评议内容：{context['criteria']}　投票结果：{context['outcome_zh']}"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(XLSX_HEADERS))
    ws.append(XLSX_HEADERS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, row in enumerate(context["rows"], 1):
        ws.append([i, row["name"], row["post"], context["date"].isoformat(), evaluation.method,
                   evaluation.entitled_count, result.cast, *row["counts"], row["abstained"],
                   row["excellent_rate"], row["competent_rate"], row["result"]])
    for column, width in zip("ABCDEFGHIJKLMNO", [6, 10, 18, 12, 18, 7, 7, 7, 7, 9, 8, 7, 9, 12, 12]):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
