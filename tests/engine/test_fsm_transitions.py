"""The state moves through django-fsm, not around it: the declared moves
are the model's transitions, the engine's move calls them (django-fsm's own
signals, once each), an undeclared move is refused, and the protected
field cannot be assigned."""

import pytest
from django_fsm import TransitionNotAllowed
from django_fsm.signals import post_transition, pre_transition

from tests.engine.toy.declaration import TOY
from tests.engine.toy.models import ToyCase
from tests.engine.toy.models import ToyState as S
from workflows.audit import history_of
from workflows.exceptions import NotAllowed, UndeclaredMove
from workflows.steps.decisions import decide, do_transition, move
from workflows.steps.fsm import method_name


@pytest.fixture
def signals():
    sent = []

    def pre(sender, **kwargs):
        sent.append(("pre", sender, kwargs))

    def post(sender, **kwargs):
        sent.append(("post", sender, kwargs))

    pre_transition.connect(pre, weak=False)
    post_transition.connect(post, weak=False)
    yield sent
    pre_transition.disconnect(pre)
    post_transition.disconnect(post)


def test_the_declared_moves_are_the_models_transitions(db):
    declared = {(t.source, t.target) for t in ToyCase().get_all_state_transitions()}
    assert declared == {(str(s), str(t)) for s, t in TOY.allowed()}
    assert all(t.name == method_name(t.target) for t in ToyCase().get_all_state_transitions())


def test_a_decision_moves_through_django_fsm_with_its_signals_once(people, journey, signals):
    case = journey.submitted()
    signals.clear()

    decide(case=case, actor=people.reviewer, decision="approve")

    assert [(kind, sender) for kind, sender, _ in signals] == [("pre", ToyCase), ("post", ToyCase)]
    for _kind, _sender, kwargs in signals:
        assert (kwargs["source"], kwargs["target"], kwargs["name"]) == (S.SUBMITTED, S.INSPECTION, "move_to_inspection")
        assert kwargs["method_kwargs"] == {"code": "approve"}
        assert kwargs["instance"].pk == case.pk
    assert "exception" not in signals[1][2]
    case.refresh_from_db()
    assert case.state == S.INSPECTION


def test_a_transition_moves_through_django_fsm(people, journey, signals):
    case = journey.new()

    do_transition(case=case, actor=people.submitter, code="submit")

    assert [(k, kw["source"], kw["target"], kw["method_kwargs"]) for k, _s, kw in signals] == [
        ("pre", S.DRAFT, S.SUBMITTED, {"code": "submit"}),
        ("post", S.DRAFT, S.SUBMITTED, {"code": "submit"}),
    ]
    assert case.state == S.SUBMITTED


def test_the_protected_state_cannot_be_assigned(people, journey):
    case = journey.new()
    with pytest.raises(AttributeError):
        case.state = S.ACCEPTED
    case.refresh_from_db()
    assert case.state == S.DRAFT


def test_an_undeclared_move_is_refused_by_django_fsm(people, journey, signals):
    case = journey.new()  # draft: the declaration leads nowhere but "submitted"

    with pytest.raises(TransitionNotAllowed) as refused:
        move(case, S.ACCEPTED, TOY, code="approve")
    assert isinstance(refused.value, NotAllowed)  # answered as 403
    assert isinstance(refused.value.__cause__, TransitionNotAllowed)
    with pytest.raises(UndeclaredMove):
        move(case, "nowhere", TOY, code="approve")
    with pytest.raises(TransitionNotAllowed):
        case.move_to_accepted(code="approve")

    assert signals == []
    assert case.state == S.DRAFT
    case.refresh_from_db()
    assert case.state == S.DRAFT
    assert not history_of(case).exists()


def test_the_callers_instance_is_reloaded_not_moved(people, journey, signals):
    """The service moves its locked copy; the caller's instance only takes
    the saved values (one pair of signals, for the locked copy)."""
    case = journey.submitted()
    signals.clear()
    decide(case=case, actor=people.reviewer, decision="return", comment="补充")
    assert (case.state, case.version) == (S.RETURNED, 2)
    assert len(signals) == 2 and signals[0][2]["instance"] is not case
