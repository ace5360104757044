"""Bulk decisions on the toy's review step (a bulk step): each case goes
through the one decision service with the version its reviewer saw, and
is reported on its own (done, changed, refused, missing); the run is
recorded as it goes, so one cut off mid-way says which cases went through.

Ported from tests/awards/test_bulk.py (May Day nominations), which goes
with May Day; docs/mayday-as-kinds.md §4.3 item 5 maps each test."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import make_org, make_user
from tests.engine.toy.declaration import TOY
from tests.engine.toy.models import ToyCase
from tests.engine.toy.models import ToyState as S
from workflows.audit import history_of
from workflows.exceptions import RuleViolation
from workflows.models import BulkItemStatus, BulkRun, OrgKind
from workflows.steps.bulk import decide_many
from workflows.steps.decisions import decide

REVIEW_KEY = "tests.engine.toy.flows.ToyFlow.review"


def bulk(*, items, action, actor, comment="", queryset=None):
    """The inbox's bulk decision, each case in the step its state is in;
    by default over every toy case."""
    return decide_many(process=TOY, items=items, decision=action, actor=actor, comment=comment,
                       queryset=ToyCase.objects.all() if queryset is None else queryset)


def batch(journey, count=3):
    return [journey.submitted(title=f"申请{i}") for i in range(count)]


def seen(cases):
    return [(c.pk, c.version) for c in cases]


def test_bulk_approve_audits_each_done_case_and_leaves_the_changed_one(people, journey):
    a, b, c = batch(journey)
    items = seen((a, b, c))  # what the reviewer's inbox showed
    colleague = make_user("reviewer2", (people.town, "reviewer"))
    decide(case=ToyCase.objects.get(pk=b.pk), actor=colleague, decision="return", comment="补充材料")

    outcomes = bulk(items=items, action="approve", actor=people.reviewer, comment="同意")

    assert [(o.pk, o.status) for o in outcomes] == [(a.pk, "done"), (b.pk, "changed"), (c.pk, "done")]
    assert str(S.RETURNED.label) in outcomes[1].message
    assert dict(ToyCase.objects.values_list("pk", "state")) == {
        a.pk: S.INSPECTION, b.pk: S.RETURNED, c.pk: S.INSPECTION}
    # Nobody approved b; each done case names the bulk's actor and comment.
    assert not history_of(b).filter(decision="approve").exists()
    for case in (a, c):
        entry = history_of(case).get(decision="approve")
        assert (entry.actor, entry.comment, entry.role, entry.organisation) == (
            people.reviewer, "同意", "reviewer", people.town)


def test_a_bulk_return_needs_a_comment_and_each_refusal_is_reported(people, journey):
    a, b = batch(journey, count=2)
    items = seen((a, b))
    with pytest.raises(RuleViolation):
        bulk(items=items, action="return", actor=people.reviewer, comment="  ")
    assert not BulkRun.objects.exists()  # refused before any run starts

    # Another branch's reviewer: not theirs.
    town_b = make_org("乙镇工会", "town-b", OrgKind.INTERMEDIATE, people.district)
    reviewer_b = make_user("reviewer_b", (town_b, "reviewer"))
    assert {o.status for o in bulk(items=items, action="return", actor=reviewer_b, comment="补充")} == {"refused"}

    # A colleague who belongs to the applying unit: recused, refused and logged.
    insider = make_user("insider", (people.town, "reviewer"), (people.unit, "submitter"))
    assert {o.status for o in bulk(items=items, action="return", actor=insider, comment="补充")} == {"refused"}
    for case in (a, b):
        refusal = history_of(case).get(action="workflows.recusal.refused")
        assert refusal.actor == insider

    # Outside what the reviewer may see: reported missing, not decided.
    outcomes = bulk(items=items, action="return", actor=people.reviewer, comment="补充",
                    queryset=ToyCase.objects.filter(pk=a.pk))
    assert [o.status for o in outcomes] == ["done", "missing"]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, b.state) == (S.RETURNED, S.SUBMITTED)


def test_a_final_or_unknown_decision_is_not_taken_in_bulk(people, journey):
    (a,) = batch(journey, count=1)
    for action in ("reject", "accept", "nonsense"):
        with pytest.raises(RuleViolation):
            bulk(items=seen((a,)), action=action, actor=people.reviewer, comment="不符合")
    a.refresh_from_db()
    assert a.state == S.SUBMITTED and not BulkRun.objects.exists()


def test_bulk_refuses_a_second_level_by_the_same_person(people, journey):
    """Four eyes holds in bulk: who decided the district's level of a case
    is refused its town review in the next round, the others go through."""
    double = make_user("double", (people.town, "reviewer"), (people.district, "district_admin"))
    a = journey.notice_passed(title="甲")
    decide(case=a, actor=double, decision="return", comment="补充")
    decide(case=a, actor=people.submitter, decision="resubmit")
    b = journey.submitted(title="乙")

    outcomes = bulk(items=seen((a, b)), action="approve", actor=double, comment="同意")

    assert [o.status for o in outcomes] == ["refused", "done"]
    a.refresh_from_db()
    assert a.state == S.SUBMITTED
    assert history_of(a).filter(action="workflows.four_eyes.refused", actor=double).count() == 1


def test_the_inbox_offers_each_case_with_the_version_seen_and_refuses_a_bad_post(people, journey, client):
    a, b, c = batch(journey)
    client.force_login(people.reviewer)
    html = client.get("/inbox/").content.decode()
    for case in (a, b, c):
        assert f'value="{case.pk}:{case.version}"' in html

    assert client.post("/inbox/bulk/", {"step": REVIEW_KEY, "action": "approve"}).status_code == 400
    assert client.post("/inbox/bulk/", {"step": REVIEW_KEY, "action": "approve", "items": ["x"]}).status_code == 400
    # A return without its comment: the page again (400), nothing decided.
    response = client.post("/inbox/bulk/", {"step": REVIEW_KEY, "action": "return", "items": [f"{a.pk}:{a.version}"]})
    assert response.status_code == 400 and response.context["form"].errors["comment"]
    # A step that is no longer there.
    response = client.post("/inbox/bulk/", {"step": "tests.engine.toy.flows.ToyFlow.gone", "action": "approve",
                                            "items": [f"{a.pk}:{a.version}"]})
    assert response.status_code == 400
    assert set(ToyCase.objects.values_list("state", flat=True)) == {S.SUBMITTED}


class ServerKilled(BaseException):
    """Stands for the process dying mid-request (not an error the code handles)."""


def test_a_bulk_run_cut_off_midway_says_which_cases_went_through(people, journey, client, monkeypatch):
    from workflows.steps import bulk as bulk_module

    a, b, c = batch(journey)
    real, calls = bulk_module.decide, []

    def dies_at_the_second_case(**kwargs):
        calls.append(kwargs["case"].pk)
        if len(calls) == 2:
            raise ServerKilled
        return real(**kwargs)

    monkeypatch.setattr(bulk_module, "decide", dies_at_the_second_case)
    with pytest.raises(ServerKilled):
        bulk(items=seen((a, b, c)), action="approve", actor=people.reviewer, comment="同意")
    monkeypatch.undo()

    assert dict(ToyCase.objects.values_list("pk", "state")) == {
        a.pk: S.INSPECTION, b.pk: S.SUBMITTED, c.pk: S.SUBMITTED}
    run = BulkRun.objects.get()
    assert run.finished is None and run.process == "toy" and run.decision == "approve"
    # Each case's outcome committed with its decision.
    assert list(run.items.order_by("position").values_list("object_id", "status")) == [
        (a.pk, BulkItemStatus.DONE), (b.pk, BulkItemStatus.PENDING), (c.pk, BulkItemStatus.PENDING)]

    client.force_login(people.reviewer)
    assert "bulk-interrupted" not in client.get("/inbox/").content.decode()  # may still be running
    BulkRun.objects.filter(pk=run.pk).update(updated=timezone.now() - datetime.timedelta(minutes=2))
    html = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "was cut off before it finished" in html
    start = html.index("bulk-interrupted")
    banner = html[start:html.index("</form>", start)]
    went, rest = banner.split("Not decided (2)")
    assert "Went through (1)" in went and a.title in went and b.title not in went and c.title not in went
    assert b.title in rest and c.title in rest and a.title not in rest

    # Another user neither sees nor dismisses it.
    colleague = make_user("reviewer2", (people.town, "reviewer"))
    client.force_login(colleague)
    assert "bulk-interrupted" not in client.get("/inbox/").content.decode()
    assert client.post(f"/inbox/bulk/{run.pk}/dismiss/").status_code == 404
    client.force_login(people.reviewer)
    assert client.post(f"/inbox/bulk/{run.pk}/dismiss/").status_code == 302
    assert "bulk-interrupted" not in client.get("/inbox/").content.decode()
    assert BulkRun.objects.get().acknowledged


def test_a_finished_bulk_run_leaves_no_banner(people, journey, client):
    a, b = batch(journey, count=2)
    bulk(items=seen((a, b)), action="approve", actor=people.reviewer)
    run = BulkRun.objects.get()
    assert run.finished is not None
    assert set(run.items.values_list("status", flat=True)) == {BulkItemStatus.DONE}
    BulkRun.objects.filter(pk=run.pk).update(updated=timezone.now() - datetime.timedelta(minutes=2))
    client.force_login(people.reviewer)
    assert "bulk-interrupted" not in client.get("/inbox/").content.decode()
