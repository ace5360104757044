"""Editing a case, the same way for every process whose cases are kept as
a draft and revised after a return: `lock_for_editing`, the case's row
locked for an edit; a case returned for revision is edited as the open
revise step's work, so its task is locked and must be the actor's (a
reassignment counts). (Opening a round: workflows.cases.round_opening.)"""

from django.utils.translation import gettext as _

from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.steps.actors import lock_task_for
from workflows.steps.decisions import lock_case


def lock_for_editing(case, actor, *, editable, returned, revise_step, refusal):
    """The case's row, locked (in the caller's transaction), when it is in
    one of the `editable` states (else AlreadyHandled with `refusal`); in
    the `returned` state, the `revise_step` must be the actor's."""
    locked = lock_case(case)
    if locked.state not in editable:
        raise AlreadyHandled(refusal)
    if locked.state == returned:
        try:
            lock_task_for(actor, locked, revise_step)
        except NotAllowed:
            raise NotAllowed(_("This step is not yours to take.")) from None
    return locked
