"""Who acts, beyond tests/engine/test_delegation_and_reassignment.py and
test_four_eyes_and_recusal.py: a delegation's period and who may stand
in; a substitute losing the role or carrying the principal's conflicts;
reassignment's reason and target; conflicts declared late or through the
service; four eyes on a return and through a principal; reminders by mail
and by the command; the delegation, conflict, reassignment and
notification pages; the inbox's recused rows and stand-in rows.

Ported from tests/workflows/test_delegation.py (May Day nominations),
which goes with May Day; docs/mayday-as-kinds.md §4.3 item 5 maps each test."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override

from tests.conftest import make_org, make_user
from tests.engine.toy.models import ToyState as S
from workflows.audit import history_of
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import ConflictDeclaration, ConflictRelation, Membership, Notification, OrgKind, TaskDeadline
from workflows.notifications.services import mark_read, unread_count
from workflows.organisations.access import memberships
from workflows.organisations.delegation import delegation_create, delegation_revoke
from workflows.organisations.recusal import conflict_declare, earlier_level, eligible_actors
from workflows.steps.actors import inbox_tasks
from workflows.steps.assignment import task_reassign
from workflows.steps.deadlines import overdue_deadlines, send_reminders
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_tasks


def fresh(user):
    """A new object: memberships and delegations are cached per object."""
    return get_user_model().objects.get(pk=user.pk)


def inbox_cases(user):
    return [t.process.artifact for t in inbox_tasks(fresh(user))]


def actions(case):
    return [e.action for e in history_of(case)]


@pytest.fixture
def colleague(people):
    """A second reviewer of the town."""
    return make_user("reviewer2", (people.town, "reviewer"))


@pytest.fixture
def reviewer_b(people):
    """The reviewer of another town of the district (another branch)."""
    town_b = make_org("乙镇工会", "town-b", OrgKind.INTERMEDIATE, people.district)
    return make_user("reviewer_b", (town_b, "reviewer"))


# Delegation ----------------------------------------------------------------------

def test_a_delegation_is_made_by_the_absent_user_and_ends_when_revoked(people, journey, today, reviewer_b):
    case = journey.submitted()
    with pytest.raises(NotAllowed):  # only the absent user or a district administrator
        delegation_create(principal=people.reviewer, substitute=people.reviewer_d, starts_on=today, ends_on=today,
                          actor=reviewer_b)
    delegation = delegation_create(principal=people.reviewer, substitute=people.reviewer_d, starts_on=today,
                                   ends_on=today + datetime.timedelta(days=7), actor=people.reviewer, reason="年假")
    assert inbox_cases(people.reviewer_d) == [case]
    # The substitute is told once of what they now hold.
    assert Notification.objects.filter(user=people.reviewer_d).count() == 1

    delegation_revoke(delegation=delegation, actor=people.admin)
    later = journey.submitted(title="乙")
    assert inbox_cases(people.reviewer_d) == [] and later in inbox_cases(people.reviewer)
    with pytest.raises(NotAllowed):
        decide(case=case, actor=fresh(people.reviewer_d), decision="approve")


def test_a_delegation_needs_a_sensible_period(people, today, colleague):
    with pytest.raises(RuleViolation):  # to oneself
        delegation_create(principal=people.reviewer, substitute=people.reviewer, starts_on=today, ends_on=today,
                          actor=people.reviewer)
    with pytest.raises(RuleViolation):  # ends before it starts (both days to come)
        delegation_create(principal=people.reviewer, substitute=colleague, starts_on=today + datetime.timedelta(days=5),
                          ends_on=today + datetime.timedelta(days=3), actor=people.reviewer)
    with pytest.raises(RuleViolation):  # already over
        delegation_create(principal=people.reviewer, substitute=colleague, starts_on=today - datetime.timedelta(days=5),
                          ends_on=today - datetime.timedelta(days=1), actor=people.reviewer)
    assert not people.reviewer.delegations_given.exists()
    # A future period does not act yet.
    delegation_create(principal=people.reviewer, substitute=people.reviewer_d,
                      starts_on=today + datetime.timedelta(days=3), ends_on=today + datetime.timedelta(days=5),
                      actor=people.reviewer)
    assert [(m.organisation, m.role) for m in memberships(fresh(people.reviewer_d))] == [(people.district, "reviewer")]


def test_only_a_peer_or_a_superior_in_the_same_role_stands_in(people, today, colleague, reviewer_b):
    def name(substitute, principal=people.reviewer):
        return delegation_create(principal=principal, substitute=substitute, starts_on=today, ends_on=today,
                                 actor=people.admin)

    # The submitter below, a reviewer of the other branch, a user with no
    # role, the district's administrator (another role): none may.
    for substitute in (people.submitter, reviewer_b, people.inspector1, people.admin):
        with pytest.raises(RuleViolation):
            name(substitute)
    with override("en"), pytest.raises(RuleViolation) as err:
        name(people.submitter)
    assert "same role" in err.value.message
    assert not people.reviewer.delegations_given.exists()
    # A peer, or the same role above; not downwards.
    name(colleague)
    name(people.reviewer_d)
    with pytest.raises(RuleViolation):
        name(people.reviewer, principal=people.reviewer_d)
    assert people.reviewer.delegations_given.count() == 2 and not people.reviewer_d.delegations_given.exists()


def test_a_delegation_stops_acting_when_the_substitute_loses_the_role(people, journey, today):
    case = journey.submitted()
    delegation_create(principal=people.reviewer, substitute=people.reviewer_d, starts_on=today, ends_on=today,
                      actor=people.reviewer)
    assert inbox_cases(people.reviewer_d) == [case]
    Membership.objects.filter(user=people.reviewer_d).update(role="submitter")
    assert inbox_cases(people.reviewer_d) == []
    with pytest.raises(NotAllowed):
        decide(case=case, actor=fresh(people.reviewer_d), decision="approve")
    case.refresh_from_db()
    assert case.state == S.SUBMITTED


def test_the_stand_in_is_held_to_four_eyes_like_the_principal(people, journey, today):
    """Having reviewed for the town as a stand-in, a district administrator
    does not decide the district's level of the same case."""
    double = make_user("double", (people.district, "reviewer"), (people.district, "district_admin"))
    case = journey.submitted()
    delegation_create(principal=people.reviewer, substitute=double, starts_on=today, ends_on=today,
                      actor=people.reviewer)
    decide(case=case, actor=fresh(double), decision="approve", comment="代为审核")
    entry = history_of(case).get(decision="approve")
    assert (entry.actor, entry.on_behalf_of, entry.organisation) == (double, people.reviewer, people.town)
    journey.inspect(case)
    journey.close(journey.publish(case))
    case.refresh_from_db()
    with pytest.raises(NotAllowed):
        decide(case=case, actor=fresh(double), decision="accept")
    case.refresh_from_db()
    assert case.state == S.NOTICE_PASSED and actions(case)[-1] == "workflows.four_eyes.refused"


def test_the_substitute_carries_the_principals_conflicts(people, journey, today, colleague):
    case = journey.submitted()
    # Written directly: the open task stays where it is (a colleague is free).
    ConflictDeclaration.objects.create(user=people.reviewer, relation=ConflictRelation.UNIT, organisation=people.unit)
    delegation_create(principal=people.reviewer, substitute=people.reviewer_d, starts_on=today, ends_on=today,
                      actor=people.reviewer)
    task = open_tasks(case).get()
    eligible = eligible_actors(task, case)
    assert people.reviewer_d not in eligible and colleague in eligible
    with override("en"), pytest.raises(NotAllowed) as err:
        decide(case=case, actor=fresh(people.reviewer_d), decision="approve")
    assert f"stand in for {people.reviewer.username}" in str(err.value)
    refusal = history_of(case).get(action="workflows.recusal.refused")
    assert (refusal.actor, refusal.on_behalf_of) == (people.reviewer_d, people.reviewer)
    case.refresh_from_db()
    assert case.state == S.SUBMITTED
    decide(case=case, actor=fresh(colleague), decision="approve")
    assert case.state == S.INSPECTION


# Reassignment --------------------------------------------------------------------

def test_a_reassignment_needs_a_reason_and_is_audited_with_it(people, journey, colleague):
    case = journey.submitted()
    task = open_tasks(case).get()
    with pytest.raises(RuleViolation):
        task_reassign(task=task, to_user=colleague, actor=people.admin, reason=" ")
    task.refresh_from_db()
    assert task.owner_id is None and not history_of(case).filter(action="workflows.task.reassigned").exists()

    task_reassign(task=task, to_user=colleague, actor=people.admin, reason="原审核人出差")
    assert inbox_cases(people.reviewer) == [] and inbox_cases(colleague) == [case]
    entry = history_of(case).get(action="workflows.task.reassigned")
    assert (entry.comment, entry.actor, entry.data["to"]) == ("原审核人出差", people.admin, colleague.pk)


def test_a_task_reassigned_to_a_superior_reviewer_is_decided_for_the_town(people, journey):
    case = journey.submitted()
    task_reassign(task=open_tasks(case).get(), to_user=people.reviewer_d, actor=people.admin, reason="统一审核")
    decide(case=case, actor=fresh(people.reviewer_d), decision="approve")
    entry = history_of(case).get(decision="approve")
    assert (entry.actor, entry.organisation, entry.role) == (people.reviewer_d, people.town, "reviewer")


# Recusal -------------------------------------------------------------------------

def test_the_refusal_of_a_reviewer_of_their_own_unit_names_the_unit(people, journey, colleague):
    own = make_user("own", (people.town, "reviewer"), (people.unit, "submitter"))
    case = journey.submitted()
    with pytest.raises(NotAllowed) as err:
        decide(case=case, actor=own, decision="approve")
    assert people.unit.name in str(err.value)
    refusal = history_of(case).get(action="workflows.recusal.refused")
    assert refusal.actor == own and people.unit.name in refusal.comment
    assert case in inbox_cases(colleague) and case in inbox_cases(people.reviewer)


def test_a_task_opens_above_when_every_reviewer_declared_a_conflict(people, journey):
    ConflictDeclaration.objects.create(user=people.reviewer, relation=ConflictRelation.OTHER, organisation=people.unit)
    case = journey.submitted()
    assert inbox_cases(people.reviewer) == [] and inbox_cases(people.reviewer_d) == [case]
    rerouted = history_of(case).get(action="workflows.task.rerouted")
    assert rerouted.organisation == people.district and rerouted.data["from"] == people.town.pk
    decide(case=case, actor=fresh(people.reviewer_d), decision="approve")
    assert case.state == S.INSPECTION


def test_a_conflict_declared_late_is_refused_then_routed(people, journey):
    case = journey.submitted()
    assert inbox_cases(people.reviewer) == [case]
    # Written directly (as an import would): nothing rerouted it yet.
    ConflictDeclaration.objects.create(user=people.reviewer, relation=ConflictRelation.OTHER, organisation=people.unit)
    with pytest.raises(NotAllowed):
        decide(case=case, actor=fresh(people.reviewer), decision="approve")
    assert actions(case)[-2:] == ["workflows.recusal.refused", "workflows.task.rerouted"]
    assert inbox_cases(people.reviewer) == [] and inbox_cases(people.reviewer_d) == [case]
    case.refresh_from_db()
    assert case.state == S.SUBMITTED


def test_a_declared_conflict_is_logged_with_the_id_number_masked(people, journey):
    case = journey.submitted()
    declaration = conflict_declare(
        reviewer=people.reviewer, relation=ConflictRelation.UNIT, organisation=people.unit,
        person_name=" 李 四 ", person_id_number=" 51010119900101123x ", reason="表亲", actor=people.reviewer,
    )
    assert declaration.person_id_number == "51010119900101123X" and declaration.rerouted == 1
    assert inbox_cases(people.reviewer) == [] and inbox_cases(people.reviewer_d) == [case]
    assert actions(case)[-1] == "workflows.task.rerouted"
    logged = history_of(declaration).get()
    assert (logged.action, logged.actor, logged.comment) == ("workflows.conflict.declared", people.reviewer, "表亲")
    assert "51010119900101123X" not in str(logged.data) and logged.data["id_number"] == "510…123X"


def test_who_may_declare_and_what_a_declaration_needs(people, reviewer_b):
    with pytest.raises(NotAllowed):  # not for somebody else
        conflict_declare(reviewer=people.reviewer, relation="other", person_name="某", actor=reviewer_b)
    with pytest.raises(RuleViolation):  # oneself, without one's ID number
        conflict_declare(reviewer=people.reviewer, relation="self", actor=people.reviewer)
    with pytest.raises(RuleViolation):  # a unit, without the unit
        conflict_declare(reviewer=people.reviewer, relation="unit", actor=people.reviewer)
    with pytest.raises(RuleViolation):  # nobody named
        conflict_declare(reviewer=people.reviewer, relation="other", actor=people.reviewer)
    assert not ConflictDeclaration.objects.exists()
    # The district's administrator may record one for a reviewer of the district.
    declaration = conflict_declare(reviewer=people.reviewer, relation="unit", organisation=people.unit,
                                   actor=people.admin)
    assert declaration.user == people.reviewer
    assert history_of(declaration).get().on_behalf_of == people.reviewer


# Four eyes -----------------------------------------------------------------------

def test_returning_is_a_decision_of_the_second_level_too(people, journey):
    double = make_user("double", (people.town, "reviewer"), (people.district, "district_admin"))
    case = journey.notice_passed(reviewer=double)  # `double` reviewed it in town
    with override("en"), pytest.raises(NotAllowed) as err:
        decide(case=case, actor=double, decision="return", comment="补充")
    assert "another level" in str(err.value) and people.town.name in str(err.value)
    case.refresh_from_db()
    assert case.state == S.NOTICE_PASSED
    refusal = history_of(case).last()
    assert (refusal.action, refusal.organisation, refusal.data["step"]) == (
        "workflows.four_eyes.refused", people.district, "decide")


def test_a_decision_taken_for_someone_counts_as_theirs_too(people, journey):
    double = make_user("double", (people.district, "district_admin"))
    case = journey.notice_passed()  # the reviewer reviewed it in town
    decide_task = open_tasks(case).get()
    # Whoever acts for the reviewer (or as them) at the district level.
    assert earlier_level(double, case, decide_task) is None
    earlier = earlier_level(double, case, decide_task, principal=people.reviewer)
    assert (earlier.actor, earlier.organisation) == (people.reviewer, people.town)
    assert earlier_level(people.reviewer, case, decide_task) == earlier


# Deadlines and notifications -----------------------------------------------------

def test_reminders_are_mailed_once_and_the_command_escalates_once(people, journey, django_capture_on_commit_callbacks):
    case = journey.submitted()
    deadline = TaskDeadline.objects.get(task=open_tasks(case).get())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today=deadline.due_on) == {"reminded": 1, "overdue": 0}
        assert send_reminders(today=deadline.due_on) == {"reminded": 0, "overdue": 0}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [people.reviewer.email]

    late = deadline.due_on + datetime.timedelta(days=1)
    assert overdue_deadlines(case, today=late) == [deadline]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", today=late.isoformat(), verbosity=0)
        call_command("send_reminders", today=late.isoformat(), verbosity=0)
    assert Notification.objects.filter(user=people.reviewer, key__startswith="overdue:").count() == 1
    told = set(Notification.objects.filter(key__startswith="overdue-superior:").values_list("user", flat=True))
    assert told == {people.reviewer_d.pk}
    assert unread_count(people.reviewer_d) == 1
    mark_read(people.reviewer_d)
    assert unread_count(people.reviewer_d) == 0


def test_the_notification_list_and_opening_one(people, journey, client):
    case = journey.submitted()
    note = Notification.objects.get(user=people.reviewer)
    client.force_login(people.reviewer)
    assert client.get("/inbox/").context["unread_notifications"] == 1
    page = client.get("/notifications/")
    assert page.status_code == 200 and escape(note.title) in page.content.decode()
    assert 'id="unread-count">1<' in page.content.decode()
    assert client.get("/notifications/", {"show": "unread"}).context["page_obj"].paginator.count == 1
    response = client.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    note.refresh_from_db()
    assert note.is_read and unread_count(people.reviewer) == 0
    client.force_login(people.submitter)  # someone else's notification
    assert client.get(f"/notifications/{note.pk}/").status_code == 404
    client.logout()
    assert client.get("/notifications/").status_code == 302


def test_the_case_page_marks_an_overdue_step(people, journey, client, today):
    case = journey.submitted()
    TaskDeadline.objects.filter(object_id=case.pk).update(due_on=today - datetime.timedelta(days=1))
    client.force_login(people.reviewer)
    # The engine's case panel marks the open step's deadline (the May Day
    # page had a flag of its own in its context).
    assert 'class="badge overdue"' in client.get(case.get_absolute_url()).content.decode()
    TaskDeadline.objects.filter(object_id=case.pk).update(due_on=today + datetime.timedelta(days=1))
    assert 'class="badge overdue"' not in client.get(case.get_absolute_url()).content.decode()


def test_the_case_page_names_the_substitute_and_the_principal(people, journey, client, today):
    case = journey.submitted()
    stand_in = make_user("stand_in", (people.district, "reviewer"))  # the same role, a level up
    stand_in.first_name = "代理人"
    stand_in.save()
    delegation_create(principal=people.reviewer, substitute=stand_in, starts_on=today, ends_on=today,
                      actor=people.reviewer)
    decide(case=case, actor=fresh(stand_in), decision="approve")
    client.force_login(people.admin)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "代理人" in html and people.reviewer.username in html  # the substitute, for the reviewer


# The pages -----------------------------------------------------------------------

def test_the_delegation_conflict_and_reassign_pages(people, journey, client, today, colleague, reviewer_b):
    client.force_login(people.reviewer)
    assert client.get("/delegations/").status_code == 200
    response = client.post("/delegations/", {"substitute": colleague.pk, "starts_on": today.isoformat(),
                                             "ends_on": (today - datetime.timedelta(days=1)).isoformat()})
    assert response.status_code == 200 and response.context["form"].errors["ends_on"]
    response = client.post("/delegations/", {"substitute": colleague.pk, "starts_on": today.isoformat(),
                                             "ends_on": today.isoformat(), "reason": "开会"})
    assert response.status_code == 302
    delegation = people.reviewer.delegations_given.get()
    assert delegation.substitute == colleague
    client.force_login(reviewer_b)  # somebody else's delegation: not found
    assert client.post(f"/delegations/{delegation.pk}/end/").status_code == 404
    client.force_login(people.reviewer)
    assert client.post(f"/delegations/{delegation.pk}/end/").status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None

    response = client.post("/conflicts/", {"relation": "self", "person_id_number": ""})
    assert response.status_code == 200 and response.context["form"].errors["person_id_number"]
    response = client.post("/conflicts/", {"relation": "relative", "person_name": "张三", "reason": "表兄"})
    assert response.status_code == 302 and ConflictDeclaration.objects.filter(user=people.reviewer).count() == 1

    case = journey.submitted()
    task = open_tasks(case).get()
    client.force_login(reviewer_b)
    assert client.get(f"/tasks/{task.pk}/reassign/").status_code == 404  # another branch
    client.force_login(people.reviewer)
    assert client.get(f"/tasks/{task.pk}/reassign/").status_code == 403  # visible, not theirs
    client.force_login(people.admin)
    page = client.get(f"/tasks/{task.pk}/reassign/")
    assert page.status_code == 200
    offered = {u.username for u in page.context["form"].fields["to_user"].queryset}
    assert offered == {"reviewer", "reviewer2", "reviewer_d"}
    response = client.post(f"/tasks/{task.pk}/reassign/", {"to_user": people.reviewer_d.pk, "reason": "集中审核"})
    assert response.status_code == 302
    assert inbox_cases(people.reviewer_d) == [case] and inbox_cases(people.reviewer) == []


def test_substitute_choices_follow_the_absent_users_roles(people, client, today, colleague):
    client.force_login(people.reviewer)
    page = client.get("/delegations/")
    assert {u.username for u in page.context["form"].fields["substitute"].queryset} == {"reviewer2", "reviewer_d"}
    day = today.isoformat()
    response = client.post("/delegations/", {"substitute": people.submitter.pk, "starts_on": day, "ends_on": day})
    assert response.status_code == 200 and response.context["form"].errors["substitute"]

    client.force_login(people.admin)  # choices follow the absent user picked
    response = client.post("/delegations/", {"principal": people.submitter.pk, "substitute": people.reviewer.pk,
                                             "starts_on": day, "ends_on": day})
    assert response.status_code == 200 and response.context["form"].errors["substitute"]
    response = client.post("/delegations/", {"principal": people.reviewer.pk, "substitute": people.reviewer_d.pk,
                                             "starts_on": day, "ends_on": day})
    assert response.status_code == 302
    assert people.reviewer.delegations_given.get().substitute == people.reviewer_d
    assert not people.submitter.delegations_given.exists()


def test_the_conflict_page_declares_through_the_service(people, journey, client):
    case = journey.submitted()
    client.force_login(people.reviewer)
    response = client.post("/conflicts/", {"relation": "unit", "organisation": people.unit.pk, "reason": "兼职"})
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get(user=people.reviewer)
    assert history_of(declaration).get().action == "workflows.conflict.declared"
    assert inbox_cases(people.reviewer) == [] and inbox_cases(people.reviewer_d) == [case]


def test_the_inbox_marks_a_step_the_reviewer_must_not_take(people, journey, client):
    """A reviewer who belongs to the applying unit sees the case marked as
    recused, without a bulk checkbox; another reviewer sees it plainly."""
    insider = make_user("insider", (people.town, "reviewer"), (people.unit, "submitter"))
    case = journey.submitted()

    client.force_login(insider)
    page = client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert case.title in html and "Recused" in html
    assert f'value="{case.pk}:' not in html
    rows = [row for group in page.context["groups"] for row in group["rows"]]
    assert rows[0]["barred"] and not rows[0]["bulk_value"]

    client.force_login(people.reviewer)
    page = client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert case.title in html and "Recused" not in html and f'value="{case.pk}:' in html
    rows = [row for group in page.context["groups"] for row in group["rows"]]
    assert rows[0]["barred"] is None and rows[0]["bulk_value"]


def test_the_submitter_revising_is_not_recused(people, journey, client):
    case = journey.submitted()
    decide(case=case, actor=people.reviewer, decision="return", comment="补充")
    client.force_login(people.submitter)
    rows = [row for group in client.get("/inbox/").context["groups"] for row in group["rows"]]
    assert [(row["case"], row["barred"]) for row in rows] == [(case, None)]


def test_the_inboxes_say_who_holds_what_during_a_delegation(people, journey, client, today):
    case = journey.submitted()
    delegation_create(principal=people.reviewer, substitute=people.reviewer_d, starts_on=today,
                      ends_on=today + datetime.timedelta(days=3), actor=people.reviewer)
    client.force_login(people.reviewer_d)
    page = client.get(reverse("inbox"))
    row = next(r for g in page.context["groups"] for r in g["rows"] if r["case"] == case)
    assert row["held_for"] == people.reviewer and row["organisation"] == case.organisation
    assert f"代{people.reviewer.username}" in page.content.decode()

    client.force_login(people.reviewer)
    page = client.get(reverse("inbox"))
    row = next(r for g in page.context["groups"] for r in g["rows"] if r["case"] == case)
    assert row["held_for"] is None and row["substitutes"] == people.reviewer_d.username
    assert f"{people.reviewer_d.username} 代办中" in page.content.decode()
    assert case.organisation.name in page.content.decode()
