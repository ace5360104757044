"""Bulk decisions: each case through the same service, with the version its
reviewer saw; a case that changed meanwhile is reported, not forced."""

import pytest

from workflows.steps.decisions import decide
from awards.mayday.declaration import MAYDAY
from awards.mayday.models import Nomination
from awards.mayday.models import NominationState as S
from workflows.audit import history_of
from workflows.exceptions import RuleViolation
from workflows.models import Membership
from awards.roles import Role
from workflows.steps.bulk import decide_many


def nominations_bulk_decide(*, items, action, actor, comment="", queryset=None):
    """The inbox's bulk decision (the engine's decide_many), each case in the
    step its state is in; by default over every nomination."""
    return decide_many(process=MAYDAY, items=items, decision=action, actor=actor, comment=comment,
                       queryset=Nomination.objects.all() if queryset is None else queryset)


def confirmed_batch(tree, make_nomination, count=3):
    batch = []
    for i in range(count):
        n = make_nomination(nominee_name=f"候选人{i}", id_number=f"11010119900101{i:04d}")
        decide(decision="approve", case=n, actor=tree.chair)
        batch.append(n)
    return batch


def test_bulk_approve_reports_the_case_that_changed_meanwhile(tree, make_nomination):
    a, b, c = confirmed_batch(tree, make_nomination)
    seen = [(n.pk, n.version) for n in (a, b, c)]  # what reviewer_a's inbox showed
    # Meanwhile the other reviewer returns b.
    decide(decision="return", case=Nomination.objects.get(pk=b.pk), actor=tree.reviewer_a2, comment="补充材料")

    outcomes = nominations_bulk_decide(items=seen, action="approve", actor=tree.reviewer_a, comment="同意")
    assert [(o.pk, o.status) for o in outcomes] == [(a.pk, "done"), (b.pk, "changed"), (c.pk, "done")]
    assert "returned" in outcomes[1].message.lower() or str(S.RETURNED.label) in outcomes[1].message
    states = dict(Nomination.objects.values_list("pk", "state"))
    assert states == {a.pk: S.INTERMEDIATE_APPROVED, b.pk: S.RETURNED, c.pk: S.INTERMEDIATE_APPROVED}
    # The chair's confirmation is audited as itself; no reviewer approved b.
    assert [e.action for e in history_of(b)].count("awards.nomination.confirmed") == 1
    assert [e.action for e in history_of(b)].count("awards.nomination.approved") == 0
    for n in (a, c):
        entry = history_of(n).get(action="awards.nomination.approved", role=Role.REVIEWER)
        assert entry.actor == tree.reviewer_a and entry.comment == "同意"


def test_bulk_return_needs_a_comment_and_reports_refusals(tree, make_nomination):
    a, b = confirmed_batch(tree, make_nomination, count=2)
    items = [(a.pk, a.version), (b.pk, b.version)]
    with pytest.raises(RuleViolation):
        nominations_bulk_decide(items=items, action="return", actor=tree.reviewer_a)
    # Another branch's reviewer: not theirs.
    outcomes = nominations_bulk_decide(items=items, action="return", actor=tree.reviewer_b, comment="补充")
    assert {o.status for o in outcomes} == {"refused"}
    # A reviewer who belongs to the nominating unit: recused, refused and logged.
    Membership.objects.create(user=tree.reviewer_a2, organisation=tree.union_a1, role=Role.SUBMITTER)
    outcomes = nominations_bulk_decide(items=items, action="return", actor=tree.reviewer_a2, comment="补充")
    assert {o.status for o in outcomes} == {"refused"}
    assert all("workflows.recusal.refused" in [e.action for e in history_of(n)] for n in (a, b))

    visible = Nomination.objects.filter(pk=a.pk)
    outcomes = nominations_bulk_decide(items=items, action="return", actor=tree.reviewer_a, comment="补充",
                                       queryset=visible)
    assert [o.status for o in outcomes] == ["done", "missing"]
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.state == S.RETURNED and b.state == S.CONFIRMED


def test_bulk_from_the_inbox_pages(tree, make_nomination, client):
    a, b, c = confirmed_batch(tree, make_nomination)
    client.force_login(tree.reviewer_a)
    page = client.get("/inbox/")
    html = page.content.decode()
    assert page.status_code == 200
    for n in (a, b, c):
        assert f'value="{n.pk}:{n.version}"' in html
    assert client.get("/inbox/", {"q": "候选人1"}).context["page_obj"].paginator.count == 1
    step = page.context["steps"][0][0]
    assert client.get("/inbox/", {"step": step}).context["page_obj"].paginator.count == 3

    decide(decision="return", case=Nomination.objects.get(pk=b.pk), actor=tree.reviewer_a2, comment="补充")
    response = client.post("/awards/nominations/bulk/", {
        "items": [f"{n.pk}:{n.version}" for n in (a, b, c)], "action": "approve", "comment": "同意",
    })
    assert response.status_code == 200
    assert [o.status for o in response.context["outcomes"]] == ["done", "changed", "done"]
    assert Nomination.objects.get(pk=b.pk).state == S.RETURNED
    assert Nomination.objects.get(pk=c.pk).state == S.INTERMEDIATE_APPROVED

    assert client.post("/awards/nominations/bulk/", {"action": "approve"}).status_code == 400
    response = client.post("/awards/nominations/bulk/", {"items": ["x"], "action": "approve"})
    assert response.status_code == 400
    client.force_login(tree.reviewer_b)  # another branch: reported as not found, nothing decided
    response = client.post("/awards/nominations/bulk/", {"items": [f"{b.pk}:{b.version}"], "action": "approve"})
    assert [o.status for o in response.context["outcomes"]] == ["missing"]


def test_bulk_refuses_a_second_level_by_the_same_person(tree, make_nomination):
    from workflows.steps.assignment import task_reassign
    from workflows.steps.tasks import open_tasks

    a, b = confirmed_batch(tree, make_nomination, count=2)
    # reviewer_d took town A's review of `a` in hand, then bulk-approves at the district.
    task_reassign(task=open_tasks(a).get(), to_user=tree.reviewer_d, actor=tree.admin_d, reason="集中审核")
    decide(decision="approve", case=a, actor=tree.reviewer_d)
    decide(decision="approve", case=b, actor=tree.reviewer_a)
    outcomes = nominations_bulk_decide(items=[(a.pk, a.version), (b.pk, b.version)], action="approve",
                                       actor=tree.reviewer_d, comment="同意")
    assert [o.status for o in outcomes] == ["refused", "done"]
    assert Nomination.objects.get(pk=a.pk).state == S.INTERMEDIATE_APPROVED
    assert "workflows.four_eyes.refused" in [e.action for e in history_of(a)]


class ServerKilled(BaseException):
    """Stands for the process dying mid-request (not an error the code handles)."""


def test_a_bulk_run_cut_off_midway_says_which_cases_went_through(tree, make_nomination, client, monkeypatch):
    import datetime

    from django.utils import timezone

    from workflows.models import BulkItemStatus, BulkRun
    from workflows.steps import bulk

    a, b, c = confirmed_batch(tree, make_nomination)
    real, calls = bulk.decide, []

    def dies_at_the_second_case(**kwargs):
        calls.append(kwargs["case"].pk)
        if len(calls) == 2:
            raise ServerKilled
        return real(**kwargs)

    monkeypatch.setattr(bulk, "decide", dies_at_the_second_case)
    with pytest.raises(ServerKilled):
        nominations_bulk_decide(items=[(n.pk, n.version) for n in (a, b, c)], action="approve",
                                actor=tree.reviewer_a, comment="同意")
    monkeypatch.undo()
    states = dict(Nomination.objects.values_list("pk", "state"))
    assert states == {a.pk: S.INTERMEDIATE_APPROVED, b.pk: S.CONFIRMED, c.pk: S.CONFIRMED}
    run = BulkRun.objects.get()
    assert run.finished is None
    # Each case's outcome committed with its decision.
    assert list(run.items.values_list("object_id", "status")) == [
        (a.pk, BulkItemStatus.DONE), (b.pk, BulkItemStatus.PENDING), (c.pk, BulkItemStatus.PENDING)
    ]

    client.force_login(tree.reviewer_a)
    assert "bulk-interrupted" not in client.get("/inbox/").content.decode()  # may still be running
    BulkRun.objects.filter(pk=run.pk).update(updated=timezone.now() - datetime.timedelta(minutes=2))
    html = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "was cut off before it finished" in html
    banner = html[html.index("bulk-interrupted"):html.index("</form>", html.index("bulk-interrupted"))]
    went, rest = banner.split("Not decided (2)")
    assert "Went through (1)" in went and str(a) in went and str(b) not in went and str(c) not in went
    assert str(b) in rest and str(c) in rest and str(a) not in rest

    # Another user neither sees nor dismisses it.
    client.force_login(tree.reviewer_a2)
    assert "bulk-interrupted" not in client.get("/inbox/").content.decode()
    assert client.post(f"/inbox/bulk/{run.pk}/dismiss/").status_code == 404
    client.force_login(tree.reviewer_a)
    assert client.post(f"/inbox/bulk/{run.pk}/dismiss/").status_code == 302
    assert "bulk-interrupted" not in client.get("/inbox/").content.decode()


def test_a_finished_bulk_run_leaves_no_banner(tree, make_nomination, client):
    import datetime

    from django.utils import timezone

    from workflows.models import BulkRun

    a, b = confirmed_batch(tree, make_nomination, count=2)
    nominations_bulk_decide(items=[(n.pk, n.version) for n in (a, b)], action="approve", actor=tree.reviewer_a)
    run = BulkRun.objects.get()
    assert run.finished is not None and set(run.items.values_list("status", flat=True)) == {"done"}
    BulkRun.objects.filter(pk=run.pk).update(updated=timezone.now() - datetime.timedelta(minutes=2))
    client.force_login(tree.reviewer_a)
    assert "bulk-interrupted" not in client.get("/inbox/").content.decode()
