"""One model-home decision through its HTTP POST costs no more than its
ceiling (measured as tests/workflows/test_query_counts.py measures the May
Day decisions: the whole request, the decision's transaction the outermost
one, after-commit work included)."""

import pytest
from django.urls import reverse

from awards.modelhome.models import AppState
from tests.workflows.test_query_counts import _decision_queries, _repeats

from .conftest import fill

# A district reviewer's recommendation: the request (session, user, their
# memberships with delegations), the application, its open task with its
# process, the reviewer's conflicts and earlier decisions, the decision
# (case and task locked with the process row, case updated, audit entry,
# webhooks, task closed, next task opened and linked), who may take it
# (holders, substitutes and memberships in one query, conflicts), its
# deadline, the notices. Issue 20 asks for at most 25.
REVIEW_CEILING = 25


@pytest.mark.django_db(transaction=True)
def test_a_model_home_recommendation_costs_no_more_than_its_ceiling(mh, client, capsys):
    application = fill(mh)
    client.force_login(mh.reviewer_a)
    queries = _decision_queries(client, reverse("modelhome:decide", args=[application.pk]),
                                {"decision": "recommend", "version": application.version})
    application.refresh_from_db()
    assert application.state == AppState.RECOMMENDED
    with capsys.disabled():
        print(f"\nmodel home recommendation: {len(queries)} queries")
    assert len(queries) <= REVIEW_CEILING, (len(queries), _repeats(queries), queries)
