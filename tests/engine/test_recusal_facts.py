"""The inbox marks a row with the answer the decision service gets: the
recusal and four-eyes checks read from facts loaded once per page
(recusal_facts.PageFacts) give what bar() gives reading live, on toy cases.

Ported from tests/workflows/test_recusal_facts.py (May Day nominations),
which goes with May Day; docs/mayday-as-kinds.md §4.3 item 5 maps each test."""

import datetime

from django.utils import timezone
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from tests.conftest import make_user
from workflows.models import ConflictDeclaration, ConflictRelation, Delegation
from workflows.organisations.recusal import bar
from workflows.organisations.recusal_facts import PageFacts


def _open_tasks():
    return Task.objects.filter(status=STATUS.NEW, flow_task_type="HUMAN").select_related("process")


def _answers(user, facts=None):
    answers = {}
    for task in _open_tasks():
        case = task.process.artifact
        found = bar(user, case, task) if facts is None else bar(user, case, task, facts)
        answers[task.pk] = None if found is None else (found[0], str(found[1]), found[2], found[3])
    return answers


def _cases():
    return [t.process.artifact for t in _open_tasks()]


def test_page_facts_give_the_answers_bar_reads_live(people, journey):
    # Four eyes: `double` reviews the first case in town, then holds the
    # district's decision on it.
    double = make_user("double", (people.town, "reviewer"), (people.district, "district_admin"))
    journey.notice_passed(title="甲", reviewer=double)
    # Recusal: a colleague declared the unit (written directly: no
    # rerouting), and reviewer_d stands in for the colleague, so carries
    # that conflict too.
    colleague = make_user("reviewer2", (people.town, "reviewer"))
    second = journey.submitted(title="乙")
    ConflictDeclaration.objects.create(user=colleague, relation=ConflictRelation.UNIT, organisation=people.unit)
    today = timezone.localdate()
    Delegation.objects.create(principal=colleague, substitute=people.reviewer_d, starts_on=today,
                              ends_on=today + datetime.timedelta(days=3), created_by=people.admin)
    journey.submitted(title="丙")
    assert second.pk in {c.pk for c in _cases()}

    codes = set()
    for user in (double, colleague, people.reviewer_d, people.reviewer, people.admin, people.submitter):
        live = _answers(user)
        assert _answers(user, PageFacts(user, _cases())) == live, user
        codes |= {answer[0] for answer in live.values() if answer}
    assert codes == {"workflows.recusal.refused", "workflows.four_eyes.refused"}


def test_page_facts_read_only_the_level_decisions_of_the_user_and_their_principals(people, journey):
    """The page facts hold no one else's decisions (four eyes reads only the
    user's and their principals'): a page of cases reviewed below builds no
    audit entry of the reviewers below; the user's own earlier level still
    bars them."""
    double = make_user("double", (people.town, "reviewer"), (people.district, "district_admin"))
    first = journey.notice_passed(title="甲", reviewer=double)
    second = journey.notice_passed(title="乙")
    cases = _cases()
    assert {c.pk for c in cases} == {first.pk, second.pk}

    other = PageFacts(people.admin, cases)
    assert [other.level_entries(c) for c in cases] == [[], []]
    own = PageFacts(double, cases)
    assert {c.pk: [e.actor_id for e in own.level_entries(c)] for c in cases} == {first.pk: [double.pk],
                                                                                 second.pk: []}
    assert _answers(double, own) == _answers(double)
    assert {pk for pk, answer in _answers(double, own).items() if answer} == {
        t.pk for t in _open_tasks() if t.process.artifact_object_id == first.pk
    }
