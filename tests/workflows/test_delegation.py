"""Who acts: delegation, reassignment, recusal; and who is told: deadlines,
reminders, notifications."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import override

from workflows.steps.decisions import decide
from awards.mayday.models import NominationState as S
from tests.conftest import make_user
from workflows.audit import history_of
from workflows.steps.deadlines import open_deadlines, overdue_deadlines, send_reminders
from workflows.organisations.delegation import delegation_create, delegation_revoke
from workflows.steps.assignment import task_reassign
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.steps.actors import inbox_tasks
from workflows.steps.tasks import open_tasks
from workflows.models import ConflictDeclaration, Membership, Notification
from awards.roles import Role
from workflows.notifications.services import mark_read, unread_count
from workflows.organisations.recusal import conflict_declare, earlier_level, eligible_actors


def fresh_user(user):
    """A new object: memberships and delegations are cached per object."""
    return get_user_model().objects.get(pk=user.pk)


def inbox_cases(user):
    return [t.process.artifact for t in inbox_tasks(fresh_user(user))]


def confirmed(tree, make_nomination, **kw):
    n = make_nomination(**kw)
    chair = tree.chair if n.organisation.is_within(tree.town_a) else tree.chair_b
    decide(decision="approve", case=n, actor=chair)
    assert n.state == S.CONFIRMED
    return n


def actions(case):
    return [e.action for e in history_of(case)]


# Delegation ----------------------------------------------------------------------

def test_substitute_gets_the_tasks_and_the_audit_names_both(tree, make_nomination):
    n = confirmed(tree, make_nomination)
    stand_in = tree.reviewer_d  # a reviewer one level up may stand in for town A's
    with pytest.raises(NotAllowed):
        decide(decision="approve", case=n, actor=fresh_user(stand_in))
    today = timezone.localdate()
    with pytest.raises(NotAllowed):  # only the absent user or a district administrator
        delegation_create(principal=tree.reviewer_a, substitute=stand_in, starts_on=today,
                          ends_on=today, actor=tree.reviewer_b)
    delegation = delegation_create(
        principal=tree.reviewer_a, substitute=stand_in, starts_on=today,
        ends_on=today + datetime.timedelta(days=7), actor=tree.reviewer_a, reason="年假",
    )
    assert inbox_cases(stand_in) == [n]
    assert Notification.objects.filter(user=stand_in).count() == 1

    decide(decision="approve", case=n, actor=fresh_user(stand_in), comment="代为审核")
    assert n.state == S.INTERMEDIATE_APPROVED
    entry = history_of(n).get(action="awards.nomination.approved", role=Role.REVIEWER)
    assert entry.actor == stand_in and entry.on_behalf_of == tree.reviewer_a
    assert entry.organisation == tree.town_a

    # Four eyes: having reviewed for town A, the stand-in does not review the
    # same case again for the district.
    assert inbox_cases(stand_in) == [n]
    with pytest.raises(NotAllowed):
        decide(decision="approve", case=n, actor=fresh_user(stand_in))
    assert n.state == S.INTERMEDIATE_APPROVED and actions(n)[-1] == "workflows.four_eyes.refused"

    delegation_revoke(delegation=delegation, actor=tree.admin_d)
    m = confirmed(tree, make_nomination, nominee_name="李四", id_number="110101199001011234")
    assert m not in inbox_cases(stand_in) and m in inbox_cases(tree.reviewer_a)


def test_a_delegation_needs_a_sensible_period(tree):
    today = timezone.localdate()
    with pytest.raises(RuleViolation):
        delegation_create(principal=tree.reviewer_a, substitute=tree.reviewer_a, starts_on=today, ends_on=today,
                          actor=tree.reviewer_a)
    with pytest.raises(RuleViolation):
        delegation_create(principal=tree.reviewer_a, substitute=tree.reviewer_a2, starts_on=today,
                          ends_on=today - datetime.timedelta(days=1), actor=tree.reviewer_a)
    # A future period does not act yet.
    delegation_create(principal=tree.reviewer_a, substitute=tree.reviewer_d, starts_on=today + datetime.timedelta(days=3),
                      ends_on=today + datetime.timedelta(days=5), actor=tree.reviewer_a)
    from workflows.organisations.access import memberships

    assert [(m.organisation, m.role) for m in memberships(fresh_user(tree.reviewer_d))] == [
        (tree.district, Role.REVIEWER)
    ]


def test_only_a_peer_or_a_superior_in_the_same_role_stands_in(tree):
    today = timezone.localdate()

    def name(substitute, principal=tree.reviewer_a):
        return delegation_create(principal=principal, substitute=substitute, starts_on=today, ends_on=today,
                                 actor=tree.admin_d)

    # The chair below, a reviewer of the other branch, a user with no role,
    # the district's administrator (another role): none may.
    for substitute in (tree.chair, tree.reviewer_b, tree.outsider, tree.admin_d):
        with pytest.raises(RuleViolation):
            name(substitute)
    with override("en"), pytest.raises(RuleViolation) as err:
        name(tree.chair)
    assert "same role" in err.value.message
    assert not tree.reviewer_a.delegations_given.exists()
    # A peer, or the same role above.
    name(tree.reviewer_a2)
    name(tree.reviewer_d)
    with pytest.raises(RuleViolation):  # not downwards
        name(tree.reviewer_a, principal=tree.reviewer_d)


def test_a_delegation_stops_acting_when_the_substitute_loses_the_role(tree, make_nomination):
    n = confirmed(tree, make_nomination)
    today = timezone.localdate()
    delegation_create(principal=tree.reviewer_a, substitute=tree.reviewer_d, starts_on=today, ends_on=today,
                      actor=tree.reviewer_a)
    assert inbox_cases(tree.reviewer_d) == [n]
    Membership.objects.filter(user=tree.reviewer_d).update(role=Role.SUBMITTER)
    assert inbox_cases(tree.reviewer_d) == []
    with pytest.raises(NotAllowed):
        decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_d))


def test_the_substitute_carries_the_principals_conflicts(tree, make_nomination):
    n = confirmed(tree, make_nomination)
    conflict_declare(reviewer=tree.reviewer_a, relation="relative", person_name="张三", actor=tree.reviewer_a)
    today = timezone.localdate()
    delegation_create(principal=tree.reviewer_a, substitute=tree.reviewer_d, starts_on=today, ends_on=today,
                      actor=tree.reviewer_a)
    task = open_tasks(n).get()
    assert tree.reviewer_d not in eligible_actors(task, n) and tree.reviewer_a2 in eligible_actors(task, n)
    with override("en"), pytest.raises(NotAllowed) as err:
        decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_d))
    assert "stand in for reviewer_a" in str(err.value)
    refusal = history_of(n).get(action="workflows.recusal.refused")
    assert refusal.actor == tree.reviewer_d and refusal.on_behalf_of == tree.reviewer_a
    assert n.state == S.CONFIRMED
    decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_a2))
    assert n.state == S.INTERMEDIATE_APPROVED


# Reassignment --------------------------------------------------------------------

def test_district_admin_reassigns_a_task_with_a_reason(tree, make_nomination):
    n = confirmed(tree, make_nomination)
    task = open_tasks(n).get()
    assert n in inbox_cases(tree.reviewer_a) and n in inbox_cases(tree.reviewer_a2)
    with pytest.raises(NotAllowed):
        task_reassign(task=task, to_user=tree.reviewer_a2, actor=tree.reviewer_a, reason="忙")
    with pytest.raises(RuleViolation):
        task_reassign(task=task, to_user=tree.reviewer_a2, actor=tree.admin_d, reason=" ")
    with pytest.raises(RuleViolation):  # reviewer_b is not a reviewer of town_a or above
        task_reassign(task=task, to_user=tree.reviewer_b, actor=tree.admin_d, reason="x")

    task_reassign(task=task, to_user=tree.reviewer_a2, actor=tree.admin_d, reason="原审核人出差")
    assert inbox_cases(tree.reviewer_a) == [] and inbox_cases(tree.reviewer_a2) == [n]
    entry = history_of(n).get(action="workflows.task.reassigned")
    assert entry.comment == "原审核人出差" and entry.actor == tree.admin_d and entry.data["to"] == tree.reviewer_a2.pk
    with pytest.raises(NotAllowed):
        decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_a))
    decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_a2))
    assert n.state == S.INTERMEDIATE_APPROVED


def test_reassignment_to_a_superior_reviewer(tree, make_nomination):
    n = confirmed(tree, make_nomination)
    task_reassign(task=open_tasks(n).get(), to_user=tree.reviewer_d, actor=tree.admin_d, reason="统一审核")
    decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_d))
    entry = history_of(n).get(action="awards.nomination.approved", role=Role.REVIEWER)
    assert entry.actor == tree.reviewer_d and entry.organisation == tree.town_a


# Recusal --------------------------------------------------------------------------

def test_reviewer_of_their_own_unit_is_refused_and_logged(tree, make_nomination):
    Membership.objects.create(user=tree.reviewer_a, organisation=tree.union_a1, role=Role.SUBMITTER)
    n = confirmed(tree, make_nomination)
    with pytest.raises(NotAllowed) as err:
        decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_a))
    assert tree.union_a1.name in str(err.value)
    assert n.state == S.CONFIRMED
    refusal = history_of(n).get(action="workflows.recusal.refused")
    assert refusal.actor == tree.reviewer_a and tree.union_a1.name in refusal.comment
    # Another reviewer of the same union still has it.
    assert inbox_cases(tree.reviewer_a2) == [n]
    decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_a2))
    assert n.state == S.INTERMEDIATE_APPROVED


def test_self_nomination_is_refused(tree, make_nomination):
    ConflictDeclaration.objects.create(user=tree.reviewer_a, relation="self", person_id_number="110101198503011234")
    n = confirmed(tree, make_nomination)
    with pytest.raises(NotAllowed):
        decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_a))
    assert "workflows.recusal.refused" in actions(n)


def test_when_every_reviewer_has_a_conflict_the_superior_reviews(tree, make_nomination):
    # town_b has one reviewer, who declared a conflict with the nominee.
    ConflictDeclaration.objects.create(user=tree.reviewer_b, relation="relative", person_name="李四")
    n = confirmed(tree, make_nomination, org=tree.union_b1, submitter=tree.submitter_b, nominee_name="李四",
                  id_number="510101199001011234", sector="institution")
    assert inbox_cases(tree.reviewer_b) == []
    assert inbox_cases(tree.reviewer_d) == [n]
    rerouted = history_of(n).get(action="workflows.task.rerouted")
    assert rerouted.organisation == tree.district and rerouted.data["from"] == tree.town_b.pk
    decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_d))
    assert n.state == S.INTERMEDIATE_APPROVED


def test_conflict_declared_late_is_refused_then_routed(tree, make_nomination):
    n = confirmed(tree, make_nomination, org=tree.union_b1, submitter=tree.submitter_b, nominee_name="李四",
                  id_number="510101199001011234", sector="institution")
    assert inbox_cases(tree.reviewer_b) == [n]
    ConflictDeclaration.objects.create(user=tree.reviewer_b, relation="other", organisation=tree.union_b1)
    with pytest.raises(NotAllowed):
        decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_b))
    assert actions(n)[-2:] == ["workflows.recusal.refused", "workflows.task.rerouted"]
    assert inbox_cases(tree.reviewer_b) == [] and inbox_cases(tree.reviewer_d) == [n]


# Conflicts declared through the service -------------------------------------------------

def test_declaring_a_conflict_reroutes_the_open_step_and_is_logged(tree, make_nomination):
    n = confirmed(tree, make_nomination, org=tree.union_b1, submitter=tree.submitter_b, nominee_name="李四",
                  id_number="510101199001011234", sector="institution")
    assert inbox_cases(tree.reviewer_b) == [n]
    declaration = conflict_declare(
        reviewer=tree.reviewer_b, relation="relative", person_name="李 四", person_id_number=" 510101199001011234 ",
        reason="表亲", actor=tree.reviewer_b,
    )
    assert declaration.person_id_number == "510101199001011234" and declaration.rerouted == 1
    # town B's only reviewer is barred: the step went up to the district.
    assert inbox_cases(tree.reviewer_b) == [] and inbox_cases(tree.reviewer_d) == [n]
    assert actions(n)[-1] == "workflows.task.rerouted"
    logged = history_of(declaration).get()
    assert logged.action == "workflows.conflict.declared" and logged.actor == tree.reviewer_b
    assert "510101199001011234" not in str(logged.data) and logged.data["id_number"] == "510…1234"


def test_who_may_declare_and_what_a_declaration_needs(tree):
    with pytest.raises(NotAllowed):  # not for somebody else
        conflict_declare(reviewer=tree.reviewer_a, relation="other", person_name="某", actor=tree.reviewer_b)
    with pytest.raises(RuleViolation):
        conflict_declare(reviewer=tree.reviewer_a, relation="self", actor=tree.reviewer_a)
    with pytest.raises(RuleViolation):
        conflict_declare(reviewer=tree.reviewer_a, relation="unit", actor=tree.reviewer_a)
    with pytest.raises(RuleViolation):
        conflict_declare(reviewer=tree.reviewer_a, relation="other", actor=tree.reviewer_a)
    assert not ConflictDeclaration.objects.exists()
    # The district's administrator may record one for a reviewer of the district.
    conflict_declare(reviewer=tree.reviewer_a, relation="unit", organisation=tree.union_a2, actor=tree.admin_d)
    assert ConflictDeclaration.objects.get().user == tree.reviewer_a


# Four eyes ------------------------------------------------------------------------------

def test_nobody_decides_two_levels_of_one_case(tree, make_nomination):
    n = confirmed(tree, make_nomination)
    task_reassign(task=open_tasks(n).get(), to_user=tree.reviewer_d, actor=tree.admin_d, reason="集中审核")
    decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_d))
    assert n.state == S.INTERMEDIATE_APPROVED

    with override("en"), pytest.raises(NotAllowed) as err:
        decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_d))
    assert "another level" in str(err.value) and tree.town_a.name in str(err.value)
    n.refresh_from_db()
    assert n.state == S.INTERMEDIATE_APPROVED
    refusal = history_of(n).last()
    assert refusal.action == "workflows.four_eyes.refused" and refusal.actor == tree.reviewer_d
    assert refusal.organisation == tree.district and refusal.data["step"] == "review_district"
    with pytest.raises(NotAllowed):  # returning is a decision too
        decide(decision="return", case=n, actor=fresh_user(tree.reviewer_d), comment="补充")

    colleague = make_user("reviewer_d_2", (tree.district, Role.REVIEWER))
    decide(decision="approve", case=n, actor=colleague)
    assert n.state == S.AWAITING_NOTICE


def test_the_same_level_again_in_a_later_round_is_fine(tree, make_nomination):
    n = confirmed(tree, make_nomination)
    decide(decision="return", case=n, actor=tree.reviewer_a, comment="补充")
    decide(decision="resubmit", case=n, actor=tree.submitter)
    decide(decision="approve", case=n, actor=tree.chair)
    decide(decision="approve", case=n, actor=fresh_user(tree.reviewer_a))
    assert n.state == S.INTERMEDIATE_APPROVED
    assert "workflows.four_eyes.refused" not in actions(n)


def test_a_decision_taken_for_someone_counts_as_theirs_too(tree, make_nomination):
    n = confirmed(tree, make_nomination)
    decide(decision="approve", case=n, actor=tree.reviewer_a)
    district_task = open_tasks(n).get()
    # Whoever acts for reviewer_a (or as them) at the district level.
    assert earlier_level(tree.reviewer_d, n, district_task) is None
    earlier = earlier_level(tree.reviewer_d, n, district_task, principal=tree.reviewer_a)
    assert earlier.actor == tree.reviewer_a and earlier.organisation == tree.town_a
    assert earlier_level(tree.reviewer_a, n, district_task) == earlier


# Deadlines, reminders, notifications ---------------------------------------------------

def test_reminders_once_then_overdue_escalates_to_the_superior(tree, make_nomination, django_capture_on_commit_callbacks):
    n = make_nomination()
    deadline = open_deadlines(n).get()
    assert deadline.step == "confirm" and deadline.due_on > timezone.localdate(n.submitted_at)
    before = deadline.due_on - datetime.timedelta(days=10)
    assert send_reminders(today=before) == {"reminded": 0, "overdue": 0}

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today=deadline.due_on) == {"reminded": 1, "overdue": 0}
        assert send_reminders(today=deadline.due_on) == {"reminded": 0, "overdue": 0}
    assert Notification.objects.filter(user=tree.chair, key__startswith="reminder:").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [tree.chair.email]

    late = deadline.due_on + datetime.timedelta(days=1)
    assert overdue_deadlines(n, today=late) == [deadline]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", today=late.isoformat(), verbosity=0)
        call_command("send_reminders", today=late.isoformat(), verbosity=0)
    assert Notification.objects.filter(user=tree.chair, key__startswith="overdue:").count() == 1
    told = set(Notification.objects.filter(key__startswith="overdue-superior:").values_list("user__username", flat=True))
    assert told == {"reviewer_a", "reviewer_a_2"}  # the reviewers of the union above
    assert unread_count(tree.reviewer_a) == 1
    mark_read(tree.reviewer_a)
    assert unread_count(tree.reviewer_a) == 0

    # Taking the step ends the reminders for it.
    decide(decision="approve", case=n, actor=tree.chair)
    assert send_reminders(today=late)["overdue"] == 0


def test_next_actors_are_notified_in_app(tree, make_nomination):
    make_nomination()
    assert unread_count(tree.chair) == 1
    note = Notification.objects.get(user=tree.chair)
    assert note.url.endswith(f"/nominations/{note.url.rstrip('/').split('/')[-1]}/")


def test_header_shows_the_unread_count(tree, client, make_nomination):
    make_nomination()
    client.force_login(tree.chair)
    response = client.get("/inbox/")
    assert response.context["unread_notifications"] == 1


def test_notification_list_and_opening_one(tree, client, make_nomination):
    n = make_nomination()
    note = Notification.objects.get(user=tree.chair)
    client.force_login(tree.chair)
    page = client.get("/notifications/")
    assert page.status_code == 200 and escape(note.title) in page.content.decode()
    assert 'id="unread-count">1<' in page.content.decode()
    assert client.get("/notifications/", {"show": "unread"}).context["page_obj"].paginator.count == 1
    response = client.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == n.get_absolute_url()
    note.refresh_from_db()
    assert note.is_read and unread_count(tree.chair) == 0
    client.force_login(tree.reviewer_a)  # someone else's notification
    assert client.get(f"/notifications/{note.pk}/").status_code == 404
    client.logout()
    assert client.get("/notifications/").status_code == 302


def test_delegation_conflict_and_reassign_pages(tree, client, make_nomination):
    today = timezone.localdate()
    client.force_login(tree.reviewer_a)
    assert client.get("/delegations/").status_code == 200
    response = client.post("/delegations/", {"substitute": tree.reviewer_a2.pk, "starts_on": today.isoformat(),
                                             "ends_on": (today - datetime.timedelta(days=1)).isoformat()})
    assert response.status_code == 200 and response.context["form"].errors["ends_on"]
    response = client.post("/delegations/", {"substitute": tree.reviewer_a2.pk, "starts_on": today.isoformat(),
                                             "ends_on": today.isoformat(), "reason": "开会"})
    assert response.status_code == 302
    delegation = tree.reviewer_a.delegations_given.get()
    assert delegation.substitute == tree.reviewer_a2
    assert client.post(f"/delegations/{delegation.pk}/end/").status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    client.force_login(tree.reviewer_b)  # somebody else's delegation: not found
    assert client.post(f"/delegations/{delegation.pk}/end/").status_code == 404

    client.force_login(tree.reviewer_a)
    response = client.post("/conflicts/", {"relation": "self", "person_id_number": ""})
    assert response.status_code == 200 and response.context["form"].errors["person_id_number"]
    response = client.post("/conflicts/", {"relation": "relative", "person_name": "张三", "reason": "表兄"})
    assert response.status_code == 302 and ConflictDeclaration.objects.filter(user=tree.reviewer_a).count() == 1

    n = confirmed(tree, make_nomination, nominee_name="李四", id_number="110101199001011234")
    task = open_tasks(n).get()
    client.force_login(tree.reviewer_b)
    assert client.get(f"/tasks/{task.pk}/reassign/").status_code == 404  # another branch
    client.force_login(tree.reviewer_a)
    assert client.get(f"/tasks/{task.pk}/reassign/").status_code == 403  # visible, not theirs
    client.force_login(tree.admin_d)
    page = client.get(f"/tasks/{task.pk}/reassign/")
    assert page.status_code == 200
    offered = {u.username for u in page.context["form"].fields["to_user"].queryset}
    assert offered == {"reviewer_a", "reviewer_a_2", "reviewer_d"}
    response = client.post(f"/tasks/{task.pk}/reassign/", {"to_user": tree.reviewer_d.pk, "reason": "集中审核"})
    assert response.status_code == 302
    assert inbox_cases(tree.reviewer_d) == [n] and inbox_cases(tree.reviewer_a) == []


def test_substitute_choices_follow_the_absent_users_roles(tree, client):
    client.force_login(tree.reviewer_a)
    page = client.get("/delegations/")
    offered = {u.username for u in page.context["form"].fields["substitute"].queryset}
    assert offered == {"reviewer_a_2", "reviewer_d"}
    response = client.post("/delegations/", {"substitute": tree.chair.pk, "starts_on": timezone.localdate().isoformat(),
                                             "ends_on": timezone.localdate().isoformat()})
    assert response.status_code == 200 and response.context["form"].errors["substitute"]

    client.force_login(tree.admin_d)  # choices follow the absent user picked
    today = timezone.localdate().isoformat()
    response = client.post("/delegations/", {"principal": tree.chair.pk, "substitute": tree.reviewer_a.pk,
                                             "starts_on": today, "ends_on": today})
    assert response.status_code == 200 and response.context["form"].errors["substitute"]
    response = client.post("/delegations/", {"principal": tree.reviewer_a.pk, "substitute": tree.reviewer_d.pk,
                                             "starts_on": today, "ends_on": today})
    assert response.status_code == 302
    assert tree.reviewer_a.delegations_given.get().substitute == tree.reviewer_d
    assert not tree.chair.delegations_given.exists()


def test_conflict_page_declares_through_the_service(tree, client, make_nomination):
    n = confirmed(tree, make_nomination, org=tree.union_b1, submitter=tree.submitter_b, nominee_name="李四",
                  id_number="510101199001011234", sector="institution")
    client.force_login(tree.reviewer_b)
    response = client.post("/conflicts/", {"relation": "unit", "organisation": tree.union_b1.pk, "reason": "兼职"})
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get(user=tree.reviewer_b)
    assert history_of(declaration).get().action == "workflows.conflict.declared"
    assert inbox_cases(tree.reviewer_b) == [] and inbox_cases(tree.reviewer_d) == [n]


def test_case_page_shows_overdue_and_both_names(tree, client, make_nomination):
    from workflows.models import TaskDeadline

    n = make_nomination()
    TaskDeadline.objects.filter(object_id=n.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(tree.chair)
    page = client.get(n.get_absolute_url())
    assert page.context["overdue"] is True and 'class="badge overdue"' in page.content.decode()

    stand_in = make_user("stand_in", (tree.town_a, Role.CHAIR))  # the same role, a level up
    stand_in.first_name = "代理人"
    stand_in.save()
    today = timezone.localdate()
    delegation_create(principal=tree.chair, substitute=stand_in, starts_on=today, ends_on=today, actor=tree.chair)
    decide(decision="approve", case=n, actor=fresh_user(stand_in))
    client.force_login(tree.admin_d)
    html = client.get(n.get_absolute_url()).content.decode()
    assert "代理人" in html and "chair_a1" in html  # the substitute, for the chair


def test_inbox_marks_a_step_the_reviewer_must_not_take(client, tree, make_nomination):
    """A reviewer who belongs to the nominating unit sees the case marked as
    recused, without a bulk checkbox; another reviewer sees it plainly."""
    from django.urls import reverse

    from workflows.steps.decisions import decide
    from tests.conftest import make_user as _make_user
    from awards.roles import Role as _Role

    insider = _make_user("insider", (tree.town_a, _Role.REVIEWER), (tree.union_a1, _Role.SUBMITTER))
    nomination = make_nomination()
    decide(decision="approve", case=nomination, actor=tree.chair)

    client.force_login(insider)
    page = client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert str(nomination) in page and "Recused" in page
    assert f'value="{nomination.pk}:' not in page

    client.force_login(tree.reviewer_a)
    page = client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert str(nomination) in page and "Recused" not in page
    assert f'value="{nomination.pk}:' in page


def test_the_inboxes_say_who_holds_what_during_a_delegation(tree, make_nomination, client):
    """The substitute's row says for whom; the principal's own inbox says
    who holds their tasks while they are away; both rows name the
    nominating union and the kind, not the reviewer's own organisation."""
    from django.urls import reverse

    n = confirmed(tree, make_nomination)
    today = timezone.localdate()
    delegation_create(principal=tree.reviewer_a, substitute=tree.reviewer_d, starts_on=today,
                      ends_on=today + datetime.timedelta(days=3), actor=tree.reviewer_a)
    client.force_login(tree.reviewer_d)
    page = client.get(reverse("inbox"))
    row = next(r for g in page.context["groups"] for r in g["rows"] if r["case"] == n)
    assert row["held_for"] == tree.reviewer_a and row["organisation"] == n.organisation
    assert "五一劳动奖" in row["kind"]
    assert f"代{tree.reviewer_a.username}" in page.content.decode()

    client.force_login(tree.reviewer_a)
    page = client.get(reverse("inbox"))
    row = next(r for g in page.context["groups"] for r in g["rows"] if r["case"] == n)
    assert row["held_for"] is None and row["substitutes"] == tree.reviewer_d.username
    assert f"{tree.reviewer_d.username} 代办中" in page.content.decode()
    assert n.organisation.name in page.content.decode()
