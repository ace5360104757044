"""The published results, open to anyone: each cadre's figures and every
receipt code with its ballot's grades, so a voter finds their receipt and
anyone can recount. The page's queries do not grow with the ballots (one
page of receipts, one query for their grades)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workflows.audit import history_of

from . import selectors
from .codes import normalise_receipt
from .models import Grade
from .tally import recorded_tally
from .views import result_download

RECEIPTS_PER_PAGE = 100


@require_GET
def public_results(request, code):
    evaluation = selectors.published_evaluation(code)
    cadres = list(evaluation.cadres.all())
    typed = (request.GET.get("receipt") or "").strip()
    receipt = normalise_receipt(typed) if typed else ""
    page = Paginator(selectors.public_ballots(evaluation, receipt), RECEIPTS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    response = render(request, "cadres/public_results.html", {
        "evaluation": evaluation, "cadres": cadres, "result": recorded_tally(evaluation),
        "page_obj": page, "rows": selectors.receipts_page_rows(evaluation, list(page.object_list), cadres),
        "receipt": typed, "query_string": params.urlencode(), "grades": Grade.choices,
        # Every reopening of the count, with the district's reason: a recount is public.
        "reopenings": list(history_of(evaluation).filter(action="cadres.evaluation.count_reopened")),
    })
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def public_result_sheet(request, code, fmt):
    return result_download(request, selectors.published_evaluation(code), fmt)
