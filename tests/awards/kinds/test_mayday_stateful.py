"""Random sequences of actions by random users on the cases of a May Day
campaign of kinds (the three starters, with the departments' sign-offs)
never reach a state the rules forbid, and the audit log replays to each
case's current state.

Forbidden: a grant without a passed public notice, or while an objection
is open; more places held or granted than a town's places of that kind;
one person deciding two levels of the same case (four eyes); two active
cases of one person in the campaign; open tasks that do not match the
case's state. Every refusal (NotAllowed, AlreadyHandled, RuleViolation, a
ValidationError of a form) is an allowed outcome; anything else fails
the test.

Ported from tests/awards/test_stateful.py (May Day's own process)."""

import datetime
import functools

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, \
    run_state_machine_as_test

from awards.kinds import cases as case_services
from awards.kinds.declaration import KIND_CASE_PROCESS
from awards.kinds.models import KindCase
from awards.kinds.models import KindCaseState as S
from awards.kinds.notices import do_publish_notice
from awards.kinds.quotas import HOLDING_STATES
from tests.conftest import GROUP_ANSWERS, MEDAL_ANSWERS, valid_id_number
from workflows.audit import history_of
from workflows.dataforms.definition import initial_answers
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import (AuditEntry, NoticeEntry, NoticeOutcome, NoticeStatus, Objection, ObjectionStatus,
                              PublicNotice, Quota, case_q)
from workflows.notices.services import close_notice, entry_of, lodge_objection, record_finding
from workflows.organisations.recusal import eligible_actors
from workflows.steps.decisions import decide
from workflows.steps.integrity import task_state_problems
from workflows.steps.tasks import open_tasks

LEVEL_DECISIONS = sorted({d.code for step in KIND_CASE_PROCESS.steps if step.counts_as_level
                          for d in step.decisions})

REFUSALS = (NotAllowed, AlreadyHandled, RuleViolation, ValidationError)
# Five people, born on the day their ID numbers say.
PEOPLE = [valid_id_number(f"11010119800101{n:03d}") for n in range(1, 6)]
# Each decision with its comment (a return, a refusal and a refusing outcome need one).
COMMENTS = {"confirm": "", "forward": "同意", "approve": "同意", "return": "补充", "reject": "不符合",
            "outcome_1": "", "outcome_2": "名额所限", "agree": "", "refuse": "欠税"}
DECISIONS = [*COMMENTS, "withdraw", "resubmit"]
ACTIVE = set(HOLDING_STATES)
# How whoever may act moves each case on: mostly towards a grant.
MOVES = st.sampled_from(["grant", "grant", "grant", "refuse", "return"])

REACHED = set()


def _user(username):
    # A fresh object each time: memberships are cached per user object.
    return get_user_model().objects.get(username=username)


def replay_all():
    """Fold each case's audit log from a draft: {pk: state}, with None for
    a case whose log has a move not starting where the previous ended."""
    states = {}
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(KindCase)).exclude(
        to_state="")
    for pk, from_state, to_state in entries.order_by("object_id", "created", "pk").values_list(
            "object_id", "from_state", "to_state"):
        state = states.get(pk, S.DRAFT)
        states[pk] = to_state if state is not None and from_state == state else None
    return states


def resubmit(case, actor):
    """The union hands a returned case in again with its answers as they were."""
    fields = case.kind_version.definition["fields"]
    form = case_services.form_class(case)(initial_answers(fields, case.answers))
    if not form.is_valid():
        raise ValidationError(str(form.errors))
    case_services.do_resubmit_case(case=case, form=form, actor=actor, comment="补充了材料")


def test_random_actions_never_reach_a_forbidden_state(tree, departments, open_mayday, monkeypatch):
    # No PDF rendering here: the certificate rows are enough (and on-commit
    # callbacks never run inside the test's transaction anyway).
    monkeypatch.setattr("workflows.background.outbox.hand_over", lambda item_id: None)
    campaign = open_mayday(signoffs=True, places=2)
    versions = {v.kind.code: v for v in campaign.offered_versions}
    usernames = ["submitter_a1", "chair_a1", "reviewer_a", "reviewer_a_2", "reviewer_d", "admin_d",
                 "submitter_b1", "chair_b1", "reviewer_b", "officer_tax", "officer_audit", "outsider"]
    orgs = {"submitter_a1": tree.union_a1, "submitter_b1": tree.union_b1}
    places = [(q.category, q.organisation.path, q.count)
              for q in Quota.objects.filter(scope_id=campaign.pk, parent__isnull=True).select_related("organisation")]
    assert len(places) == 6

    class MayDayKindsMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            # Each example runs in a savepoint rolled back at teardown.
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.pks = []

        def teardown(self):
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        @initialize()
        def start(self):
            pass

        def _case(self, index):
            if not self.pks:
                return None
            return KindCase.objects.get(pk=self.pks[index % len(self.pks)])

        @precondition(lambda self: len(self.pks) < 5)  # a few cases, taken far
        @rule(submitter=st.sampled_from(["submitter_a1", "submitter_b1"]), person=st.integers(0, len(PEOPLE) - 1),
              unit_award=st.booleans())
        def nominate(self, submitter, person, unit_award):
            if unit_award:
                version, name = versions["mayday-unit"], f"单位{person}"
                data = dict(GROUP_ANSWERS)
            else:
                version, name = versions["mayday-individual"], f"候选人{person}"
                data = {**MEDAL_ANSWERS, "id_number": PEOPLE[person], "birth_date": "1980-01-01"}
            if submitter == "submitter_b1":
                data["sector"] = "institution"
            form = case_services.form_class(version)(data)
            assert form.is_valid(), form.errors
            actor = _user(submitter)
            try:
                case = case_services.do_create_case(campaign=campaign, organisation=orgs[submitter], name=name,
                                                    form=form, actor=actor, version=version)
                self.pks.append(case.pk)
                case_services.do_submit_case(case=case, actor=actor)
            except REFUSALS:
                pass

        @rule(index=st.integers(0, 20), username=st.sampled_from(usernames), decision=st.sampled_from(DECISIONS))
        def take(self, index, username, decision):
            case = self._case(index)
            if case is None:
                return
            actor = _user(username)
            call = {
                **{code: functools.partial(decide, case=case, actor=actor, decision=code, comment=comment)
                   for code, comment in COMMENTS.items()},
                "withdraw": lambda: case_services.do_withdraw_case(case=case, actor=actor),
                "resubmit": lambda: resubmit(case, actor),
            }[decision]
            try:
                call()
            except REFUSALS:
                pass

        def _advance(self, case, move):
            """Whoever may act takes the case one step on: granting,
            refusing (a department's refusal, a refusing outcome) or
            returning it (every review and the final decision)."""
            try:
                if case.state == S.AWAITING_NOTICE:
                    do_publish_notice(campaign=campaign, actor=_user("admin_d"))
                    return
                if case.state == S.IN_NOTICE:
                    notice = entry_of(case).notice
                    close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
                    return
            except REFUSALS:
                return
            # Every department asked answers at once (a fan-out has a task each).
            for task in open_tasks(case).filter(flow_task_type="HUMAN"):
                actors = eligible_actors(task, case)
                if not actors:
                    continue
                actor = _user(actors[0].username)
                step = task.flow_task.name
                code = {"confirm": "confirm", "intermediate_review": "forward", "district_review": "approve",
                        "signoffs": "refuse" if move == "refuse" else "agree",
                        "decision": {"grant": "outcome_1", "refuse": "outcome_2"}.get(move, "return")}.get(step)
                if move == "return" and step not in ("signoffs", "revise"):
                    code = "return"
                try:
                    if step == "revise":
                        resubmit(case, actor)
                    elif code:
                        decide(case=KindCase.objects.get(pk=case.pk), actor=actor, decision=code,
                               comment=COMMENTS[code])
                except REFUSALS:
                    pass

        # Whoever may act takes every case one step on. Without this,
        # random users rarely get a case as far as the decision; it is
        # listed three times to be drawn three times as often.
        @rule(move=MOVES)
        def advance_all(self, move):
            for pk in self.pks:
                self._advance(KindCase.objects.get(pk=pk), move)

        @rule(move=MOVES)
        def advance_all_again(self, move):
            self.advance_all(move)

        @rule(move=MOVES)
        def advance_all_once_more(self, move):
            self.advance_all(move)

        @rule(username=st.sampled_from(["admin_d", "reviewer_d", "outsider"]))
        def open_notice(self, username):
            try:
                do_publish_notice(campaign=campaign, actor=_user(username))
            except REFUSALS:
                pass

        @rule(index=st.integers(0, 20))
        def object(self, index):
            case = self._case(index)
            entry = case and entry_of(case)
            if not entry:
                return
            try:
                lodge_objection(entry=entry, objector_kind="person", person_name="王五", contact="139", text="不实")
            except REFUSALS:
                pass

        @rule(index=st.integers(0, 20), username=st.sampled_from(["admin_d", "reviewer_d"]), upheld=st.booleans())
        def find(self, index, username, upheld):
            objections = list(Objection.objects.filter(status=ObjectionStatus.OPEN).order_by("pk"))
            if not objections:
                return
            try:
                record_finding(objection=objections[index % len(objections)], actor=_user(username),
                               upheld=upheld, finding="核查结论")
            except REFUSALS:
                pass

        @rule(after_window=st.booleans(), by_admin=st.booleans())
        def close(self, after_window, by_admin):
            notice = PublicNotice.objects.filter(status=NoticeStatus.OPEN).order_by("pk").first()
            if notice is None:
                return
            today = notice.closes_on + datetime.timedelta(days=1 if after_window else 0)
            try:
                close_notice(notice=notice, actor=_user("admin_d") if by_admin else None, today=today)
            except REFUSALS:
                pass

        @invariant()
        def open_tasks_match_the_state(self):
            problems = [p for case in KindCase.objects.all() for p in task_state_problems(case)]
            assert problems == []

        @invariant()
        def no_grant_without_a_passed_notice_or_with_an_open_objection(self):
            for case in KindCase.objects.filter(state__in=[S.GRANTED, S.DECIDING]):
                entries = NoticeEntry.objects.filter(case_q(case))
                assert entries.filter(outcome__in=[NoticeOutcome.NO_OBJECTION, NoticeOutcome.DISMISSED]).exists()
                assert not Objection.objects.filter(entry__in=entries, status=ObjectionStatus.OPEN).exists()
                assert "kinds.case.notice_passed" in [e.action for e in history_of(case)]

        @invariant()
        def no_more_places_held_or_granted_than_given(self):
            rows = list(KindCase.objects.values_list("kind_version__kind__code", "organisation__path", "state"))
            for kind, path, count in places:
                mine = [state for k, p, state in rows if k == kind and p.startswith(path)]
                assert sum(state in ACTIVE for state in mine) <= count
                assert sum(state == S.GRANTED for state in mine) <= count

        @invariant()
        def one_active_case_per_person(self):
            numbers = [answers.get("id_number") for answers in KindCase.objects.filter(
                state__in=ACTIVE, kind_version__kind__code="mayday-individual").values_list("answers", flat=True)]
            assert len(numbers) == len(set(numbers)), numbers

        @invariant()
        def nobody_decides_two_levels(self):
            steps = {}
            entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(KindCase),
                                                decision__in=LEVEL_DECISIONS)
            for pk, role, org, from_state, actor, principal in entries.values_list(
                    "object_id", "role", "organisation_id", "from_state", "actor_id", "on_behalf_of_id"):
                for person in {actor, principal} - {None}:
                    steps.setdefault((pk, person), set()).add((role, org, from_state))
            assert all(len(levels) == 1 for levels in steps.values()), steps

        @invariant()
        def audit_log_replays_to_the_current_state(self):
            states = dict(KindCase.objects.values_list("pk", "state"))
            replayed = replay_all()
            # A draft whose hand-in was refused has no move yet.
            assert set(replayed) <= set(states)
            assert {pk: replayed.get(pk, S.DRAFT) for pk in states} == states
            REACHED.update(states.values())

    run_state_machine_as_test(
        MayDayKindsMachine,
        settings=settings(
            max_examples=30, stateful_step_count=30, deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    # The sequences are derandomized (the same on every run and database),
    # and they do reach the far end of the route.
    assert {S.SIGNOFFS, S.IN_NOTICE, S.GRANTED, S.RETURNED} <= REACHED, REACHED
