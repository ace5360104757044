"""The parts of a declaration processes share (workflows.steps.standard_route)."""

from types import SimpleNamespace

from workflows.steps.declaration import Decision
from workflows.steps import places
from workflows.steps.standard_route import at_intermediate, done_messages, escalate_above, round_step_days


def test_where_the_actors_sit(people, journey):
    case = journey.new()
    assert (places.unit(case), at_intermediate(case), places.district(case)) == (people.unit, people.town, people.district)


def test_an_overdue_step_goes_to_the_role_one_level_up_and_at_the_top_to_the_administrators(people):
    above = escalate_above("reviewer")
    assert list(above(people.unit)) == [people.reviewer]  # the town's reviewer
    assert list(above(people.town)) == [people.reviewer_d]
    assert list(above(people.district)) == [people.admin]


def test_done_messages_by_code():
    done = done_messages({"approve": "已通过"})
    assert done(None, "approve") == "已通过"
    assert done(None, Decision("approve", "x", "通过")) == "已通过"
    assert done(None, "reject") is None


def test_a_round_sets_its_own_days_per_step():
    days = round_step_days("campaign")
    case = SimpleNamespace(campaign=SimpleNamespace(step_deadline_days={"confirm": 3}))
    assert (days(case, "confirm"), days(case, "decide")) == (3, None)
    assert days(SimpleNamespace(campaign=SimpleNamespace(step_deadline_days=None)), "confirm") is None
