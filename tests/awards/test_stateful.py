"""Random sequences of actions by random users on May Day nominations never
reach a state the rules forbid, and the audit log replays to each case's
current state.

Forbidden: an award without a passed public notice, an award while an
objection is open, more places taken than the quota gives, one person
deciding two levels of the same case (four eyes). Every refusal
(NotAllowed, AlreadyHandled, RuleViolation, a ValidationError of a form) is
an allowed outcome; anything else fails the test."""

import datetime
import functools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from awards.mayday import services
from workflows.steps.decisions import decide
from awards.mayday.models import ACTIVE_STATES, Nomination
from workflows.models import Quota
from awards.mayday.models import NominationState as S
from awards.mayday.notices import campaign_notice_open
from workflows.notices.services import close_notice, record_finding
from workflows.signoffs.answering import answer_signoff
from tests.conftest import INDIVIDUAL, make_org, make_user
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import AuditEntry, NoticeEntry, NoticeOutcome, NoticeStatus, Objection, ObjectionStatus, OrgKind, PublicNotice, case_q
from awards.mayday.models import Department
from awards.roles import Role
from workflows.steps.integrity import task_state_problems
from workflows.steps.tasks import open_tasks
from workflows.notices.services import entry_of, lodge_objection
from awards.mayday.declaration import MAYDAY
from workflows.organisations.recusal import eligible_actors

LEVEL_DECISIONS = sorted({d.code for step in MAYDAY.steps if step.counts_as_level for d in step.decisions})

REFUSALS = (NotAllowed, AlreadyHandled, RuleViolation, ValidationError)
PEOPLE = ["110101198001010011", "110101198001010022", "110101198001010033", "110101198001010044",
          "110101198001010055"]
# The reviews' decisions, each with a comment (an award needs none).
REVIEW_COMMENTS = {"approve": "同意", "return": "补充", "reject": "不符合", "award": "", "decline": "名额所限"}
DECISIONS = ["approve", "return", "reject", "award", "decline", "withdraw", "resubmit", "agree", "refuse"]


REACHED = set()


def _user(username):
    # A fresh object each time: memberships are cached per user object.
    return get_user_model().objects.get(username=username)


def replay_all():
    """Fold each nomination's audit log from a draft: {pk: state}, with None
    for a case whose log has a step not starting where the previous ended."""
    states = {}
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Nomination)).exclude(
        to_state=""
    )
    for pk, from_state, to_state in entries.order_by("object_id", "created", "pk").values_list(
        "object_id", "from_state", "to_state"
    ):
        state = states.get(pk, S.DRAFT)
        states[pk] = to_state if state is not None and from_state == state else None
    return states


@pytest.mark.django_db(transaction=False)
def test_random_actions_never_reach_a_forbidden_state(tree, campaign, monkeypatch):
    # No PDF rendering here: the certificate rows are enough (and on-commit
    # callbacks never run inside the test's transaction anyway).
    monkeypatch.setattr("workflows.background.outbox.hand_over", lambda item_id: None)
    Quota.objects.filter(awards_campaign=campaign, category="individual").update(count=2)
    tax = make_org("税务局", "dept-tax", OrgKind.DEPARTMENT, tree.district)
    Department.objects.create(organisation=tax, function="tax")
    make_user("officer_tax", (tax, Role.DEPARTMENT))
    usernames = [
        "submitter_a1", "chair_a1", "reviewer_a", "reviewer_a_2", "reviewer_d", "admin_d",
        "submitter_b1", "chair_b1", "reviewer_b", "officer_tax", "outsider",
    ]
    orgs = {"submitter_a1": tree.union_a1, "submitter_b1": tree.union_b1}

    quotas = [
        (q.category, q.organisation.path, q.count)
        for q in Quota.objects.filter(awards_campaign=campaign, parent__isnull=True).select_related("organisation")
    ]

    class MayDayMachine(RuleBasedStateMachine):
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

        def _nomination(self, index):
            if not self.pks:
                return None
            return Nomination.objects.get(pk=self.pks[index % len(self.pks)])

        @precondition(lambda self: len(self.pks) < 5)  # a few cases, taken far
        @rule(submitter=st.sampled_from(["submitter_a1", "submitter_b1"]), person=st.integers(0, len(PEOPLE) - 1),
              unit_award=st.booleans())
        def nominate(self, submitter, person, unit_award):
            data = {**INDIVIDUAL, "id_number": PEOPLE[person], "nominee_name": f"候选人{person}"}
            if unit_award:
                data.update(kind="unit", id_number="", nominee_name=f"单位{person}")
            if submitter == "submitter_b1":
                data["sector"] = "institution"
            nomination = Nomination(campaign=campaign, organisation=orgs[submitter], **data)
            try:
                services.nomination_save_draft(nomination=nomination, actor=_user(submitter))
                self.pks.append(nomination.pk)
                services.nomination_submit(nomination=nomination, actor=_user(submitter))
            except REFUSALS:
                pass

        @rule(index=st.integers(0, 20), username=st.sampled_from(usernames), decision=st.sampled_from(DECISIONS))
        def decide(self, index, username, decision):
            nomination = self._nomination(index)
            if nomination is None:
                return
            actor = _user(username)
            call = {
                **{code: functools.partial(decide, case=nomination, actor=actor, decision=code, comment=comment)
                   for code, comment in REVIEW_COMMENTS.items()},
                "withdraw": lambda: services.nomination_withdraw(nomination=nomination, actor=actor),
                "resubmit": lambda: decide(decision="resubmit", case=nomination, actor=actor),
                "agree": lambda: answer_signoff(role=Role.DEPARTMENT, case=nomination, actor=actor, agreed=True),
                "refuse": lambda: answer_signoff(role=Role.DEPARTMENT, case=nomination, actor=actor, agreed=False,
                                                 comment="欠税"),
            }[decision]
            try:
                call()
            except REFUSALS:
                pass

        def _advance(self, nomination, award):
            for task in open_tasks(nomination).filter(flow_task_type="HUMAN"):
                actors = eligible_actors(task, nomination)
                if not actors:
                    continue
                actor = _user(actors[0].username)
                step = task.flow_task.name
                try:
                    if step == "signoff":
                        answer_signoff(role=Role.DEPARTMENT, case=nomination, actor=actor, agreed=award)
                    elif step == "decide":
                        decide(case=nomination, actor=actor, decision="award" if award else "decline", comment="否")
                    elif step == "revise":
                        decide(decision="resubmit", case=nomination, actor=actor)
                    elif step == "notice" and nomination.state == S.AWAITING_NOTICE:
                        campaign_notice_open(campaign=campaign, actor=actor)
                    elif step == "notice":
                        notice = entry_of(nomination).notice
                        close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
                    else:
                        decide(decision="approve", case=nomination, actor=actor)
                except REFUSALS:
                    pass
                return

        # Whoever may act takes every case one step forward. Without this,
        # random users rarely get a case as far as the decision; it is
        # listed twice to be drawn twice as often.
        @rule(award=st.booleans())
        def advance_all(self, award):
            for pk in self.pks:
                self._advance(Nomination.objects.get(pk=pk), award)

        @rule(award=st.booleans())
        def advance_all_again(self, award):
            self.advance_all(award)

        @rule(username=st.sampled_from(["admin_d", "reviewer_d", "outsider"]))
        def open_notice(self, username):
            try:
                campaign_notice_open(campaign=campaign, actor=_user(username))
            except REFUSALS:
                pass

        @rule(index=st.integers(0, 20))
        def object(self, index):
            nomination = self._nomination(index)
            entry = nomination and entry_of(nomination)
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
            problems = [p for n in Nomination.objects.all() for p in task_state_problems(n)]
            assert problems == []

        @invariant()
        def no_award_without_a_passed_notice_or_with_an_open_objection(self):
            for nomination in Nomination.objects.filter(state__in=[S.AWARDED, S.DISTRICT_APPROVED]):
                entries = NoticeEntry.objects.filter(case_q(nomination))
                assert entries.filter(outcome__in=[NoticeOutcome.NO_OBJECTION, NoticeOutcome.DISMISSED]).exists()
                assert not Objection.objects.filter(entry__in=entries, status=ObjectionStatus.OPEN).exists()
                assert "awards.nomination.notice_passed" in [e.action for e in history_of(nomination)]

        @invariant()
        def no_award_over_quota(self):
            rows = list(Nomination.objects.values_list("kind", "organisation__path", "state"))
            for kind, path, places in quotas:
                mine = [state for k, p, state in rows if k == kind and p.startswith(path)]
                assert sum(state in ACTIVE_STATES for state in mine) <= places
                assert sum(state == S.AWARDED for state in mine) <= places

        @invariant()
        def nobody_decides_two_levels(self):
            steps = {}
            entries = AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Nomination), decision__in=LEVEL_DECISIONS
            )
            for pk, role, org, from_state, actor, principal in entries.values_list(
                "object_id", "role", "organisation_id", "from_state", "actor_id", "on_behalf_of_id"
            ):
                for person in {actor, principal} - {None}:
                    steps.setdefault((pk, person), set()).add((role, org, from_state))
            assert all(len(levels) == 1 for levels in steps.values()), steps

        @invariant()
        def audit_log_replays_to_the_current_state(self):
            states = dict(Nomination.objects.values_list("pk", "state"))
            assert replay_all() == states
            REACHED.update(states.values())

    run_state_machine_as_test(
        MayDayMachine,
        settings=settings(
            max_examples=30, stateful_step_count=30, deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    # The sequences are derandomized (the same on every run and database),
    # and they do reach the far end of the route.
    assert {S.SIGNOFF, S.IN_NOTICE, S.AWARDED} <= REACHED, REACHED
