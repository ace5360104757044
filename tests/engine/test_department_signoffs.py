"""A department sign-off on the toy's declared "signoff" step (declared as
May Day declares its own: a fan-out over the departments with a pending
request, the round of requests opened by the review's approval, each answer
written on the department's request by the after_decision hook;
workflows.signoffs). Every department agrees → the inspectors; one refusal
→ rejected, the round's other requests cancelled; a second answer → handled
(HTTP 409 on the page)."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.engine.conftest import assert_tasks_match_state, last_entry
from tests.engine.toy.models import ToyState as S
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.models import SignoffStatus
from workflows.signoffs.answering import answer_signoff
from workflows.signoffs.services import current_round, pending_departments
from workflows.steps.tasks import open_step_names


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _answer(case, officer, agreed, comment=""):
    return answer_signoff(case=case, actor=officer, agreed=agreed, role="department", comment=comment)


def _requests(case):
    return {r.department.code: (r.status, r.answered_by, r.opinion) for r in current_round(case)}


def _url(case):
    return f"/toy/{case.pk}/departments/"


def test_a_case_naming_departments_goes_to_their_sign_offs_one_task_each(people, journey, departments):
    case = journey.at_signoff(departments)
    assert sorted(pending_departments(case)) == sorted(d.pk for d in departments)
    assert open_step_names(case) == ["signoff", "signoff"]
    assert_tasks_match_state(case)
    # Without departments the review sends it straight to the inspectors.
    assert journey.in_inspection().state == S.INSPECTION


def test_when_every_department_agrees_the_case_goes_on(people, journey, departments):
    case = journey.at_signoff(departments)
    _answer(case, people.tax_officer, agreed=True, comment="无欠税")
    case.refresh_from_db()
    assert case.state == S.SIGNOFF and open_step_names(case) == ["signoff"]  # waiting for safety
    assert pending_departments(case) == [departments[1].pk]
    assert _requests(case) == {"tax": (SignoffStatus.AGREED, people.tax_officer, "无欠税"),
                               "safety": (SignoffStatus.PENDING, None, "")}

    _answer(case, people.safety_officer, agreed=True)
    case.refresh_from_db()
    assert case.state == S.INSPECTION and open_step_names(case) == ["inspect", "inspect"]
    assert _requests(case)["safety"][:2] == (SignoffStatus.AGREED, people.safety_officer)
    agreed = history_of(case).filter(action="toy.case.signoff_agreed")
    assert [(e.actor, e.role, e.organisation.code) for e in agreed] == [
        (people.tax_officer, "department", "tax"), (people.safety_officer, "department", "safety")]
    assert (agreed.last().from_state, agreed.last().to_state) == (S.SIGNOFF, S.INSPECTION)


def test_one_refusal_rejects_the_case_and_cancels_the_other_requests(people, journey, departments):
    case = journey.at_signoff(departments)
    _answer(case, people.safety_officer, agreed=False, comment="  消防通道堵塞  ")
    case.refresh_from_db()
    assert case.state == S.REJECTED and open_step_names(case) == []
    assert _requests(case) == {"safety": (SignoffStatus.REFUSED, people.safety_officer, "消防通道堵塞"),
                               "tax": (SignoffStatus.CANCELED, None, "")}
    entry = last_entry(case)
    assert (entry.action, entry.actor, entry.decision, entry.comment, entry.to_state) == (
        "toy.case.signoff_refused", people.safety_officer, "refuse", "消防通道堵塞", S.REJECTED)
    # The other department has nothing left to answer.
    with pytest.raises(AlreadyHandled):
        _answer(case, people.tax_officer, agreed=True)


def test_a_second_answer_of_a_department_is_handled(people, journey, departments):
    case = journey.at_signoff(departments)
    _answer(case, people.tax_officer, agreed=True)
    with pytest.raises(AlreadyHandled):
        _answer(case, people.tax_officer, agreed=False, comment="改变主意")
    assert _requests(case)["tax"][0] == SignoffStatus.AGREED
    assert history_of(case).filter(action__startswith="toy.case.signoff_").count() == 1


def test_a_case_no_longer_at_the_sign_off_step_is_handled_whoever_answers(people, journey, departments):
    case = journey.in_inspection()
    with pytest.raises(AlreadyHandled):
        _answer(case, people.tax_officer, agreed=True)
    assert case.state == S.INSPECTION and not history_of(case).filter(action__startswith="toy.case.signoff_")


def test_an_officer_of_a_department_not_asked_is_refused(people, journey, departments):
    case = journey.at_signoff(departments[:1])
    with pytest.raises(NotAllowed):
        _answer(case, people.safety_officer, agreed=True)
    assert _requests(case) == {"tax": (SignoffStatus.PENDING, None, "")}


def test_the_page_takes_each_answer_and_a_second_one_gets_409(client, people, journey, departments):
    case = journey.at_signoff(departments)
    client.force_login(people.tax_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(_url(case)).status_code == 200
    response = client.post(_url(case), {"agreed": "1", "comment": ""})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert client.post(_url(case), {"agreed": "0", "comment": "改变主意"}).status_code == 409

    client.force_login(people.safety_officer)
    assert client.post(_url(case), {"agreed": "1"}).status_code == 302
    case.refresh_from_db()
    assert case.state == S.INSPECTION

    # One who sees the case but holds no sign-off of it is refused.
    client.force_login(people.submitter)
    assert client.get(_url(journey.at_signoff(departments))).status_code == 403
