"""The lock order (docs/lock-order.md) under real concurrent requests, on
the May Day kinds (ported from tests/awards/test_lock_order.py): the
district administrator grants a case (the final decision, which numbers
its certificate) while, at the same moment, the public notice is published
for others and a town's reviewer forwards a third. Each request runs
through the whole stack (middleware, view, service) on a connection of its
own, on PostgreSQL.

Before the lock order, the grant took the case, the audit chain's
site-wide lock, then the campaign (to number the certificate), while the
notice took the campaign, then the audit lock: a deadlock, answered 500.
The control puts that back (the audit lock in log_action, the campaign
locked after the case, no retry) and shows the 500."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from awards.kinds import endings
from awards.kinds.declaration import KIND_CASE_PROCESS
from awards.kinds.models import KindCase
from awards.kinds.models import KindCaseState as S
from tests.awards.kinds.test_mayday_rules import review_up
from tests.concurrency import RACE_MARKS
from tests.conftest import pass_case_notice
from workflows import audit, conflicts
from workflows.audit import verify_chain
from workflows.audit_seal import seal_audit
from workflows.models import Certificate, NoticeEntry, Quota
from workflows.steps.decisions import decide

pytestmark = RACE_MARKS

ROUNDS = 3


@pytest.fixture
def cases(tree, make_mayday_case):
    """Per round: one case awaiting the final decision, two under the
    district's review (the test approves them at their round, to put them
    on the round's notice), one awaiting the town's review."""
    Quota.objects.update(count=100)
    rounds = []
    for _round in range(ROUNDS):
        to_grant = review_up(tree, make_mayday_case())
        pass_case_notice(tree, to_grant)
        assert to_grant.state == S.DECIDING
        for_notice = []
        for _n in range(2):
            case = make_mayday_case()
            decide(decision="confirm", case=case, actor=tree.chair)
            for_notice.append(decide(decision="forward", case=case, actor=tree.reviewer_a))
        to_review = decide(decision="confirm", case=make_mayday_case(), actor=tree.chair)
        rounds.append((to_grant, for_notice, to_review))
    return rounds


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _until_another_request_waits_on_a_lock(seconds=10):
    """Inside the grant: hold its first locks until another connection is
    seen waiting for a lock (the notice's request meeting what the grant
    holds), or `seconds` have passed."""
    give_up = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < give_up:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def _hold_inside_the_grant(monkeypatch):
    """Each grant stops inside its transaction, after the locks it takes
    first, until the notice's request waits on a lock; `reached` says when
    it got there, so the other requests start then; `reached.met` whether
    each grant saw a request wait on it (the requests really met)."""
    reached = threading.Event()
    reached.met = []
    original = endings.issue_certificate

    def held(case, actor, **options):
        reached.set()
        reached.met.append(_until_another_request_waits_on_a_lock())
        return original(case, actor, **options)

    monkeypatch.setattr(endings, "issue_certificate", held)
    return reached


def _race(tree, campaign, to_grant, to_review, reached):
    """The three requests at once; returns {name: status code}."""
    grant_client, notice_client, review_client = _client(tree.admin_d), _client(tree.admin_d), _client(tree.reviewer_a)
    statuses = {}

    def grant():
        response = grant_client.post(reverse("kinds:case_decide", args=[to_grant.pk]),
                                     {"decision": "outcome_1", "version": to_grant.version, "confirmed": "1"})
        statuses["grant"] = response.status_code

    def publish_notice():
        reached.wait(timeout=10)
        response = notice_client.post(reverse("kinds:campaign_notice", args=[campaign.pk]), {"confirmed": "1"})
        statuses["notice"] = response.status_code

    def review():
        reached.wait(timeout=10)
        response = review_client.post(reverse("kinds:case_decide", args=[to_review.pk]),
                                      {"decision": "forward", "version": to_review.version})
        statuses["review"] = response.status_code

    def run(work):
        try:
            work()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in (grant, publish_notice, review)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    reached.clear()
    return statuses


def _restore_the_old_locks(monkeypatch):
    """The code before the lock order: log_action takes the audit chain's
    site-wide lock until commit, the grant locks the campaign only when it
    numbers the certificate (after the case), and no retry."""
    original = audit.log_action

    def log_action_under_the_chain_lock(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5546_4155])
        return original(*args, **kwargs)

    for module in ("workflows.steps.decisions", "workflows.notices.services", "workflows.documents.issuing"):
        monkeypatch.setattr(f"{module}.log_action", log_action_under_the_chain_lock)
    monkeypatch.setattr(KIND_CASE_PROCESS, "lock_first", None)
    monkeypatch.setattr(conflicts, "RETRIED_STATES", ())


def test_a_grant_the_notice_and_a_review_at_once_all_go_through(tree, mayday_campaign, cases, monkeypatch):
    reached = _hold_inside_the_grant(monkeypatch)
    published = []
    for to_grant, for_notice, to_review in cases:
        for case in for_notice:
            decide(decision="approve", case=case, actor=tree.reviewer_d)
        statuses = _race(tree, mayday_campaign, to_grant, to_review, reached)
        assert statuses == {"grant": 302, "notice": 302, "review": 302}, statuses
        published += for_notice
    assert reached.met == [True] * ROUNDS  # each grant held up the notice meanwhile

    granted = [to_grant.pk for to_grant, _notice, _review in cases]
    assert set(KindCase.objects.filter(pk__in=granted).values_list("state", flat=True)) == {S.GRANTED}
    certs = Certificate.objects.filter(object_id__in=granted, content_type__model="kindcase")
    assert sorted(certs.values_list("object_id", flat=True)) == sorted(granted)  # one each
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == ROUNDS
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == list(range(1, ROUNDS + 1))
    # Every case published once, on its round's notice.
    listed = list(NoticeEntry.objects.filter(object_id__in=[c.pk for c in published],
                                             content_type__model="kindcase").values_list("object_id", flat=True))
    assert sorted(listed) == sorted(c.pk for c in published)
    assert set(KindCase.objects.filter(pk__in=listed).values_list("state", flat=True)) == {S.IN_NOTICE}
    reviewed = [to_review.pk for _grant, _notice, to_review in cases]
    assert set(KindCase.objects.filter(pk__in=reviewed).values_list("state", flat=True)) == {S.DISTRICT}
    seal_audit()
    assert verify_chain()[1] is None


def test_control_with_the_old_lock_order_the_race_answers_500(tree, mayday_campaign, cases, monkeypatch):
    reached = _hold_inside_the_grant(monkeypatch)
    _restore_the_old_locks(monkeypatch)
    to_grant, for_notice, to_review = cases[0]
    for case in for_notice:
        decide(decision="approve", case=case, actor=tree.reviewer_d)
    statuses = _race(tree, mayday_campaign, to_grant, to_review, reached)
    assert reached.met == [True]
    assert 500 in (statuses["grant"], statuses["notice"]), statuses
