"""The admin changes organisations, roles, declared conflicts and the
working calendar only through the services the pages use: each change is
audited with the acting superuser, and a refusal is a form error with
nothing saved. What the admin must not do is refused (403).

What such a change does to open steps (rerouting, handing on, refusing a
move or a day inside a notice window) is asserted on the engine's toy
process: tests/engine/test_admin_open_steps.py."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from awards.roles import Role
# What an admin page would post (shared with the engine's tests).
from tests.engine.admin_forms import admin_url, entries, errors_of, post
from workflows.models import CalendarDay, ConflictDeclaration, Membership, Organisation, OrgKind

# Admin pages ---------------------------------------------------------------------------------

@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return user


# Declared conflicts --------------------------------------------------------------------------

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
