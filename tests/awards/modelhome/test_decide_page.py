"""The district's decision on a model-home application goes through the
engine's decision page: a refused decision comes back without any
confirmation carried over, so the next choice asks for confirmation again."""

from decimal import Decimal

from django.urls import reverse

from awards.modelhome.models import Application, AppState

from tests.decision_forms import post_forms

from .conftest import fill, score, through_notice, to_inspection


def _passed_notice_at(mh, scale):
    application = to_inspection(mh, fill(mh))
    for inspector in (mh.inspector_1, mh.inspector_2):
        score(mh, application, inspector, scale=scale)
    through_notice(mh, application)
    application.refresh_from_db()
    assert application.state == AppState.NOTICE_PASSED
    return application


def test_a_refused_model_grade_does_not_confirm_the_next_choice(mh, client):
    """Found by walking: 命名为模范 at a mean of 85 is refused (the threshold
    is 90); the form came back still carrying "confirmed", and 不予命名
    chosen next was recorded at once as final."""
    application = _passed_notice_at(mh, Decimal("0.85"))
    assert application.inspected_total == Decimal("85.00")
    url = reverse("modelhome:decide", args=[application.pk])
    client.force_login(mh.admin_d)

    refused = client.post(url, {"decision": "model", "comment": "", "version": application.version,
                                "confirmed": "1"}, follow=True)
    html = refused.content.decode()
    application.refresh_from_db()
    assert application.state == AppState.NOTICE_PASSED
    assert "90" in html  # the refusal names the threshold
    forms = [f for f in post_forms(html) if any(n == "decision" for n, _v in f["buttons"])
             or "version" in f["hidden"]]
    assert forms, "the decision page comes back with its form"
    for form in forms:
        assert not form["hidden"].get("confirmed") and not form["hidden"].get("confirm")

    # The district administrator now picks 不予命名 on the page as it came back.
    form = forms[0]
    data = {**form["hidden"], **form["text"], "decision": "not_granted"}
    answer = client.post(form["action"] or refused.request["PATH_INFO"], data)
    application.refresh_from_db()
    assert application.state == AppState.NOTICE_PASSED, "a final decision was recorded with no confirmation"
    assert answer.status_code == 200 and "确认" in answer.content.decode()
    assert not Application.objects.filter(state=AppState.NOT_GRANTED).exists()
