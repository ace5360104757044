"""The evaluation's page is the engine's case page: the open step and who
holds it, one history with the organisation beside the actor and the
counts cadres reads from an entry, and the evaluation's own panels."""

import pytest

from evaluations.cadres.models import EvaluationState as S

pytestmark = pytest.mark.django_db


def test_the_evaluation_page_is_the_engines_case_page(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.PLAN_SUBMITTED)
    client.force_login(tree.reviewer_a)
    response = client.get(evaluation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.context["open_step"] is not None and response.context["holders"]
    assert "Waiting for" in html
    assert html.count("<h2>History</h2>") == 1 and html.count('id="process-map"') == 1
    assert [d.code for d in response.context["decisions"]] == ["approve", "return"]
    assert "Plan" in html and "Voting" in html


def test_the_history_says_how_many_slips_were_printed(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.PLAN_APPROVED, codes=3)
    client.force_login(tree.chair)
    assert client.post(f"/evaluations/cadres/{evaluation.code}/slips.pdf").status_code == 200
    html = client.get(evaluation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = next(r for r in html.split("<tr>") if "(3)" in r)
    assert tree.chair.username in row or tree.chair.get_full_name() in row
    assert f"· {evaluation.organisation.name}" in html
