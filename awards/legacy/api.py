"""The May Day award's old API addresses (docs/mayday-as-kinds.md §3),
under the API's own authentication (a token reads what its user reads):
reading moves for good to the kinds' process (308, the method kept), with
the list's filters in the kinds' words; a decision is taken in place,
its code translated by the case's open step, because a client's body
names May Day's codes (`approve` at every level, `award` / `decline`)."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from awards.kinds import selectors
from workflows.api.views import DecisionView

from .views import KIND_CODES, STATES, _with

KEY = "kind_case"
# May Day's "approve", by the kinds' step the case stands at.
APPROVE = {"confirm": "confirm", "intermediate_review": "forward", "district_review": "approve"}


class Moved(HttpResponseRedirect):
    status_code = 308


def _carried(user, pk):
    return get_object_or_404(selectors.cases_visible_to(user), carried_from_type__app_label="awards",
                             carried_from_type__model="nomination", carried_from_id=pk)


# Old addresses: not in the schema.
@extend_schema(exclude=True)
class ProcessView(APIView):
    def get(self, request):
        return Moved(reverse("api:process", args=[KEY]))


@extend_schema(exclude=True)
class CaseListView(APIView):
    def get(self, request):
        get = request.query_params
        campaign = None
        if get.get("campaign"):
            campaign = selectors.campaigns_visible_to(request.user).filter(code=get["campaign"]).first()
            if campaign is None:
                raise Http404()
        query = {"campaign": campaign.pk if campaign else None, "state": STATES.get(get.get("state", ""), ""),
                 "kind": KIND_CODES.get(get.get("kind", ""), ""), "organisation": get.get("organisation"),
                 "q": get.get("q"), "page": get.get("page")}
        return Moved(_with(reverse("api:cases", args=[KEY]), query))


@extend_schema(exclude=True)
class CaseDetailView(APIView):
    def get(self, request, pk):
        return Moved(reverse("api:case", args=[KEY, _carried(request.user, pk).pk]))


def translated(case, code):
    """May Day's decision code as the kinds' process names it at the case's
    open step; any other code as it is."""
    step = case.state and {"confirming": "confirm", "intermediate": "intermediate_review",
                           "district": "district_review", "deciding": "decision"}.get(case.state)
    if code == "approve" and step in APPROVE:
        return APPROVE[step]
    if code in ("award", "decline") and step == "decision":
        wanted = code == "award"
        for index, outcome in enumerate(case.outcomes):
            if bool(outcome.get("positive")) == wanted:
                return f"outcome_{index + 1}"
    return code


@extend_schema(exclude=True)
class CaseDecisionView(DecisionView):
    def decision_data(self, request, case):
        data = dict(request.data.items()) if hasattr(request.data, "items") else {}
        if "decision" in data:
            data["decision"] = translated(case, data["decision"])
        return data

    def post(self, request, pk):
        return super().post(request, KEY, _carried(request.user, pk).pk)
