"""The departments' sign-offs of a case of a kind on the engine's sign-off
requests (awards/kinds/signoffs.py, workflows.signoffs), as May Day's: the
district's approval opens a round (one request per department the route
asks for the case's sector, one task each); each department answers on its
own page with its opinion (a reason required to refuse); every agreement →
the case goes on, one refusal → not granted with the round's other requests
cancelled. The requests are what the department sees the case by, reads its
full ID number by, and what the page's panel and the printed form show.
Two answers at the same moment (PostgreSQL) move the case once, and the
control without the row locks shows what goes wrong without them."""

import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from awards.kinds.models import KindCase
from awards.kinds.models import KindCaseState as S
from awards.kinds.printed import application_form_html
from awards.kinds.selectors import identity_grant
from tests.concurrency import RACE_MARKS, remove_decision_locks, run_together
from workflows.audit import history_of
from workflows.models import SignoffRequest, SignoffStatus
from workflows.signoffs.services import current_round, signoffs_of
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_step_names

TWO = ["dept-tax", "dept-safety"]


@pytest.fixture
def at_signoffs(tree, departments, make_kind, open_campaign, make_case):
    """A case of a kind signed off by tax and safety, approved by the
    district: at the sign-offs."""
    campaign = open_campaign(make_kind(steps=("signoffs",), signoffs=TWO))

    def make():
        case = make_case(campaign)
        decide(case=case, actor=tree.reviewer_d, decision="approve")
        case.refresh_from_db()
        assert case.state == S.SIGNOFFS
        return case
    return make


def _requests(case):
    return {r.department.code: (r.status, r.answered_by, r.opinion) for r in current_round(case)}


def _url(case):
    return reverse("kinds:case_signoff", args=[case.pk])


def _post(client, officer, case, agreed, comment=""):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(_url(case), {"agreed": "1" if agreed else "0", "comment": comment})


@pytest.mark.django_db
def test_the_approval_asks_each_department_once_with_a_task_each(tree, departments, at_signoffs):
    case = at_signoffs()
    assert _requests(case) == {"dept-tax": (SignoffStatus.PENDING, None, ""),
                               "dept-safety": (SignoffStatus.PENDING, None, "")}
    assert {r.round for r in signoffs_of(case)} == {1}
    assert open_step_names(case) == ["signoffs", "signoffs"]


@pytest.mark.django_db
def test_every_agreement_on_the_page_moves_the_case_on_with_the_opinions(client, tree, departments, at_signoffs):
    case = at_signoffs()
    # The engine's decision page sends the officer to the sign-off page.
    client.force_login(departments["tax"])
    assert client.get(reverse("kinds:case_decide", args=[case.pk]))["Location"] == _url(case)
    assert _post(client, departments["tax"], case, True, "无欠税记录。").status_code == 302
    case.refresh_from_db()
    assert case.state == S.SIGNOFFS and open_step_names(case) == ["signoffs"]
    assert _post(client, departments["safety"], case, True).status_code == 302
    case.refresh_from_db()
    assert case.state == S.DECIDING and open_step_names(case) == ["decision"]
    assert _requests(case) == {"dept-tax": (SignoffStatus.AGREED, departments["tax"], "无欠税记录。"),
                               "dept-safety": (SignoffStatus.AGREED, departments["safety"], "")}
    agreed = history_of(case).filter(action="kinds.case.signoff_agreed")
    assert [(e.actor, e.organisation.code, e.comment) for e in agreed] == [
        (departments["tax"], "dept-tax", "无欠税记录。"), (departments["safety"], "dept-safety", "")]
    assert (agreed.last().from_state, agreed.last().to_state) == (S.SIGNOFFS, S.DECIDING)


@pytest.mark.django_db
def test_a_refusal_needs_its_reason_then_ends_the_case_not_granted(client, tree, departments, at_signoffs):
    case = at_signoffs()
    page = _post(client, departments["safety"], case, False, "   ")
    # The page again, the refusal still chosen, saying why it was refused.
    assert page.status_code == 200
    assert re.search(r'<input[^>]*value="0"[^>]*checked', page.content.decode())
    assert "Give the reason for refusing the sign-off." in page.content.decode()
    case.refresh_from_db()
    assert case.state == S.SIGNOFFS and _requests(case)["dept-safety"][0] == SignoffStatus.PENDING

    assert _post(client, departments["safety"], case, False, "消防通道堵塞").status_code == 302
    case.refresh_from_db()
    assert case.state == S.NOT_GRANTED and open_step_names(case) == []
    assert _requests(case) == {"dept-safety": (SignoffStatus.REFUSED, departments["safety"], "消防通道堵塞"),
                               "dept-tax": (SignoffStatus.CANCELED, None, "")}
    entry = history_of(case).order_by("-created", "-pk").first()
    assert (entry.action, entry.decision, entry.comment, entry.to_state, entry.organisation.code) == (
        "kinds.case.signoff_refused", "refuse", "消防通道堵塞", S.NOT_GRANTED, "dept-safety")
    # Nothing is left for the other department: handled (409).
    assert _post(client, departments["tax"], case, True).status_code == 409


@pytest.mark.django_db
def test_a_second_answer_is_409_and_changes_nothing(client, tree, departments, at_signoffs):
    case = at_signoffs()
    assert _post(client, departments["tax"], case, True, "同意").status_code == 302
    assert _post(client, departments["tax"], case, False, "改变主意").status_code == 409
    assert _requests(case)["dept-tax"] == (SignoffStatus.AGREED, departments["tax"], "同意")
    assert history_of(case).filter(action__startswith="kinds.case.signoff_").count() == 1


@pytest.mark.django_db
def test_a_department_sees_the_cases_it_was_asked_about_only(client, tree, departments, at_signoffs,
                                                             make_kind, open_campaign, make_case):
    asked = at_signoffs()
    # Audit is not on this route; a case before the sign-offs asks no one.
    waiting = make_case(asked.campaign)
    for officer, case, seen in ((departments["tax"], asked, True), (departments["audit"], asked, False),
                                (departments["tax"], waiting, False)):
        client.force_login(officer)
        assert client.get(case.get_absolute_url()).status_code == (200 if seen else 404)
        assert (client.get(_url(case)).status_code == 404) is not seen
    client.force_login(departments["tax"])
    listed = client.get(reverse("kinds:case_list")).content.decode()
    assert asked.name in listed and waiting.name not in listed
    # After the answers and the final decision the asked department still sees it.
    decide(case=asked, actor=departments["tax"], decision="agree")
    decide(case=asked, actor=departments["safety"], decision="agree")
    decide(case=KindCase.objects.get(pk=asked.pk), actor=tree.admin_d, decision="outcome_1")
    assert client.get(asked.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_case_page_shows_the_sign_offs_panel(client, tree, departments, at_signoffs):
    case = at_signoffs()
    decide(case=case, actor=departments["tax"], decision="agree", comment="无欠税记录。")
    client.force_login(tree.reviewer_d)
    with translation.override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get(case.get_absolute_url()).content.decode()
    panel = page[page.index('id="signoffs"'):]
    panel = panel[:panel.index("</table>")]
    assert "税务局" in panel and "应急管理局" in panel and "无欠税记录。" in panel
    assert departments["tax"].username in panel or departments["tax"].get_full_name() in panel


@pytest.mark.django_db
def test_the_printed_form_prints_each_departments_opinion(tree, departments, at_signoffs):
    case = at_signoffs()
    decide(case=case, actor=departments["tax"], decision="agree", comment="无欠税记录。")
    with translation.override("zh-hans"):
        html = application_form_html(case, actor=tree.reviewer_d)
    tax = html[html.index('<span class="dept">税务局</span>'):]
    tax = tax[:tax.index("</tr></table>")]
    assert "无欠税记录。" in tax and departments["tax"].username in tax
    safety = html[html.index('<span class="dept">应急管理局</span>'):]
    safety = safety[:safety.index("</tr></table>")]
    assert "年　　月　　日" in safety  # not answered yet: left to be filled in


@pytest.mark.django_db
def test_the_full_id_number_is_for_the_departments_asked(tree, departments, at_signoffs, make_case):
    case = at_signoffs()
    assert identity_grant(departments["tax"], case)[0].code == "dept-tax"
    assert identity_grant(departments["audit"], case) is None
    # A case not (yet) asked of tax: no grant, though the route names it.
    assert identity_grant(departments["tax"], make_case(case.campaign)) is None


@pytest.mark.django_db
def test_a_case_at_the_sign_offs_before_the_requests_is_carried(tree, departments, at_signoffs):
    """kinds 0013: a case that reached the sign-offs on fan-out tasks alone
    (no requests) gets its round: pending for the open tasks, agreed for the
    departments that agreed; then it finishes as any other."""
    case = at_signoffs()
    decide(case=case, actor=departments["tax"], decision="agree", comment="无欠税记录。")
    SignoffRequest.objects.filter(object_id=case.pk).delete()  # as before the requests
    carry = importlib.import_module("awards.kinds.migrations.0013_signoff_requests_for_running_cases")
    carry.forward(apps, None)
    assert _requests(case) == {"dept-tax": (SignoffStatus.AGREED, departments["tax"], "无欠税记录。"),
                               "dept-safety": (SignoffStatus.PENDING, None, "")}
    carry.forward(apps, None)  # a second run adds nothing
    assert signoffs_of(case).count() == 2
    decide(case=case, actor=departments["safety"], decision="agree")
    case.refresh_from_db()
    assert case.state == S.DECIDING and _requests(case)["dept-safety"][0] == SignoffStatus.AGREED


def _agree_together(case, officers):
    return run_together(officers, lambda: KindCase.objects.get(pk=case.pk),
                        lambda officer, seen: decide(case=seen, actor=officer, decision="agree"))


def _moves_on(case):
    return history_of(case).filter(action="kinds.case.signoff_agreed", to_state=S.DECIDING).count()


@RACE_MARKS[0]
@RACE_MARKS[1]
def test_two_last_agreements_at_the_same_moment_move_the_case_once(tree, departments, at_signoffs):
    for i in range(5):
        case = at_signoffs()
        outcomes = _agree_together(case, [departments["tax"], departments["safety"]])
        assert outcomes == ["won", "won"], f"round {i}: {outcomes}"
        case.refresh_from_db()
        assert case.state == S.DECIDING and _moves_on(case) == 1, f"round {i}"
        assert open_step_names(case) == ["decision"], f"round {i}"
        assert {s for s, _by, _o in _requests(case).values()} == {SignoffStatus.AGREED}


@RACE_MARKS[0]
@RACE_MARKS[1]
def test_without_the_row_locks_two_last_agreements_go_wrong(tree, departments, at_signoffs, monkeypatch):
    """The control: with the case and task locks taken out, each answer
    sees the other department's task still open, so the case is not moved
    on exactly once (it stays at the sign-offs with nobody left to answer,
    or moves twice)."""
    remove_decision_locks(monkeypatch)
    case = at_signoffs()
    _agree_together(case, [departments["tax"], departments["safety"]])
    case.refresh_from_db()
    assert not (case.state == S.DECIDING and _moves_on(case) == 1 and open_step_names(case) == ["decision"])
