"""The admin changes organisations, roles, declared conflicts, the working
calendar, sign-off departments and campaigns only through the services the
pages use: each change is audited with the acting superuser, has the
service's consequences (rerouting, refusals), and a refusal is a form error
with nothing saved. What the admin must not do is refused (403)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from workflows.steps.decisions import decide
from awards.mayday.models import Campaign, Department
from awards.roles import Role
from tests.conftest import make_org
# What an admin page would post (shared with the engine's tests).
from tests.engine.admin_forms import admin_url, entries, errors_of, form_data, post
from workflows.audit import history_of
from workflows.models import (
    CalendarDay, ConflictDeclaration, Membership, Organisation, OrgKind, PublicNotice, SignoffRequest,
)
from workflows.steps.actors import inbox_tasks
from workflows.steps.assignment import task_reassign
from workflows.steps.tasks import open_tasks

# Admin pages ---------------------------------------------------------------------------------


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
def b_case(tree, make_nomination):
    """A case of union B1 waiting for town B's review (its one reviewer)."""
    n = make_nomination(org=tree.union_b1, submitter=tree.submitter_b, nominee_name="李四",
                        id_number="510101199001011234", sector="institution")
    decide(decision="approve", case=n, actor=tree.chair_b)
    assert inbox_cases(tree.reviewer_b) == [n]
    return n


# Declared conflicts --------------------------------------------------------------------------

def test_a_conflict_added_in_the_admin_reroutes_and_is_audited(tree, root, client, b_case):
    response = post(client, ConflictDeclaration, "add", user=tree.reviewer_b.pk, relation="relative",
                    person_name="李四", person_id_number="510101199001011234", reason="表亲")
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get()
    declared = history_of(declaration).get(action="workflows.conflict.declared")
    assert declared.actor == root and declared.on_behalf_of == tree.reviewer_b
    assert "510101199001011234" not in str(declared.data)
    # As on the page: town B's only reviewer is barred, the district reviews.
    assert inbox_cases(tree.reviewer_b) == [] and inbox_cases(tree.reviewer_d) == [b_case]
    rerouted = history_of(b_case).get(action="workflows.task.rerouted")
    assert rerouted.actor == root and rerouted.organisation == tree.district


def test_an_incomplete_conflict_is_a_form_error(tree, root, client):
    response = post(client, ConflictDeclaration, "add", user=tree.reviewer_b.pk, relation="self")
    assert "身份证" in errors_of(response) or "ID number" in errors_of(response)
    response = post(client, ConflictDeclaration, "add", user=tree.reviewer_b.pk, relation="other")
    assert errors_of(response) != "" and not ConflictDeclaration.objects.exists()


def test_the_conflicts_page_asks_the_same_check(tree, client):
    client.force_login(tree.reviewer_b)
    response = client.post(reverse("conflicts"), {"relation": "self", "person_name": "李四"})
    assert response.status_code == 200 and "身份证" in str(response.context["form"].errors["person_id_number"])
    response = client.post(reverse("conflicts"), {"relation": "other"})
    assert response.context["form"].non_field_errors() and not ConflictDeclaration.objects.exists()


def test_a_conflict_is_not_lifted_under_a_case_in_flight(tree, root, client, b_case):
    client.post(admin_url(ConflictDeclaration, "add"), form_data(
        client, admin_url(ConflictDeclaration, "add"), user=tree.reviewer_b.pk, relation="unit",
        organisation=tree.union_b1.pk))
    covering = ConflictDeclaration.objects.get()
    idle = ConflictDeclaration.objects.create(user=tree.reviewer_b, relation="relative", person_name="王五")
    # The case still has its open review step (now at the district): refused, nothing moves back.
    response = client.post(admin_url(ConflictDeclaration, "delete", covering.pk), {"post": "yes"}, follow=True)
    assert b_case.nominee_name in response.content.decode()
    assert ConflictDeclaration.objects.filter(pk=covering.pk).exists()
    assert inbox_cases(tree.reviewer_b) == [] and inbox_cases(tree.reviewer_d) == [b_case]
    # A bulk deletion holding it is refused whole.
    response = client.post(admin_url(ConflictDeclaration, "changelist"), {
        "action": "delete_selected", "_selected_action": [covering.pk, idle.pk], "post": "yes"})
    assert ConflictDeclaration.objects.count() == 2 and not entries("workflows.conflict.withdrawn")
    # One that covers no open case is withdrawn, audited.
    response = client.post(admin_url(ConflictDeclaration, "delete", idle.pk), {"post": "yes"})
    assert response.status_code == 302 and not ConflictDeclaration.objects.filter(pk=idle.pk).exists()
    [withdrawn] = entries("workflows.conflict.withdrawn")
    assert withdrawn.actor == root and withdrawn.object_id == idle.pk and withdrawn.data["person"] == "王五"


def test_a_declaration_is_never_edited_in_the_admin(tree, root, client):
    declaration = ConflictDeclaration.objects.create(user=tree.reviewer_b, relation="relative", person_name="王五")
    response = client.post(admin_url(ConflictDeclaration, "change", declaration.pk),
                           {"user": tree.reviewer_b.pk, "relation": "relative", "person_name": "赵六"})
    assert response.status_code == 403
    assert ConflictDeclaration.objects.get().person_name == "王五"


# Roles ---------------------------------------------------------------------------------------

def test_a_role_granted_in_the_admin_is_audited_and_checked(tree, root, client):
    newcomer = get_user_model().objects.create_user("newcomer", password="pw")
    response = post(client, Membership, "add", user=newcomer.pk, organisation=tree.district.pk, role=Role.SUBMITTER)
    assert "基层工会" in errors_of(response)  # a submitter is held at a union, not at the district
    assert not Membership.objects.filter(user=newcomer).exists()
    response = post(client, Membership, "add", user=newcomer.pk, organisation=tree.town_b.pk, role=Role.REVIEWER)
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    [granted] = entries("workflows.membership.granted")
    assert granted.actor == root and granted.object_id == membership.pk and granted.organisation == tree.town_b


def test_a_role_taken_away_hands_on_its_open_steps(tree, root, client, b_case):
    membership = Membership.objects.get(user=tree.reviewer_b, role=Role.REVIEWER)
    response = client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"})
    assert response.status_code == 302 and not Membership.objects.filter(pk=membership.pk).exists()
    [revoked] = entries("workflows.membership.revoked")
    assert revoked.actor == root and revoked.object_id == membership.pk and revoked.data["left_without_actor"] == []
    # Town B has no reviewer left: its review goes up to the district, audited.
    assert inbox_cases(tree.reviewer_d) == [b_case]
    rerouted = history_of(b_case).get(action="workflows.task.rerouted")
    assert rerouted.actor == root and "乙街道工会" in rerouted.comment


def test_a_step_given_to_someone_who_loses_the_role_goes_back_to_the_role(tree, root, client, make_nomination):
    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair)  # town A's review is open
    [task] = open_tasks(n)
    task_reassign(task=task, to_user=tree.reviewer_a2, actor=tree.admin_d, reason="熟悉该单位")
    assert inbox_cases(tree.reviewer_a) == [] and inbox_cases(tree.reviewer_a2) == [n]
    membership = Membership.objects.get(user=tree.reviewer_a2, role=Role.REVIEWER)
    assert client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"}).status_code == 302
    [task] = open_tasks(n)
    assert task.owner_id is None and inbox_cases(tree.reviewer_a) == [n]
    assert entries("workflows.membership.revoked")[0].data["left_without_actor"] == []


def test_a_step_nobody_can_take_any_more_is_named_and_warned_of(tree, root, client, make_nomination):
    n = make_nomination(org=tree.union_b1, submitter=tree.submitter_b, sector="institution")  # chair B confirms
    membership = Membership.objects.get(user=tree.chair_b)
    response = client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"}, follow=True)
    [task] = open_tasks(n)
    [revoked] = entries("workflows.membership.revoked")
    assert revoked.data["left_without_actor"] == [task.pk] and revoked.comment
    assert "1" in [m.message for m in response.context["messages"]][0]


def test_a_role_changed_in_the_admin_moves_its_open_steps_away(tree, root, client, b_case):
    membership = Membership.objects.get(user=tree.reviewer_b, role=Role.REVIEWER)
    response = post(client, Membership, "change", membership.pk, organisation=tree.town_a.pk)
    assert response.status_code == 302
    [changed] = entries("workflows.membership.changed")
    assert changed.actor == root and changed.data["before"]["organisation"] == tree.town_b.pk
    assert changed.data["after"]["organisation"] == tree.town_a.pk
    assert inbox_cases(tree.reviewer_d) == [b_case]


def test_an_account_made_inactive_in_the_admin_hands_on_its_steps(tree, root, client, b_case):
    response = post(client, get_user_model(), "change", tree.reviewer_b.pk, is_active=False)
    assert response.status_code == 302, errors_of(response)
    assert not fresh(tree.reviewer_b).is_active
    [deactivated] = entries("workflows.account.deactivated")
    assert deactivated.actor == root and deactivated.object_id == tree.reviewer_b.pk
    # Town B's one reviewer no longer acts: its review goes up to the district, audited.
    assert inbox_cases(tree.reviewer_d) == [b_case]
    assert history_of(b_case).get(action="workflows.task.rerouted").actor == root


# Organisations -------------------------------------------------------------------------------

def test_an_organisation_added_in_the_admin_is_audited_and_placed_by_its_kind(tree, root, client):
    response = post(client, Organisation, "add", name="丙镇工会", code="town-c", kind=OrgKind.INTERMEDIATE,
                    parent=tree.town_a.pk)
    assert errors_of(response) and not Organisation.objects.filter(code="town-c").exists()
    response = post(client, Organisation, "add", name="丙镇工会", code="town-c", kind=OrgKind.INTERMEDIATE,
                    parent=tree.district.pk)
    assert response.status_code == 302
    town_c = Organisation.objects.get(code="town-c")
    [created] = entries("workflows.organisation.created")
    assert created.actor == root and created.object_id == town_c.pk and town_c.path == f"{tree.district.path}{town_c.pk}/"


def test_a_move_that_leaves_open_steps_behind_is_refused(tree, root, client, b_case):
    response = post(client, Organisation, "change", tree.union_b1.pk, parent=tree.town_a.pk)
    assert b_case.nominee_name in errors_of(response)
    assert Organisation.objects.get(pk=tree.union_b1.pk).parent == tree.town_b
    assert not entries("workflows.organisation.moved")


def test_a_move_is_audited_with_the_paths(tree, root, client):
    response = post(client, Organisation, "change", tree.union_b1.pk, parent=tree.town_a.pk, name="乙一医院工会（新）")
    assert response.status_code == 302
    moved_org = Organisation.objects.get(pk=tree.union_b1.pk)
    assert moved_org.parent == tree.town_a and moved_org.path.startswith(tree.town_a.path)
    [moved] = entries("workflows.organisation.moved")
    assert moved.actor == root and moved.data["parent"] == [tree.town_b.pk, tree.town_a.pk]
    assert moved.data["path"][1] == moved_org.path and moved.data["name"][1] == "乙一医院工会（新）"


def test_organisations_and_accounts_are_never_deleted_in_the_admin(tree, root, client):
    for model, pk in ((Organisation, tree.union_b1.pk), (get_user_model(), tree.chair_b.pk)):
        response = client.post(admin_url(model, "delete", pk), {"post": "yes"})
        assert response.status_code == 403
        assert model.objects.filter(pk=pk).exists()
    # The inlines show, never change.
    page = client.get(admin_url(Organisation, "change", tree.town_b.pk)).content.decode()
    assert 'name="children-0-name"' not in page and tree.union_b1.name in page
    page = client.get(admin_url(get_user_model(), "change", tree.chair_b.pk)).content.decode()
    assert 'name="memberships-0-role"' not in page


# The working calendar ------------------------------------------------------------------------

@pytest.fixture
def open_notice(tree, root, campaign):
    return PublicNotice.objects.create(
        title="2030年五一劳动奖公示", organisation=tree.district,
        scope_type=ContentType.objects.get_for_model(Campaign), scope_id=campaign.pk, handler="x",
        opened_on=datetime.date(2030, 4, 1), window_days=5, closes_on=datetime.date(2030, 4, 8), opened_by=root,
    )


def test_calendar_days_are_entered_and_removed_through_the_service(tree, root, client):
    response = post(client, CalendarDay, "add", date="2031-01-01", is_working_day=False, name="元旦")
    assert response.status_code == 302
    day = CalendarDay.objects.get()
    [entered] = entries("workflows.calendar.day_set")
    assert entered.actor == root and entered.data["after"] == {"date": "2031-01-01", "is_working_day": False,
                                                                "name": "元旦"}
    response = post(client, CalendarDay, "change", day.pk, date="2031-01-02")
    assert response.status_code == 302 and CalendarDay.objects.get().date == datetime.date(2031, 1, 2)
    assert entries("workflows.calendar.day_set")[-1].data["before"]["date"] == "2031-01-01"
    response = client.post(admin_url(CalendarDay, "changelist"),
                           {"action": "delete_selected", "_selected_action": [day.pk], "post": "yes"})
    assert response.status_code == 302 and not CalendarDay.objects.exists()
    [removed] = entries("workflows.calendar.day_removed")
    assert removed.actor == root and removed.object_id == day.pk


def test_a_day_inside_an_open_notice_window_is_refused(tree, root, client, open_notice):
    response = post(client, CalendarDay, "add", date="2030-04-03", is_working_day=False, name="清明")
    assert open_notice.title in errors_of(response) and not CalendarDay.objects.exists()
    outside = CalendarDay.objects.create(date=datetime.date(2030, 4, 20), is_working_day=False)
    response = post(client, CalendarDay, "change", outside.pk, date="2030-04-05")
    assert open_notice.title in errors_of(response)
    assert CalendarDay.objects.get().date == datetime.date(2030, 4, 20)
    assert not entries("workflows.calendar.day_set")


# Sign-off departments ------------------------------------------------------------------------

def test_departments_change_through_the_service(tree, root, client, b_case):
    response = post(client, Department, "add", organisation=tree.town_a.pk, function="tax", active=True)
    assert errors_of(response) and not Department.objects.exists()
    tax = make_org("区税务局", "dept-tax", OrgKind.DEPARTMENT, tree.district)
    response = post(client, Department, "add", organisation=tax.pk, function="tax", active=True)
    assert response.status_code == 302
    department = Department.objects.get()
    [created] = entries("awards.department.created")
    assert created.actor == root and created.object_id == department.pk
    # Asked for a sign-off: it cannot stop being asked until it answers.
    SignoffRequest.objects.create(content_type=ContentType.objects.get_for_model(b_case), object_id=b_case.pk,
                                  department=tax)
    response = post(client, Department, "change", department.pk, active=False)
    assert tax.name in errors_of(response) and Department.objects.get().active
    response = post(client, Department, "change", department.pk, function="safety")
    assert response.status_code == 302
    [changed] = entries("awards.department.changed")
    assert changed.actor == root and changed.data == {"function": ["tax", "safety"]}
    assert client.post(admin_url(Department, "delete", department.pk), {"post": "yes"}).status_code == 403


# Campaigns -----------------------------------------------------------------------------------

def test_a_certificate_number_format_without_seq_is_refused(tree, root, client, campaign):
    response = post(client, Campaign, "change", campaign.pk, certificate_number_format="工奖〔{year}〕号")
    assert "{seq}" in errors_of(response)
    response = post(client, Campaign, "change", campaign.pk, certificate_number_format="工奖〔{nonsense}〕号")
    assert "{year}" in errors_of(response)
    response = post(client, Campaign, "change", campaign.pk, notice_fields=["id_number"])
    assert "notice_fields" in response.context["adminform"].form.errors
    assert Campaign.objects.get().certificate_number_format == "涪工奖〔{year}〕第{seq:04d}号"
    assert not entries("awards.campaign.edited")
    response = post(client, Campaign, "change", campaign.pk, certificate_number_format="新工奖〔{year}〕{seq:03d}号")
    assert response.status_code == 302
    [edited] = entries("awards.campaign.edited")
    assert edited.actor == root
    assert edited.data == {"certificate_number_format": ["涪工奖〔{year}〕第{seq:04d}号", "新工奖〔{year}〕{seq:03d}号"]}
    assert client.post(admin_url(Campaign, "delete", campaign.pk), {"post": "yes"}).status_code == 403
