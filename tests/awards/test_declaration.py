"""The May Day route is its declaration: the engine's checks find it sound,
and every case of the demo has exactly the open tasks its state declares."""

import pytest
from django.core.management import call_command

from awards.mayday.declaration import MAYDAY
from awards.mayday.models import Nomination
from awards.mayday.models import NominationState as S
from workflows.steps.checks import declaration_problems
from workflows.steps.declaration import Decision, Process, RoleAt, Step
from workflows.steps.integrity import task_state_problems


def test_the_may_day_declaration_is_sound():
    assert declaration_problems(MAYDAY) == []
    # Every live state belongs to one step, and the derived pairs are the
    # only changes the engine allows.
    live = set(S.values) - set(MAYDAY.final_states) - {MAYDAY.initial}
    assert {state for step in MAYDAY.steps for state in step.states} == live
    assert (S.DRAFT, S.AWARDED) not in MAYDAY.allowed()
    assert (S.DISTRICT_APPROVED, S.AWARDED) in MAYDAY.allowed()


def test_a_declaration_leaving_a_state_without_a_step_is_refused():
    broken = Process(
        key="broken", model="awards.Nomination", title="broken", action_prefix="awards.broken",
        initial=S.DRAFT, final_states=(S.AWARDED,),
        steps=(Step("only", "only", states=(S.SUBMITTED, S.AWARDED), actor=RoleAt("reviewer", lambda c: c),
                    decisions=(Decision("go", S.REJECTED, "go"),)),),
    )
    problems = "\n".join(declaration_problems(broken))
    assert "'confirmed' must belong to exactly one step" in problems
    assert "is open in 'awarded'" in problems
    assert "leads to 'rejected'" in problems


@pytest.mark.django_db
def test_every_case_of_the_demo_has_the_open_tasks_its_state_declares(settings):
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0, stdout=open("/dev/null", "w"))
    nominations = list(Nomination.objects.all())
    assert len({n.state for n in nominations}) >= 8
    assert [p for n in nominations for p in task_state_problems(n)] == []
