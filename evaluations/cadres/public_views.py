"""The published results, open to anyone: each cadre's figures, every
receipt code marked counted (a voter finds theirs), and separately every
ballot's grades in random order without a receipt (anyone can recount).
No receipt is ever shown beside grades, so a receipt proves a ballot was
counted, never how it voted. The page's queries do not grow with the
ballots (one page of receipts, one page of ballots, one query for their
grades)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workflows.audit import history_of
from ballots.codes import display_receipt, normalise_receipt
from workflows.documents.case_documents import document_response
from workflows.pages.query import query_without_page

from . import selectors
from .models import Grade
from .tally import recorded_tally

RECEIPTS_PER_PAGE = 100
BALLOTS_PER_PAGE = 50


@require_GET
def public_results(request, code):
    evaluation = selectors.published_evaluation(code)
    cadres = list(evaluation.cadres.all())
    typed = (request.GET.get("receipt") or "").strip()
    receipt = normalise_receipt(typed) if typed else ""
    page = Paginator(selectors.public_receipts(evaluation, receipt), RECEIPTS_PER_PAGE).get_page(
        request.GET.get("page"))
    ballots = Paginator(selectors.public_ballots(evaluation), BALLOTS_PER_PAGE).get_page(
        request.GET.get("ballots_page"))
    response = render(request, "cadres/public_results.html", {
        "evaluation": evaluation, "cadres": cadres, "result": recorded_tally(evaluation),
        "page_obj": page, "receipts": [display_receipt(r) for r in page.object_list],
        "ballots_page": ballots, "ballot_rows": selectors.ballot_grade_rows(list(ballots.object_list), cadres),
        "receipt": typed, "query_string": query_without_page(request),
        "ballots_query_string": query_without_page(request, "ballots_page"),
        "grades": Grade.choices,
        # Every reopening of the count, with the district's reason: a recount is public.
        "reopenings": list(history_of(evaluation).filter(action="cadres.evaluation.count_reopened")),
    })
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def public_result_sheet(request, code, fmt):
    return document_response(request, "cadres", "results", selectors.published_evaluation(code), fmt)
