"""workflows.signoffs (answering.py, forms.py, the page) on the toy's
"inspect" step, a fan-out whose decisions are agree and refuse, as a
sign-off step is: each named inspector answers as a department would. The
toy's route has no department-held step, so record_answer is given the
task a department's officer would hold (its role and organisation), the
decision itself being a real one."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import make_org, make_user
from tests.engine.conftest import last_entry
from tests.engine.toy.models import ToyState as S
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import OrgKind, SignoffStatus
from workflows.signoffs.answering import answer_signoff, record_answer
from workflows.signoffs.forms import SignoffForm
from workflows.signoffs.services import request_signoffs
from workflows.steps.tasks import ROLE_PREFIX, open_step_names


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _answer(case, actor, agreed, comment=""):
    return answer_signoff(case=case, actor=actor, agreed=agreed, role="inspector", comment=comment,
                          step="inspect")


def _url(case):
    return f"/toy/{case.pk}/signoff/"


def _client(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def department(people):
    """A department asked to sign off, its officer holding no task."""
    dept = make_org("区安监局", "safety", OrgKind.DEPARTMENT, people.district)
    return dept, make_user("officer", (dept, "inspector"))


# The service ------------------------------------------------------------------

def test_an_agreement_is_the_engines_decision(people, journey):
    case = journey.in_inspection()
    _answer(case, people.inspector1, agreed=True)
    entry = last_entry(case)
    assert (entry.actor, entry.decision) == (people.inspector1, "agree")
    case.refresh_from_db()
    assert case.state == S.INSPECTION  # waiting for the other answer
    _answer(case, people.inspector2, agreed=True)
    case.refresh_from_db()
    assert case.state == S.AWAITING_NOTICE


def test_a_refusal_needs_its_reason_and_writes_nothing_without_it(people, journey):
    case = journey.in_inspection()
    before = history_of(case).count()
    with pytest.raises(RuleViolation, match="Give the reason for refusing the sign-off."):
        _answer(case, people.inspector1, agreed=False, comment="   ")
    assert history_of(case).count() == before
    case.refresh_from_db()
    assert case.state == S.INSPECTION and open_step_names(case) == ["inspect", "inspect"]


def test_a_refusal_with_its_reason_stops_the_case_and_the_history_shows_it(people, journey):
    case = journey.in_inspection()
    _answer(case, people.inspector1, agreed=False, comment="  Safety records missing  ")
    case.refresh_from_db()
    assert case.state == S.REJECTED
    entry = last_entry(case)
    assert (entry.decision, entry.comment) == ("refuse", "Safety records missing")


def test_a_case_no_longer_at_the_step_is_handled(people, journey):
    case = journey.submitted()
    with pytest.raises(AlreadyHandled):
        _answer(case, people.inspector1, agreed=True)


def test_one_who_has_answered_is_told_it_is_handled(people, journey):
    case = journey.in_inspection()
    _answer(case, people.inspector1, agreed=True)
    # Not the inspector's task any more, and not an asked department's officer:
    with pytest.raises(NotAllowed):
        _answer(case, people.inspector1, agreed=True)


def test_an_asked_departments_officer_without_a_task_is_told_it_is_handled(people, journey, department):
    dept, officer = department
    case = journey.in_inspection()
    request_signoffs(case, [dept])
    with pytest.raises(AlreadyHandled):
        _answer(case, officer, agreed=True)


def test_a_sign_off_that_is_not_the_actors_is_refused(people, journey):
    case = journey.in_inspection()
    before = history_of(case).count()
    with pytest.raises(NotAllowed, match="This sign-off is not yours to give."):
        _answer(case, people.reviewer, agreed=True)
    assert history_of(case).count() == before


# record_answer --------------------------------------------------------------

def _department_task(dept):
    return SimpleNamespace(owner_id=None, owner_permission=f"{ROLE_PREFIX}inspector",
                           owner_permission_obj_pk=str(dept.pk))


def test_record_answer_writes_the_refusal_on_the_departments_request(people, journey, department):
    dept, officer = department
    other = make_org("区税务局", "tax", OrgKind.DEPARTMENT, people.district)
    case = journey.in_inspection()
    mine, theirs = request_signoffs(case, [dept, other])
    _answer(case, people.inspector1, agreed=False, comment="Fire exits blocked")
    record_answer(case, SimpleNamespace(code="refuse"), officer, _department_task(dept))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, mine.opinion, mine.answered_by, mine.on_behalf_of) == (
        SignoffStatus.REFUSED, "Fire exits blocked", officer, None)
    assert mine.answered_at is not None
    assert theirs.status == SignoffStatus.CANCELED  # a refusal ends the round


def test_record_answer_writes_an_agreement_and_ignores_other_decisions(people, journey, department):
    dept, officer = department
    case = journey.in_inspection()
    (mine,) = request_signoffs(case, [dept])
    record_answer(case, SimpleNamespace(code="approve"), officer, _department_task(dept))
    mine.refresh_from_db()
    assert mine.status == SignoffStatus.PENDING
    _answer(case, people.inspector1, agreed=True)
    record_answer(case, SimpleNamespace(code="agree"), officer, _department_task(dept))
    mine.refresh_from_db()
    assert (mine.status, mine.answered_by) == (SignoffStatus.AGREED, officer)
    # A second answer of the same department finds no pending request.
    with pytest.raises(AlreadyHandled):
        record_answer(case, SimpleNamespace(code="agree"), officer, _department_task(dept))


# The form and the page --------------------------------------------------------

def test_the_form_offers_agree_and_the_processs_refusal():
    form = SignoffForm(refuse_label="Refuse: it stops", refuse_help="Say why.")
    assert [value for value, _label in form.fields["agreed"].choices] == ["1", "0"]
    assert form.fields["agreed"].choices[1][1] == "Refuse: it stops"
    assert form.fields["comment"].help_text == "Say why."
    bound = SignoffForm({"agreed": "0", "comment": "x" * 2001}, refuse_label="r", refuse_help="h")
    assert not bound.is_valid() and "comment" in bound.errors
    assert SignoffForm({}, refuse_label="r", refuse_help="h").errors.keys() == {"agreed"}
    ok = SignoffForm({"agreed": "1"}, refuse_label="r", refuse_help="h")
    assert ok.is_valid() and ok.cleaned_data["agreed"] is True


def test_the_page_records_an_agreement(client, people, journey):
    case = journey.in_inspection()
    c = _client(client, people.inspector1)
    page = c.get(_url(case)).content.decode()
    assert "Refuse: the application stops" in page and "Required when refusing" in page
    response = c.post(_url(case), {"agreed": "1", "comment": ""})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert last_entry(case).decision == "agree"


def test_a_refusal_without_reason_comes_back_on_the_page(client, people, journey):
    case = journey.in_inspection()
    before = history_of(case).count()
    response = _client(client, people.inspector1).post(_url(case), {"agreed": "0", "comment": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the errors below." in page
    assert "Give the reason for refusing the sign-off." in page
    assert history_of(case).count() == before


def test_the_page_is_refused_to_one_without_a_sign_off(client, people, journey):
    case = journey.in_inspection()
    response = _client(client, people.reviewer).get(_url(case))
    assert response.status_code == 403
    assert "This sign-off is not yours to give." in response.content.decode()


def test_an_asked_officer_who_posts_again_gets_409(client, people, journey, department):
    dept, officer = department
    case = journey.in_inspection()
    request_signoffs(case, [dept])
    # The page is theirs to see (their department was asked)...
    c = _client(client, officer)
    assert c.get(_url(case)).status_code == 200
    # ...answering, with no task left for them, is handled.
    assert c.post(_url(case), {"agreed": "1"}).status_code == 409
