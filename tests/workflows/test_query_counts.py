"""Constant-cost pages: each page answers with the same number of SQL
queries at 10 cases as at 200. The cases are built through the
services, so tasks, audit entries and notices are the real ones."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.kinds.notices import do_publish_notice
from tests.conftest import valid_id_number
from workflows.models import Quota
from workflows.steps.decisions import decide

SMALL, LARGE = 10, 200


def _quotas(campaign):
    return Quota.objects.filter(scope_type=ContentType.objects.get_for_model(campaign), scope_id=campaign.pk)


class Scale:
    """Grows a May Day campaign's cases (medals of the kind
    mayday-individual) in thirds: waiting for the chair, waiting for the
    district reviewer, on a public notice."""

    def __init__(self, tree, campaign, make_case):
        self.tree, self.campaign, self.make = tree, campaign, make_case
        self.count = 0
        self.notice = None
        _quotas(campaign).update(count=10_000)

    def grow_to(self, total):
        tree = self.tree
        at_district, for_notice = [], []
        while self.count < total:
            self.count += 1
            case = self.make(name=f"候选人{self.count:04d}",
                             id_number=valid_id_number(f"11010119850301{self.count:03d}"))
            share = self.count % 3
            if share:
                decide(decision="confirm", case=case, actor=tree.chair)
                decide(decision="forward", case=case, actor=tree.reviewer_a)
                (at_district if share == 1 else for_notice).append(case)
        for case in for_notice:
            decide(decision="approve", case=case, actor=tree.reviewer_d)
        self.notice = do_publish_notice(campaign=self.campaign, actor=tree.admin_d, cases=for_notice)
        self.case = at_district[-1]
        self._grow_rules_and_shares(total)

    def _grow_rules_and_shares(self, total):
        """The campaign page lists quota shares and mix rules: more of
        each at the larger size."""
        from workflows.mixrules.services import rule_create
        from workflows.quotas.services import quota_share

        tree, wanted = self.tree, 2 if total <= SMALL else 6
        # Shares of the unit and team kinds only: the medals above come
        # from union_a1 and must keep their room.
        targets = [(org, kind) for kind in ("mayday-unit", "mayday-team")
                   for org in (tree.union_a1, tree.union_a2, tree.union_b1)]
        for org, kind in targets[_quotas(self.campaign).filter(parent__isnull=False).count():wanted]:
            quota_share(scope=self.campaign, organisation=org, category=kind, count=1, actor=tree.admin_d)
        for i in range(self.campaign_rules(), wanted):
            rule_create(scope=self.campaign, field="candidate_category", values=["front_line"],
                        comparison="min", percent=10 + i, actor=tree.admin_d, label=f"rule {i}")

    def campaign_rules(self):
        from workflows.mixrules import rules_of

        return rules_of(self.campaign).count()


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types, roles)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def pages(scale):
    tree, campaign = scale.tree, scale.campaign
    return {
        "inbox, district reviewer": (tree.reviewer_d, "/inbox/"),
        "inbox search, district reviewer": (tree.reviewer_d, "/inbox/?q=候选人"),
        "inbox, chair": (tree.chair, "/inbox/"),
        "inbox search, chair": (tree.chair, "/inbox/?q=甲一"),
        "case list": (tree.admin_d, reverse("kinds:case_list")),
        "case list, reviewer": (tree.reviewer_a, reverse("kinds:case_list")),
        "case page": (tree.reviewer_d, reverse("kinds:case_detail", args=[scale.case.pk])),
        "campaign page": (tree.admin_d, reverse("kinds:campaign_detail", args=[campaign.pk])),
        "public notice list": (None, "/notices/"),
        "public notice": (None, f"/notices/{scale.notice.pk}/"),
        "public notice, page 2": (None, f"/notices/{scale.notice.pk}/?page=2"),
        "home": (None, "/"),
    }


def measure(client, scale):
    counts = {}
    for name, (user, url) in pages(scale).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        if name == "public notice, page 2" and scale.count < 100:
            url = url.replace("page=2", "page=1")
        counts[name] = count_queries(client, url)
    return counts


@pytest.mark.django_db
def test_pages_cost_the_same_at_10_and_200_cases(client, tree, mayday_campaign, make_mayday_case, capsys):
    scale = Scale(tree, mayday_campaign, make_mayday_case)
    scale.grow_to(SMALL)
    small = measure(client, scale)
    scale.grow_to(LARGE)
    large = measure(client, scale)
    with capsys.disabled():
        print(f"\n{'page':36} {SMALL:>6} {LARGE:>6}")
        for name in small:
            print(f"{name:36} {small[name]:>6} {large[name]:>6}")
    assert large == small


# The district reviewer's inbox reads the version of each case (the recusal
# check: declaration.recusal_subject) with the cases of the page
# (KindCase.inbox_related), not once per row.
@pytest.mark.django_db
def test_the_district_reviewers_inbox_costs_the_same_at_10_and_40_cases(client, tree, mayday_campaign,
                                                                        make_mayday_case):
    scale = Scale(tree, mayday_campaign, make_mayday_case)
    counts = []
    for total in (SMALL, 40):
        scale.grow_to(total)
        client.force_login(tree.reviewer_d)
        counts.append([count_queries(client, pages(scale)[name][1]) for name in ("inbox, district reviewer", "inbox search, district reviewer")])
    assert counts[0] == counts[1]


# One decision, through its HTTP POST ---------------------------------------------
#
# A decision reads the process, the actor's memberships and who may take the
# next step once per request, whatever asks (the view's buttons, the recusal
# and four-eyes checks, routing, deadlines, notifications). Counted with the
# decision's transaction the outermost one (transaction=True), as in
# production: everything the request sends, middleware, session and
# after-commit work included, and on SQLite its BEGIN/COMMIT statements
# (the test passes with the same ceilings on PostgreSQL).
#
# Issue 20 asks for at most 25. Gone since the ceilings were 42/51/32: the
# switch task viewflow inserted, linked and closed after every human task
# (a step's task now opens the next step itself), the savepoint of the
# process-row lock, the second UPDATE of the closed task, the session write
# on every request (written when changed or a minute old: config.sessions),
# a second read of the step's open tasks, and the case's union and campaign
# read again for the locked copy. Then (35/43/26 to 25/30/22): the page and
# the service share one read of the step's open tasks, read with the
# process in one query; the task and process rows locked in one statement
# (the flow takes no second lock); the user's memberships and delegations
# in one query; a district's webhooks read once per decision with the
# district (workflows.memo); the creator read with the locked case; the
# next step's holders, substitutes and their memberships in one query; the
# notices of a step's outcome in one channel read and one insert; no
# re-read of open tasks once the flow has ended; and for an award, the
# campaign locked first numbers the certificate without a second lock, and
# the flow's end takes no savepoint of its own.
#
# What is left of an approval (25): the request (session, user,
# memberships), the case, its open task with its process, the actor's
# conflicts and earlier decisions at this level, the decision (BEGIN, case
# with its creator and task with its process locked, case updated, audit
# entry, webhooks, task closed, the next task's district, the task inserted
# and linked), who may take it (holders with substitutes and memberships,
# their conflicts), its deadline (calendar, insert), the notices (channels,
# in-app rows) and COMMIT.
#
# An award (25, from 29) does more, each once: the campaign locked first
# (with its district, and whether it has mix rules, in the same statement),
# the certificate numbered on the campaign and recorded, its PDF owed to
# the outbox, the flow's end, and after COMMIT the outbox row handed to the
# queue (one statement). It needs no next task, its holders or deadline.
# Its statements: the request's seven (as an approval's), BEGIN, campaign,
# case and task locked, case updated, webhooks, campaign's counter,
# certificate, outbox row, the two audit entries (the decision's and the
# certificate's: one INSERT, workflows.audit.written_together), task
# closed, process closed (one UPDATE that is also the check that no other
# task of it is unfinished), the end task stored done and linked
# (CaseEndActivation), channels, in-app row, COMMIT, the queue's entry.
# Gone to get there: the certificate's audit INSERT of its own; viewflow's
# count of the process's unfinished tasks and the end task's second write
# (inserted, then updated as done); the queue's id noted on the outbox row
# after the enqueue (the worker notes it as it claims the row:
# workflows.background.outbox); on kinds, the outcome's UPDATE of its own
# (saved with the new state: awards.kinds.outcomes.note_outcome), the ask
# whether the case already holds a certificate (a grant happens once under
# the case's lock; the constraint one_valid_certificate_per_case refuses a
# second), the district and the mix rules read apart from the campaign's
# lock (awards.kinds.endings.lock_first). The ceilings are what each costs now
# (the issue asks for at most 25): an approval and an award 25, a sign-off
# 22 (each test prints its count), so a change that reads something twice
# again fails here.
DECISION_QUERY_CEILINGS = {"intermediate approval": 25, "award": 25, "department sign-off": 22}


def _decision_queries(client, url, data):
    client.get(url)  # warm the per-process caches (content types, roles), as a served page has
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    assert response.status_code == 302, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


def _repeats(queries):
    """The statements sent more than once (by their first 80 characters),
    to show in a failure what was read again."""
    import collections

    counts = collections.Counter(sql[:80] for sql in queries)
    return {sql: n for sql, n in counts.items() if n > 1}


def _assert_within_budget(name, queries, capsys):
    with capsys.disabled():
        print(f"\n{name}: {len(queries)} queries")
    assert len(queries) <= DECISION_QUERY_CEILINGS[name], (name, len(queries), _repeats(queries), queries)


def _decide_url(case):
    return reverse("kinds:case_decide", args=[case.pk])


@pytest.mark.django_db(transaction=True)
def test_an_intermediate_approval_costs_no_more_than_its_ceiling(client, tree, make_mayday_case, capsys):
    case = make_mayday_case()
    decide(decision="confirm", case=case, actor=tree.chair)
    client.force_login(tree.reviewer_a)
    queries = _decision_queries(client, _decide_url(case), {"decision": "forward", "version": case.version})
    case.refresh_from_db()
    assert case.state == "district"
    _assert_within_budget("intermediate approval", queries, capsys)


@pytest.mark.django_db(transaction=True)
def test_an_award_costs_no_more_than_its_ceiling(client, tree, make_mayday_case, pass_kind_notice, capsys, settings):
    from workflows.models import Certificate

    case = make_mayday_case()
    for actor, code in ((tree.chair, "confirm"), (tree.reviewer_a, "forward"), (tree.reviewer_d, "approve")):
        decide(decision=code, case=case, actor=actor)
    pass_kind_notice(case)
    # As in production: the certificate's PDF is queued (one row), not
    # rendered inside the request as the tests' immediate queue would.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(tree.admin_d)
    queries = _decision_queries(client, _decide_url(case),
                                {"decision": "outcome_1", "version": case.version, "confirmed": "1"})
    case.refresh_from_db()
    assert case.state == "granted" and Certificate.objects.filter(object_id=case.pk).count() == 1
    # Everything a grant records is still there: both audit entries (the
    # decision's before the certificate's), the flow's end after the
    # decided task, the process closed, the PDF owed.
    from viewflow.workflow import PROCESS

    from workflows.audit import history_of
    from workflows.models import OutboxItem
    from workflows.steps.tasks import process_of

    assert [e.action for e in history_of(case)][-2:] == ["kinds.case.granted", "kinds.certificate.issued"]
    process = process_of(case)
    process.refresh_from_db()
    end = process.task_set.get(flow_task_type="END")
    assert process.status == PROCESS.DONE and end.status == "DONE" and end.finished is not None
    assert [t.flow_task.name for t in end.previous.all()] == ["decision"]
    assert OutboxItem.objects.filter(object_id=Certificate.objects.get(object_id=case.pk).pk).count() == 1
    _assert_within_budget("award", queries, capsys)


@pytest.mark.django_db(transaction=True)
def test_a_department_sign_off_costs_no_more_than_its_ceiling(client, tree, open_mayday, make_mayday_case,
                                                              departments, capsys):
    from workflows.models import SignoffRequest, SignoffStatus

    case = make_mayday_case(campaign=open_mayday("mayday-signoffs", signoffs=True))
    for actor, code in ((tree.chair, "confirm"), (tree.reviewer_a, "forward"), (tree.reviewer_d, "approve")):
        decide(decision=code, case=case, actor=actor)
    assert case.state == "signoffs"
    client.force_login(departments["tax"])
    queries = _decision_queries(client, reverse("kinds:case_signoff", args=[case.pk]),
                                {"agreed": "1", "comment": "无欠税记录"})
    assert SignoffRequest.objects.filter(status=SignoffStatus.AGREED).count() == 1
    _assert_within_budget("department sign-off", queries, capsys)
