"""The admin changes roles, accounts, organisations, declared conflicts and
the working calendar through the engine's services while toy cases have
open steps: a role taken away, moved or an account made inactive hands
its steps on (audited, with the acting superuser), a step nobody can take
any more is named; a conflict added reroutes, one covering a case in
flight is not lifted; a move leaving open steps behind, or a calendar day
inside an open notice's window, is a form error with nothing saved.

Ported from tests/workflows/test_admin_changes.py (May Day nominations),
which goes with May Day; docs/mayday-as-kinds.md §4.3 item 5 maps each test."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import make_org, make_user
from tests.engine.admin_forms import admin_url, entries, errors_of, form_data, post
from workflows.audit import history_of
from workflows.models import CalendarDay, ConflictDeclaration, Membership, Organisation, OrgKind
from workflows.steps.actors import inbox_tasks
from workflows.steps.assignment import task_reassign
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_tasks


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return user


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def inbox_cases(user):
    return [t.process.artifact for t in inbox_tasks(fresh(user))]


@pytest.fixture
def case(people, journey):
    """A case of the unit waiting for the town's review (its one reviewer)."""
    case = journey.submitted()
    assert inbox_cases(people.reviewer) == [case]
    return case


# Declared conflicts --------------------------------------------------------------------------

def test_a_conflict_added_in_the_admin_reroutes_and_is_audited(people, root, client, case):
    response = post(client, ConflictDeclaration, "add", user=people.reviewer.pk, relation="unit",
                    organisation=people.unit.pk, person_id_number="510101199001011234", reason="兼职")
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get()
    declared = history_of(declaration).get(action="workflows.conflict.declared")
    assert declared.actor == root and declared.on_behalf_of == people.reviewer
    assert "510101199001011234" not in str(declared.data)
    # As on the page: the town's only reviewer is barred, the district reviews.
    assert inbox_cases(people.reviewer) == [] and inbox_cases(people.reviewer_d) == [case]
    rerouted = history_of(case).get(action="workflows.task.rerouted")
    assert rerouted.actor == root and rerouted.organisation == people.district


def test_a_conflict_is_not_lifted_under_a_case_in_flight(people, root, client, case):
    url = admin_url(ConflictDeclaration, "add")
    client.post(url, form_data(client, url, user=people.reviewer.pk, relation="unit", organisation=people.unit.pk))
    covering = ConflictDeclaration.objects.get()
    idle = ConflictDeclaration.objects.create(user=people.reviewer, relation="relative", person_name="王五")
    # The case still has its open review step (now at the district): refused, nothing moves back.
    response = client.post(admin_url(ConflictDeclaration, "delete", covering.pk), {"post": "yes"}, follow=True)
    assert case.title in response.content.decode()
    assert ConflictDeclaration.objects.filter(pk=covering.pk).exists()
    assert inbox_cases(people.reviewer) == [] and inbox_cases(people.reviewer_d) == [case]
    # A bulk deletion holding it is refused whole.
    client.post(admin_url(ConflictDeclaration, "changelist"), {
        "action": "delete_selected", "_selected_action": [covering.pk, idle.pk], "post": "yes"})
    assert ConflictDeclaration.objects.count() == 2 and not entries("workflows.conflict.withdrawn")
    # One that covers no open case is withdrawn, audited.
    response = client.post(admin_url(ConflictDeclaration, "delete", idle.pk), {"post": "yes"})
    assert response.status_code == 302 and not ConflictDeclaration.objects.filter(pk=idle.pk).exists()
    [withdrawn] = entries("workflows.conflict.withdrawn")
    assert withdrawn.actor == root and withdrawn.object_id == idle.pk and withdrawn.data["person"] == "王五"


# Roles and accounts --------------------------------------------------------------------------

def test_a_role_taken_away_hands_on_its_open_steps(people, root, client, case):
    membership = Membership.objects.get(user=people.reviewer, role="reviewer")
    response = client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"})
    assert response.status_code == 302 and not Membership.objects.filter(pk=membership.pk).exists()
    [revoked] = entries("workflows.membership.revoked")
    assert revoked.actor == root and revoked.object_id == membership.pk and revoked.data["left_without_actor"] == []
    # The town has no reviewer left: its review goes up to the district, audited.
    assert inbox_cases(people.reviewer_d) == [case]
    rerouted = history_of(case).get(action="workflows.task.rerouted")
    assert rerouted.actor == root and people.town.name in rerouted.comment
    decide(case=case, actor=fresh(people.reviewer_d), decision="approve")
    assert case.state == "inspection"


def test_a_step_given_to_someone_who_loses_the_role_goes_back_to_the_role(people, root, client, case):
    colleague = make_user("reviewer2", (people.town, "reviewer"))
    [task] = open_tasks(case)
    task_reassign(task=task, to_user=colleague, actor=people.admin, reason="熟悉该单位")
    assert inbox_cases(people.reviewer) == [] and inbox_cases(colleague) == [case]
    membership = Membership.objects.get(user=colleague, role="reviewer")
    assert client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"}).status_code == 302
    [task] = open_tasks(case)
    assert task.owner_id is None and inbox_cases(people.reviewer) == [case]
    assert entries("workflows.membership.revoked")[0].data["left_without_actor"] == []


def test_a_step_nobody_can_take_any_more_is_named_and_warned_of(people, root, client, journey):
    returned = journey.submitted()
    decide(case=returned, actor=people.reviewer, decision="return", comment="补充")  # the unit's revise step
    membership = Membership.objects.get(user=people.submitter)
    response = client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"}, follow=True)
    [task] = open_tasks(returned)
    [revoked] = entries("workflows.membership.revoked")
    assert revoked.data["left_without_actor"] == [task.pk] and revoked.comment
    assert "1" in [m.message for m in response.context["messages"]][0]


def test_a_role_moved_in_the_admin_moves_its_open_steps_away(people, root, client, case):
    town_b = make_org("乙镇工会", "town-b", OrgKind.INTERMEDIATE, people.district)
    membership = Membership.objects.get(user=people.reviewer, role="reviewer")
    response = post(client, Membership, "change", membership.pk, organisation=town_b.pk)
    assert response.status_code == 302
    [changed] = entries("workflows.membership.changed")
    assert changed.actor == root and changed.data["before"]["organisation"] == people.town.pk
    assert changed.data["after"]["organisation"] == town_b.pk
    assert inbox_cases(people.reviewer) == [] and inbox_cases(people.reviewer_d) == [case]


def test_an_account_made_inactive_in_the_admin_hands_on_its_steps(people, root, client, case):
    response = post(client, get_user_model(), "change", people.reviewer.pk, is_active=False)
    assert response.status_code == 302, errors_of(response)
    assert not fresh(people.reviewer).is_active
    [deactivated] = entries("workflows.account.deactivated")
    assert deactivated.actor == root and deactivated.object_id == people.reviewer.pk
    # The town's one reviewer no longer acts: its review goes up to the district, audited.
    assert inbox_cases(people.reviewer_d) == [case]
    assert history_of(case).get(action="workflows.task.rerouted").actor == root


# Organisations -------------------------------------------------------------------------------

def test_a_move_that_leaves_open_steps_behind_is_refused(people, root, client, case):
    town_b = make_org("乙镇工会", "town-b", OrgKind.INTERMEDIATE, people.district)
    response = post(client, Organisation, "change", people.unit.pk, parent=town_b.pk)
    assert case.title in errors_of(response)
    assert Organisation.objects.get(pk=people.unit.pk).parent == people.town
    assert not entries("workflows.organisation.moved")


# The working calendar ------------------------------------------------------------------------

def test_a_day_inside_an_open_notice_window_is_refused(people, root, client, journey):
    _case, notice = journey.in_notice()
    inside = notice.opened_on + datetime.timedelta(days=1)
    assert notice.opened_on < inside < notice.closes_on
    response = post(client, CalendarDay, "add", date=inside.isoformat(), is_working_day=False, name="假日")
    assert notice.title in errors_of(response) and not CalendarDay.objects.exists()
    outside = CalendarDay.objects.create(date=notice.closes_on + datetime.timedelta(days=30), is_working_day=False)
    response = post(client, CalendarDay, "change", outside.pk, date=inside.isoformat())
    assert notice.title in errors_of(response)
    assert CalendarDay.objects.get().date == outside.date
    assert not entries("workflows.calendar.day_set")
