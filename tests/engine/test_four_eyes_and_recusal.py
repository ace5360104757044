"""Who must not decide: nobody decides two review levels of one case (four
eyes), and a reviewer recuses from a case of their own unit or one they
declared a conflict with; the task then goes up to someone free."""

import pytest

from tests.conftest import make_user
from tests.engine.conftest import last_entry
from tests.engine.toy.models import ToyState as S
from workflows.audit import history_of
from workflows.exceptions import NotAllowed
from workflows.models import ConflictRelation, Membership
from workflows.organisations.delegation import forget_cached_roles
from workflows.organisations.recusal import conflict_declare
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_step_names, open_tasks


def _acting_org(case):
    return int(open_tasks(case).get().owner_permission_obj_pk)


def test_four_eyes_one_person_cannot_decide_two_levels(people, journey):
    # Reviewer of the town and administrator of the district: two levels.
    double = make_user("double", (people.town, "reviewer"), (people.district, "district_admin"))
    case = journey.submitted()
    decide(case=case, actor=double, decision="approve")
    journey.inspect(case)
    journey.close(journey.publish(case))
    case.refresh_from_db()
    assert case.state == S.NOTICE_PASSED
    before = case.version

    with pytest.raises(NotAllowed):
        decide(case=case, actor=double, decision="accept")

    case.refresh_from_db()
    assert (case.state, case.version) == (S.NOTICE_PASSED, before)
    assert open_step_names(case) == ["decide"]
    refusal = last_entry(case)
    assert (refusal.action, refusal.actor, refusal.role, refusal.organisation) == (
        "workflows.four_eyes.refused", double, "district_admin", people.district,
    )
    earlier = history_of(case).get(decision="approve")
    assert refusal.data["earlier"] == earlier.pk
    # Someone else takes the second level.
    decide(case=case, actor=people.admin, decision="accept")
    assert case.state == S.ACCEPTED


def test_a_reviewer_of_the_cases_own_unit_recuses_and_a_colleague_decides(people, journey):
    own = make_user("own_unit_reviewer", (people.town, "reviewer"), (people.unit, "submitter"))
    case = journey.submitted()
    assert _acting_org(case) == people.town.pk  # a free colleague is there

    with pytest.raises(NotAllowed):
        decide(case=case, actor=own, decision="approve")

    case.refresh_from_db()
    assert case.state == S.SUBMITTED
    refusal = last_entry(case)
    assert (refusal.action, refusal.actor) == ("workflows.recusal.refused", own)
    assert _acting_org(case) == people.town.pk
    decide(case=case, actor=people.reviewer, decision="approve")
    assert case.state == S.INSPECTION


def test_a_sole_reviewer_who_must_recuse_is_refused_and_the_task_goes_up(people, journey):
    case = journey.submitted()
    assert _acting_org(case) == people.town.pk
    # The town's only reviewer turns out to belong to the unit as well.
    Membership.objects.create(user=people.reviewer, organisation=people.unit, role="submitter")
    forget_cached_roles(people.reviewer)

    with pytest.raises(NotAllowed):
        decide(case=case, actor=people.reviewer, decision="approve")

    case.refresh_from_db()
    assert case.state == S.SUBMITTED
    actions = [e.action for e in history_of(case)]
    assert actions[-2:] == ["workflows.recusal.refused", "workflows.task.rerouted"]
    assert _acting_org(case) == people.district.pk
    with pytest.raises(NotAllowed):
        decide(case=case, actor=people.reviewer, decision="approve")
    decide(case=case, actor=people.reviewer_d, decision="approve")
    entry = last_entry(case)
    assert (entry.actor, entry.organisation, entry.decision) == (people.reviewer_d, people.district, "approve")


def test_a_task_opens_above_a_reviewer_who_is_conflicted_from_the_start(people, journey):
    Membership.objects.create(user=people.reviewer, organisation=people.unit, role="submitter")
    case = journey.submitted()
    assert _acting_org(case) == people.district.pk
    assert history_of(case).filter(action="workflows.task.rerouted").count() == 1


def test_a_declared_conflict_reroutes_the_open_task(people, journey):
    case = journey.submitted()

    declaration = conflict_declare(
        reviewer=people.reviewer, relation=ConflictRelation.UNIT, organisation=people.unit,
        actor=people.reviewer, reason="亲属任职",
    )

    assert declaration.rerouted == 1
    assert _acting_org(case) == people.district.pk
    with pytest.raises(NotAllowed):
        decide(case=case, actor=people.reviewer, decision="approve")
    case.refresh_from_db()
    assert case.state == S.SUBMITTED
    decide(case=case, actor=people.reviewer_d, decision="approve")
    assert case.state == S.INSPECTION
