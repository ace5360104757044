"""History aliases: a case carried from a retired process's row (the toy's
ToyLegacyCase) reads that row's audit entries as part of its history,
since the log is never rewritten. Every reader of the case's history sees
them, in time order with the case's own, under their own labels; the
readers that judge (four eyes, the process map's path, the printed
opinions) read them through the declaration's code and state maps."""

import datetime

import pytest
from freezegun import freeze_time
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.engine.test_api_defaults import bearer
from tests.engine.test_process_map import boxes, classes, groups, render_to_string, svg_of
from tests.engine.toy.models import ToyCase, ToyLegacyCase
from tests.engine.toy.models import ToyState as S
from workflows.audit import history_of, log_action
from workflows.documents.opinions import level_opinions
from workflows.exceptions import NotAllowed
from workflows.history_aliases import aliases_of
from workflows.models import AuditEntry, OrgKind
from workflows.organisations.recusal import barred_reason
from workflows.organisations.recusal_facts import LIVE, PageFacts
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_tasks


def _legacy(people, *, reviewer=None, at=None):
    """A retired process's case and its entries, in its own codes and
    states: sent in, sent back, sent again, passed by `reviewer` at the
    town (a review level in the toy's terms)."""
    old = ToyLegacyCase.objects.create(title="旧申请")
    start = at or timezone.now() - datetime.timedelta(days=30)
    reviewer = reviewer or people.reviewer
    moves = [
        ("toy.legacy.sent", people.submitter, people.unit, "submitter", "new", "sent", "send", ""),
        ("toy.legacy.sent_back", reviewer, people.town, "reviewer", "sent", "back", "send_back", "请补材料"),
        ("toy.legacy.sent", people.submitter, people.unit, "submitter", "back", "sent", "send", ""),
        ("toy.legacy.passed", reviewer, people.town, "reviewer", "sent", "checked", "pass", "同意上报"),
    ]
    for n, (action, actor, org, role, source, target, decision, comment) in enumerate(moves):
        with freeze_time(start + datetime.timedelta(hours=n)):  # the log is append-only: written then
            log_action(old, action, actor=actor, organisation=org, role=role, from_state=source,
                       to_state=target, decision=decision, comment=comment)
    return old


def _carried(journey, old, state=S.INSPECTION):
    """A toy case carried from `old`, in the state the carry gave it (no
    flow: what the readers read is the history)."""
    case = journey.new()
    ToyCase.objects.filter(pk=case.pk).update(carried_from=old.pk, state=state)
    case.refresh_from_db()
    return case


def test_the_aliases_are_resolved_by_natural_key(people, journey):
    old = _legacy(people)
    case = _carried(journey, old)
    [(ct, object_id)] = aliases_of(case)
    assert (ct.app_label, ct.model, object_id) == ("toy", "toylegacycase", old.pk)
    assert aliases_of(journey.new()) == []


def test_the_case_page_shows_the_aliass_entries_in_time_order_with_its_own(people, journey, client):
    old = _legacy(people)
    case = journey.in_inspection()
    ToyCase.objects.filter(pk=case.pk).update(carried_from=old.pk)
    # One old entry written between the case's own two: the history is one
    # list in time order, not the alias's block then the case's.
    own = list(history_of(case))
    with freeze_time(own[0].created + (own[1].created - own[0].created) / 2):
        log_action(old, "toy.legacy.granted", actor=people.admin, organisation=people.district,
                   role="district_admin", from_state="ripe", to_state="ripe", decision="grant")

    client.force_login(people.reviewer)
    with translation.override("en"):
        page = client.get(reverse("toy_case", args=[case.pk]))
    assert page.status_code == 200
    actions = [e.action for e in page.context["history"]]
    assert actions == ["toy.legacy.sent", "toy.legacy.sent_back", "toy.legacy.sent", "toy.legacy.passed",
                       "toy.case.submit", "toy.legacy.granted", "toy.case.approve"]
    html = page.content.decode()
    # Under their own labels, as registered, and their comments.
    assert "Sent back (old process)" in html and "请补材料" in html and "Granted (old process)" in html
    assert html.index("Passed (old process)") < html.index("Granted (old process)")


def test_the_api_history_includes_the_aliass_entries(people, journey):
    old = _legacy(people)
    case = _carried(journey, old)
    with translation.override("en"):
        history = bearer(people.reviewer).get(reverse("api:case", args=["toy", case.pk])).json()["history"]
    assert [h["action"] for h in history] == [
        "toy.legacy.sent", "toy.legacy.sent_back", "toy.legacy.sent", "toy.legacy.passed"]
    passed = history[-1]
    # As written (code, decision, states), labelled by what the states mean
    # to the toy (the old "checked" is its inspection).
    assert (passed["action_label"], passed["decision"], passed["from_state"], passed["to_state"]) == (
        "Passed (old process)", "pass", "sent", "checked")
    assert (passed["from_label"], passed["to_label"]) == ("submitted", "inspection")


def _decided_under_the_alias_then_at_the_district(people, journey, double):
    old = _legacy(people, reviewer=double)
    case = journey.notice_passed()
    ToyCase.objects.filter(pk=case.pk).update(carried_from=old.pk)
    case.refresh_from_db()
    return case


def test_four_eyes_counts_a_level_decided_under_the_alias(people, journey):
    from tests.conftest import make_user

    double = make_user("double", (people.town, "reviewer"), (people.district, "district_admin"))
    case = _decided_under_the_alias_then_at_the_district(people, journey, double)
    task = open_tasks(case).get()

    assert barred_reason(double, case, task, LIVE)
    # The inbox's facts, read for the page at once, say the same.
    assert barred_reason(double, case, task, PageFacts(double, [case]))
    with pytest.raises(NotAllowed):
        decide(case=case, actor=double, decision="accept")
    case.refresh_from_db()
    assert case.state == S.NOTICE_PASSED
    refusal = history_of(case).get(action="workflows.four_eyes.refused")
    # The first level double decided under the alias: their return.
    assert refusal.data["earlier"] == AuditEntry.objects.get(action="toy.legacy.sent_back").pk
    decide(case=case, actor=people.admin, decision="accept")
    assert case.state == S.ACCEPTED


def test_four_eyes_reads_the_aliass_states_as_the_cases_own(people, journey):
    """An old decision at the same level (its state mapped onto the case's
    current one) is a second round, not a second level; an old entry that
    decided nothing (sent in) is no level at all."""
    case = journey.notice_passed()
    old = ToyLegacyCase.objects.create(title="旧申请")
    log_action(old, "toy.legacy.granted", actor=people.admin, organisation=people.district, role="district_admin",
               from_state="ripe", to_state="ripe", decision="grant")
    log_action(old, "toy.legacy.sent", actor=people.admin, organisation=people.unit, role="submitter",
               from_state="new", to_state="sent", decision="send")
    ToyCase.objects.filter(pk=case.pk).update(carried_from=old.pk)
    case.refresh_from_db()
    task = open_tasks(case).get()
    assert [e.action for e in LIVE.level_entries(case) if e.content_type_id != task.process.artifact_content_type_id
            ] == ["toy.legacy.granted"]
    assert barred_reason(people.admin, case, task, LIVE) is None
    assert barred_reason(people.admin, case, task, PageFacts(people.admin, [case])) is None
    decide(case=case, actor=people.admin, decision="accept")
    assert case.state == S.ACCEPTED


def test_the_inbox_marks_a_case_barred_by_its_alias_and_its_queries_stay_flat(people, journey, client):
    from tests.conftest import make_user

    double = make_user("double", (people.town, "reviewer"), (people.district, "district_admin"))
    client.force_login(double)
    counts = []
    for aliased in (False, True):
        for size in (2, 5):
            while ToyCase.objects.filter(state=S.NOTICE_PASSED, carried_from__isnull=not aliased).count() < size:
                if aliased:
                    _decided_under_the_alias_then_at_the_district(people, journey, double)
                else:
                    journey.notice_passed()
            with CaptureQueriesContext(connection) as queries:
                page = client.get("/inbox/")
            assert page.status_code == 200
            counts.append(len(queries))
            rows = page.context["page_obj"].object_list
            barred = {row["case"].pk for row in rows if row["barred"]}
            assert barred == set(ToyCase.objects.filter(carried_from__isnull=False).values_list("pk", flat=True))
    assert len(set(counts)) == 1, counts


def test_the_process_map_marks_the_path_the_aliass_entries_took(people, journey):
    case = _carried(journey, _legacy(people))
    svg = svg_of(render_to_string("workflows/process_map.html", {"case": case}))
    drawn = boxes(svg)
    visited = {s for s, g in drawn.items() if "pm-visited" in classes(g)}
    assert visited == {S.DRAFT, S.SUBMITTED, S.RETURNED, S.INSPECTION}
    assert drawn[S.SUBMITTED].get("data-visits") == "2"
    taken = {(g.get("data-source"), g.get("data-target")) for g in groups(svg, "pm-move") if "pm-taken" in classes(g)}
    assert taken == {(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.RETURNED), (S.RETURNED, S.SUBMITTED),
                     (S.SUBMITTED, S.INSPECTION)}


def test_the_level_opinions_include_the_aliass_decisions(people, journey):
    case = _carried(journey, _legacy(people))
    # The process prints its own codes; the alias's decision maps onto one.
    blocks = level_opinions(case, decisions={"toy.case.approve": "同意"},
                            levels=[(OrgKind.INTERMEDIATE, "镇工会意见"), (OrgKind.DISTRICT, "区总工会意见")])
    passed = AuditEntry.objects.get(action="toy.legacy.passed")
    assert (blocks[0]["decision"], blocks[0]["opinion"], blocks[0]["reviewer"], blocks[0]["organisation"]) == (
        "同意", "同意上报", passed.actor_name, people.town.name)
    assert blocks[1]["opinion"] == ""


def test_the_return_a_revision_answers_may_be_the_aliass(people, journey):
    from workflows.cases.revisions import last_entry

    case = _carried(journey, _legacy(people), state=S.RETURNED)
    returned = last_entry(case, "toy.case.return")
    assert returned is not None and (returned.action, returned.comment) == ("toy.legacy.sent_back", "请补材料")


def test_the_case_page_query_count_is_flat_with_and_without_aliases(people, journey, client):
    """Old entries on the page are read in the history's one query: the
    page asks as many queries with an alias as without, however many
    entries it has."""
    client.force_login(people.reviewer)
    bigger = _legacy(people)
    for n in range(6):
        log_action(bigger, "toy.legacy.sent", actor=people.submitter, organisation=people.unit, role="submitter",
                   from_state="new", to_state="sent", comment=f"第{n}次")
    cases = [journey.in_inspection() for _n in range(3)]
    for case, old in zip(cases[1:], (_legacy(people), bigger)):
        ToyCase.objects.filter(pk=case.pk).update(carried_from=old.pk)
    counts, shown = [], []
    for case in cases:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("toy_case", args=[case.pk]))
        assert page.status_code == 200
        counts.append(len(queries))
        shown.append(len(page.context["history"]))
    assert shown == [2, 6, 12]
    assert len(set(counts)) == 1, counts
