"""A decision whose comment the case's own data requires
(`Decision.comment_required_when`): the toy's "accept" needs a reason for a
large application only. The service, the decision page and the buttons
read the same answer; the same decision on a small case needs none."""

import pytest
from django.urls import reverse

from tests.engine.toy.models import ToyCase
from tests.engine.toy.models import ToyState as S
from workflows.exceptions import RuleViolation
from workflows.steps.decisions import buttons_for, decide


def _large(case):
    ToyCase.objects.filter(pk=case.pk).update(category="large")
    case.refresh_from_db()
    return case


def test_the_service_refuses_the_decision_without_the_comment_the_case_requires(people, journey):
    case = _large(journey.notice_passed())
    with pytest.raises(RuleViolation, match="large application"):
        decide(case=case, actor=people.admin, decision="accept", comment="  ")
    case.refresh_from_db()
    assert case.state == S.NOTICE_PASSED

    decide(case=case, actor=people.admin, decision="accept", comment="规模大，理由充分")
    case.refresh_from_db()
    assert case.state == S.ACCEPTED


def test_a_case_the_condition_does_not_hold_for_needs_no_comment(people, journey):
    case = journey.notice_passed()
    decide(case=case, actor=people.admin, decision="accept")
    case.refresh_from_db()
    assert case.state == S.ACCEPTED


def test_the_buttons_and_the_decision_page_say_the_case_requires_it(people, journey, client):
    large, small = _large(journey.notice_passed()), journey.notice_passed(title="甲一厂小申请")
    required = {case.pk: {b.code: b.comment_required for b in buttons_for(people.admin, case)}
                for case in (large, small)}
    assert required[large.pk]["accept"] is True and required[small.pk]["accept"] is False
    # Declined needs a comment on every case, whatever the condition says.
    assert required[large.pk]["decline"] is True and required[small.pk]["decline"] is True

    client.force_login(people.admin)
    url = reverse("case_decide", kwargs={"process_key": "toy", "pk": large.pk})
    refused = client.post(url, {"decision": "accept", "version": large.version, "confirmed": "1"})
    assert refused.status_code == 400 and "Say why a large application is accepted." in refused.content.decode()
    large.refresh_from_db()
    assert large.state == S.NOTICE_PASSED
    small_url = reverse("case_decide", kwargs={"process_key": "toy", "pk": small.pk})
    taken = client.post(small_url, {"decision": "accept", "version": small.version, "confirmed": "1"})
    assert taken.status_code in (200, 302)
    small.refresh_from_db()
    assert small.state == S.ACCEPTED
