"""The checks run when the app loads: the toy's declaration is sound; a
declaration that would leave a live case without a task, or route a
decision nowhere, is refused with a sentence saying why."""

import dataclasses

from django.core import checks
from viewflow.workflow import lock

from tests.engine.toy.declaration import TOY
from tests.engine.toy.flows import ToyFlow
from tests.engine.toy.models import ToyState as S
from workflows.steps.checks import check_processes, declaration_problems
from workflows.steps.flows import FLOW_LOCK
from workflows.steps.declaration import Decision, RoleAt, Step
from workflows.steps.registry import flow_of, process_for


def test_the_toy_is_registered_and_sound(db):
    assert process_for(TOY.get_model()) is TOY
    assert flow_of(TOY) is ToyFlow
    assert isinstance(ToyFlow.lock_impl, lock.SelectForUpdateLock) and ToyFlow.lock_impl is FLOW_LOCK
    assert declaration_problems(TOY) == []
    assert [e for e in check_processes() if e.level >= checks.ERROR] == []


def test_a_state_without_a_step_is_refused():
    broken = dataclasses.replace(TOY, key="broken", steps=tuple(s for s in TOY.steps if s.name != "revise"))

    problems = declaration_problems(broken)

    assert any("'returned' must belong to exactly one step" in p for p in problems), problems
    assert any("decision 'return'" in p and "'returned'" in p for p in problems), problems


def test_a_state_owned_twice_a_task_in_a_final_state_a_mute_step_and_an_unknown_state_are_refused():
    extra = (
        Step("again", "Again", states=(S.SUBMITTED, S.ACCEPTED), actor=RoleAt("reviewer"),
             decisions=(Decision("go", "nowhere", "Go"),)),
        Step("mute", "Mute", states=("ghost",), actor=RoleAt("reviewer")),
    )
    broken = dataclasses.replace(TOY, key="broken", steps=TOY.steps + extra)

    problems = declaration_problems(broken)

    assert any("'submitted' must belong to exactly one step" in p for p in problems), problems
    assert any("'again' is open in 'accepted'" in p for p in problems), problems
    assert any("'go'" in p and "'nowhere'" in p for p in problems), problems
    assert any("'mute' offers no decision" in p for p in problems), problems
    assert any("'ghost' is not a state of its model" in p for p in problems), problems


def test_a_fan_out_step_naming_nobody_is_refused():
    steps = tuple(
        dataclasses.replace(s, actor=RoleAt("inspector")) if s.name == "inspect" else s for s in TOY.steps
    )
    problems = declaration_problems(dataclasses.replace(TOY, key="broken", steps=steps))
    assert any("fan-out step 'inspect' names no organisations or people" in p for p in problems), problems


def test_a_bulk_step_without_a_selector_is_refused():
    problems = declaration_problems(dataclasses.replace(TOY, key="broken", selector=None))
    assert any("bulk step needs the process's selector" in p for p in problems), problems


def test_a_history_map_onto_no_code_or_state_of_the_process_is_refused():
    broken = dataclasses.replace(TOY, key="broken", history_code_map={"old.case.passed": "toy.case.aproved"},
                                 history_state_map={"sent": "sumbitted"})
    problems = declaration_problems(broken)
    assert any("'old.case.passed' to 'toy.case.aproved'" in p for p in problems), problems
    assert any("'sent' to 'sumbitted'" in p for p in problems), problems
