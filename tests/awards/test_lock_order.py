"""The lock order (docs/lock-order.md) under real concurrent requests: the
district administrator awards a nomination while, at the same moment, the
public notice is opened for others and a reviewer approves a third. Each
request runs through the whole stack (middleware, view, service) on a
connection of its own, on PostgreSQL.

Before, the award took the nomination, the audit chain's site-wide lock,
then the campaign (to number the certificate), while the notice took the
campaign, then the audit lock: a deadlock, answered 500. The control puts
that back (the audit lock in log_action, the campaign locked after the
case, no retry) and shows the 500."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from awards.mayday import certificates
from workflows.steps.decisions import decide
from awards.mayday.declaration import MAYDAY
from awards.mayday.models import Nomination
from workflows.models import Quota
from awards.mayday.models import NominationState as S
from tests.concurrency import RACE_MARKS
from tests.conftest import pass_public_notice, valid_id_number
from workflows import audit, conflicts
from workflows.audit import verify_chain
from workflows.audit_seal import seal_audit
from workflows.models import Certificate, NoticeEntry

pytestmark = RACE_MARKS

ROUNDS = 3
PAUSE = 0.6  # inside the award, after its first locks: where a slow request would pause


@pytest.fixture
def cases(tree, campaign, make_nomination):
    """Per round: one nomination awaiting the district's decision, two to
    put on the round's public notice (one step before it: the test moves
    them on at their round), one awaiting its intermediate review."""
    Quota.objects.update(count=100)
    serial = iter(range(1000))

    def make():
        n = next(serial)
        return make_nomination(nominee_name=f"候选人{n:03d}", id_number=valid_id_number(f"1101011985030{n:04d}"))

    def approve(nomination, *actors):
        for actor in actors:
            decide(decision="approve", case=nomination, actor=actor)
        return nomination

    rounds = []
    for _round in range(ROUNDS):
        to_award = approve(make(), tree.chair, tree.reviewer_a, tree.reviewer_d)
        pass_public_notice(tree, to_award)
        for_notice = [approve(make(), tree.chair, tree.reviewer_a) for _ in range(2)]
        to_review = approve(make(), tree.chair)
        rounds.append((to_award, for_notice, to_review))
    return rounds


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _pause_inside_the_award(monkeypatch):
    """Each award stops for PAUSE inside its transaction, after the locks it
    takes first; `reached` says when, so the notice's request starts then."""
    reached = threading.Event()
    original = certificates.issue_certificate

    def paused(nomination, actor):
        reached.set()
        time.sleep(PAUSE)
        return original(nomination, actor)

    monkeypatch.setattr(certificates, "issue_certificate", paused)
    return reached


def _race(tree, campaign, to_award, to_review, reached):
    """The three requests at once; returns {name: status code}."""
    award_client, notice_client, review_client = _client(tree.admin_d), _client(tree.admin_d), _client(tree.reviewer_a)
    statuses = {}

    def award():
        response = award_client.post(to_award.get_absolute_url(),
                                      {"decision": "award", "version": to_award.version, "confirmed": "1"})
        statuses["award"] = response.status_code

    def open_notice():
        reached.wait(timeout=10)
        response = notice_client.post(f"/awards/campaigns/{campaign.code}/notice/open/", {"confirmed": "1"})
        statuses["notice"] = response.status_code

    def review():
        reached.wait(timeout=10)
        response = review_client.post(to_review.get_absolute_url(),
                                      {"decision": "approve", "version": to_review.version})
        statuses["review"] = response.status_code

    def run(work):
        try:
            work()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in (award, open_notice, review)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    reached.clear()
    return statuses


def _restore_the_old_locks(monkeypatch):
    """The code before the lock order: log_action takes the audit chain's
    site-wide lock until commit, the award locks the campaign only when it
    numbers the certificate (after the nomination), and no retry."""
    original = audit.log_action

    def log_action_under_the_chain_lock(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5546_4155])
        return original(*args, **kwargs)

    for module in ("workflows.steps.decisions", "workflows.notices.services",
                   "workflows.documents.issuing"):
        monkeypatch.setattr(f"{module}.log_action", log_action_under_the_chain_lock)
    monkeypatch.setattr(MAYDAY, "lock_first", None)
    monkeypatch.setattr(conflicts, "RETRIED_STATES", ())


def test_award_notice_and_review_at_once_all_go_through(tree, campaign, cases, monkeypatch):
    reached = _pause_inside_the_award(monkeypatch)
    published = []
    for to_award, for_notice, to_review in cases:
        for nomination in for_notice:
            decide(decision="approve", case=nomination, actor=tree.reviewer_d)
        statuses = _race(tree, campaign, to_award, to_review, reached)
        assert statuses == {"award": 302, "notice": 302, "review": 302}, statuses
        published += for_notice

    awarded = [to_award.pk for to_award, _notice, _review in cases]
    assert set(Nomination.objects.filter(pk__in=awarded).values_list("state", flat=True)) == {S.AWARDED}
    certs = Certificate.objects.filter(object_id__in=awarded, content_type__model="nomination")
    assert sorted(certs.values_list("object_id", flat=True)) == sorted(awarded)  # one each
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == ROUNDS
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == list(range(1, ROUNDS + 1))
    # Every nomination published once, on its round's notice.
    listed = list(NoticeEntry.objects.filter(object_id__in=[n.pk for n in published],
                                             content_type__model="nomination").values_list("object_id", flat=True))
    assert sorted(listed) == sorted(n.pk for n in published)
    assert set(Nomination.objects.filter(pk__in=listed).values_list("state", flat=True)) == {S.IN_NOTICE}
    reviewed = [to_review.pk for _award, _notice, to_review in cases]
    assert set(Nomination.objects.filter(pk__in=reviewed).values_list("state", flat=True)) == {S.INTERMEDIATE_APPROVED}
    seal_audit()
    assert verify_chain()[1] is None


def test_control_with_the_old_lock_order_the_race_answers_500(tree, campaign, cases, monkeypatch):
    reached = _pause_inside_the_award(monkeypatch)
    _restore_the_old_locks(monkeypatch)
    to_award, for_notice, to_review = cases[0]
    for nomination in for_notice:
        decide(decision="approve", case=nomination, actor=tree.reviewer_d)
    statuses = _race(tree, campaign, to_award, to_review, reached)
    assert 500 in (statuses["award"], statuses["notice"]), statuses
