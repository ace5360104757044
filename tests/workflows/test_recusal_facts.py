"""The inbox marks a row with the answer the decision service gets: the
recusal and four-eyes checks read from facts loaded once per page
(recusal_facts.PageFacts) give what bar() gives reading live."""

import datetime

from django.utils import timezone
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from workflows.steps.decisions import decide
from awards.roles import Role
from tests.conftest import valid_id_number
from workflows.models import ConflictDeclaration, ConflictRelation, Delegation, Membership
from workflows.organisations.recusal import bar
from workflows.organisations.recusal_facts import PageFacts


def _answers(user, facts=None):
    answers = {}
    for task in Task.objects.filter(status=STATUS.NEW, flow_task_type="HUMAN").select_related("process"):
        case = task.process.artifact
        found = bar(user, case, task) if facts is None else bar(user, case, task, facts)
        answers[task.pk] = None if found is None else (found[0], str(found[1]), found[2], found[3])
    return answers


def test_page_facts_give_the_answers_bar_reads_live(tree, make_nomination):
    # Four eyes: reviewer_a reviews n1 in town, then also holds the district's review.
    n1 = make_nomination(id_number=valid_id_number("11010119850301001"))
    decide(decision="approve", case=n1, actor=tree.chair)
    decide(decision="approve", case=n1, actor=tree.reviewer_a)
    Membership.objects.create(user=tree.reviewer_a, organisation=tree.district, role=Role.REVIEWER)
    # Recusal: reviewer_a2 declared union_a1 (written directly: no rerouting),
    # and reviewer_d stands in for reviewer_a2, so carries that conflict too.
    n2 = make_nomination(nominee_name="李四", id_number=valid_id_number("11010119850301002"))
    decide(decision="approve", case=n2, actor=tree.chair)
    ConflictDeclaration.objects.create(user=tree.reviewer_a2, relation=ConflictRelation.UNIT, organisation=tree.union_a1)
    today = timezone.localdate()
    Delegation.objects.create(
        principal=tree.reviewer_a2, substitute=tree.reviewer_d, starts_on=today,
        ends_on=today + datetime.timedelta(days=3), created_by=tree.admin_d,
    )
    make_nomination(nominee_name="王五", id_number=valid_id_number("11010119850301003"))

    cases = [t.process.artifact for t in Task.objects.filter(status=STATUS.NEW).select_related("process")]
    codes = set()
    for user in (tree.reviewer_a, tree.reviewer_a2, tree.reviewer_d, tree.chair, tree.reviewer_b):
        live = _answers(user)
        assert _answers(user, PageFacts(user, cases)) == live, user
        codes |= {answer[0] for answer in live.values() if answer}
    assert codes == {"workflows.recusal.refused", "workflows.four_eyes.refused"}


def test_page_facts_read_only_the_level_decisions_of_the_user_and_their_principals(tree, make_nomination):
    """The inbox's page facts hold no one else's decisions (four eyes reads
    only the user's and their principals'): a page of cases reviewed below
    builds no audit entry of the reviewers below, however long the cases'
    histories are; the user's own earlier level still bars them."""
    n1 = make_nomination(id_number=valid_id_number("11010119850301001"))
    n2 = make_nomination(nominee_name="李四", id_number=valid_id_number("11010119850301002"))
    for nomination in (n1, n2):
        decide(decision="approve", case=nomination, actor=tree.chair)
    decide(decision="approve", case=n1, actor=tree.reviewer_a)
    decide(decision="approve", case=n2, actor=tree.reviewer_a2)
    Membership.objects.create(user=tree.reviewer_a, organisation=tree.district, role=Role.REVIEWER)
    cases = [t.process.artifact for t in Task.objects.filter(status=STATUS.NEW).select_related("process")]
    assert {c.pk for c in cases} == {n1.pk, n2.pk}

    district = PageFacts(tree.reviewer_d, cases)
    assert [district.level_entries(c) for c in cases] == [[], []]
    own = PageFacts(tree.reviewer_a, cases)
    assert {c.pk: [e.actor_id for e in own.level_entries(c)] for c in cases} == {n1.pk: [tree.reviewer_a.pk],
                                                                                 n2.pk: []}
    assert _answers(tree.reviewer_a, own) == _answers(tree.reviewer_a)
    assert {pk for pk, answer in _answers(tree.reviewer_a, own).items() if answer} == {
        t.pk for t in Task.objects.filter(status=STATUS.NEW, process__artifact_object_id=n1.pk)
    }
