"""The evaluation's paper: voting slips (several to an A4 page, each with a
QR code and the short code) and the result sheet (PDF and Excel).

Text printed on paper is Chinese literal, as on the official forms; the
rendering is workflows.documents'."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.audit import history_of
from workflows.documents.case_documents import CaseDocument, register_case_document
from workflows.documents import pdf_cache
from workflows.documents.rendering import html_to_pdf, qr_png_data_uri, render_html
from workflows.documents.xlsx import Percent, Sheet, write_workbook
from workflows.exceptions import RuleViolation

from . import services
from .models import GRADE_ZH, PRINT_STATES, RESULT_STATES, Grade
from .models import EvaluationState as S
from .tally import recorded_tally, tally
from .weights import formula_zh

SLIPS_PER_PAGE = 8  # 2 columns × 4 rows on A4 portrait


def voting_url(evaluation, code=None):
    """The voting page's address; with a code (the slip's QR code), the code
    in the fragment, which a browser never sends to a server, so no access
    log or proxy ever holds it (vote_views.py)."""
    url = settings.SITE_URL + reverse("cadres:vote", args=[evaluation.code])
    return f"{url}#code={code.code}" if code is not None else url


def slips_html(evaluation, codes):
    """One slip per code, in the order given (the caller shuffles nothing:
    slips are handed out at random at the meeting); a weighted
    evaluation's slip says its rater category."""
    slips = [{"qr": qr_png_data_uri(voting_url(evaluation, code)), "code": code.display, "category": code.category}
             for code in codes]
    pages = [slips[i:i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
    return render_html("cadres/print/slips.html",
                       {"evaluation": evaluation, "pages": pages, "vote_url": voting_url(evaluation)},
                       size="A4", orientation="portrait", margin="8mm")


def print_unused_slips(evaluation, *, actor, ip=None, via_command=False, render=None):
    """The unused codes as slips (their HTML, or what `render` makes of it:
    the command's PDF), before the vote opens only (a print while voting
    would leave out the codes just used); the print audited with its count
    once it is made. The page and `manage.py print_voting_slips` both."""
    if evaluation.state not in PRINT_STATES:
        raise RuleViolation(_("Slips are printed only before the vote opens: a print now would show which "
                              "codes have been used. Replace a lost slip instead."))
    codes = list(services.unused_codes(evaluation))
    if not codes:
        raise RuleViolation(_("There are no unused codes to print."))
    made = slips_html(evaluation, codes)
    if render is not None:
        made = render(made)  # a failed rendering records no print
    services.do_record_slips_printed(evaluation=evaluation, count=len(codes), actor=actor, ip=ip,
                                     via_command=via_command)
    return made


def slips_response(request, evaluation, html, name):
    """Slips hold live codes: rendered for the request, kept in no cache."""
    return pdf_cache.pdf_response(request, html, f"{evaluation.code}-{name}.pdf", as_attachment=True, private=True)


def result_tally(evaluation):
    return recorded_tally(evaluation) if evaluation.outcome else tally(evaluation)


def result_sheet_rows(evaluation, result):
    """One row per cadre; its rates as Decimal percentages (the paper
    prints "66.67%", the Excel sheet stores numbers), the weighted ones
    after them in a weighted evaluation (None: "—")."""
    rows = []
    for f in result.rows:
        rates = [f.excellent_rate, f.competent_or_better_rate]
        if result.weighted:
            rates += [f.weighted_excellent_rate, f.weighted_competent_or_better_rate]
        rows.append({"name": f.cadre.name, "post": f.cadre.post, "counts": f.counts(), "abstained": f.abstained,
                     "rates": rates, "result": "评议无效" if result.is_void else f.result_zh})
    return rows


def review_of(evaluation):
    """上级工会审核意见: the superior union's approval of the results (the
    latest, should the count have been reopened), as printed: its comment
    ("审核通过" when it gave none), its union and date. None before."""
    if evaluation.state not in RESULT_STATES or evaluation.state == S.TALLIED:
        return None
    entry = (history_of(evaluation).filter(action="cadres.evaluation.results_approved")
             .order_by("-created", "-pk").first())
    if entry is None:
        return None
    return {"comment": entry.comment or "审核通过", "union": entry.organisation.name if entry.organisation else "",
            "date": timezone.localtime(entry.created).date()}


OUTCOME_ZH = {"valid": "有效", "void_quorum": "无效（参加人数未超过应到人数的规定比例）",
              "void_over_issued": "无效（收回票数多于发出票数）", "": "未计票"}


def quorum_zh(evaluation, result):
    """The quorum rule and whether it was met, as printed."""
    met = "达到" if result.quorum_met else "未达到"
    return (f"有效条件：参加人数须超过应到人数的 {evaluation.quorum_numerator}/{evaluation.quorum_denominator}"
            f"（至少 {result.quorum_minimum} 张）；实投 {result.cast} 张，{met}有效人数")


def sign_ins_zh(result):
    """The roll's sign-ins against the ballots cast (None without a roll)."""
    if result.signed_in is None:
        return None
    text = f"签到 {result.signed_in} 人，投票 {result.cast} 张"
    if result.exceeds_sign_ins:
        text += "（投票数多于签到人数，请核查）"
    return text


def _sheet_context(evaluation):
    result = result_tally(evaluation)
    return {
        "evaluation": evaluation, "result": result, "rows": result_sheet_rows(evaluation, result),
        "grades": [GRADE_ZH[g] for g in Grade.values], "outcome_zh": OUTCOME_ZH.get(result.outcome, ""),
        "date": evaluation.meeting_date or timezone.localdate(), "criteria": "、".join(evaluation.criteria),
        "quorum_zh": quorum_zh(evaluation, result), "sign_ins_zh": sign_ins_zh(result),
        "formula": formula_zh(evaluation), "review": review_of(evaluation),
        "mark": "【演练】" if evaluation.rehearsal else "",
    }


def result_sheet_html(evaluation):
    return render_html("cadres/print/result_sheet.html", _sheet_context(evaluation), size="A4", orientation="landscape")


def check_result_sheet(evaluation):
    if evaluation.state not in RESULT_STATES:
        raise RuleViolation(_("The result sheet exists once the ballots are tallied."))


def result_sheet_pdf(evaluation):
    return html_to_pdf(result_sheet_html(evaluation))


XLSX_HEADERS = ["序号", "姓名", "职务", "评议日期", "评议方式", "应到", "实到", *GRADE_ZH.values(), "弃权",
                "优秀率", "称职及以上率", "评议结果"]
XLSX_WEIGHTED = ["加权优秀率", "加权称职及以上率"]
PERCENT_FORMAT = "0.00%"


def _fraction(percent):
    """A Decimal percentage (66.67) as the number Excel formats as 66.67%."""
    return None if percent is None else float(percent / 100)


def result_sheet_xlsx(evaluation):
    context = _sheet_context(evaluation)
    result = context["result"]
    headers = XLSX_HEADERS[:-1] + (XLSX_WEIGHTED if result.weighted else []) + XLSX_HEADERS[-1:]
    rows = []
    for i, row in enumerate(context["rows"], 1):
        # Rates are numbers (sortable, summable), shown as percentages.
        rows.append([i, row["name"], row["post"], context["date"], evaluation.method,
                     evaluation.entitled_count, result.cast, *row["counts"], row["abstained"],
                     *[Percent(_fraction(r), PERCENT_FORMAT) for r in row["rates"]], row["result"]])
    title = f"{context['mark']}{evaluation.title} 民主评议结果汇总表"
    caption = [title, f"单位：{evaluation.organisation.name}　评议内容：{context['criteria']}　投票结果："
                      f"{context['outcome_zh']}　{context['quorum_zh']}"
                      + (f"　{context['sign_ins_zh']}" if context["sign_ins_zh"] else "")]
    # The notes on a sheet of their own, so the table stays one block of
    # rows for whoever sorts or imports it.
    notes = [[f"{context['mark']}{evaluation.title}"], [context["quorum_zh"]]]
    if context["sign_ins_zh"]:
        notes.append([context["sign_ins_zh"]])
    if context["formula"]:
        notes.append([context["formula"]])
    notes.append([f"评议工作机构（工会）：{evaluation.organisation.name}"])
    review = context["review"]
    notes.append([f"上级工会审核意见：{review['comment']}（{review['union']}，{review['date'].isoformat()}）"
                  if review else "上级工会审核意见："])
    return write_workbook([Sheet("评议结果", headers, rows, caption=caption, page_title=title),
                           Sheet("说明及审核意见", None, notes, page_title=title)])


# What the pages offer and the commands print (manage.py export_case_document,
# and this process's own names for it: export_evaluation_results, print_voting_slips).
register_case_document("cadres", CaseDocument("results", "Result sheet", {
    "pdf": result_sheet_pdf, "xlsx": result_sheet_xlsx}, check=check_result_sheet, html=result_sheet_html))
register_case_document("cadres", CaseDocument("slips", "Voting slips", {
    # The server's operator prints them, recorded as such (never who got which).
    "pdf": lambda evaluation: print_unused_slips(evaluation, actor=None, via_command=True, render=html_to_pdf)}))
