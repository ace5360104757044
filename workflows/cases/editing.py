"""Opening a round and editing a case, the same way for every process
whose cases are kept as a draft and revised after a return.

- `open_round`: a new round saved with its places (workflows.quotas) and
  one audit entry naming them, in one transaction (the process's service
  has checked who may open it);
- `lock_for_editing`: the case's row locked for an edit; a case returned
  for revision is edited as the open revise step's work, so its task is
  locked and must be the actor's (a reassignment counts)."""

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.quotas.services import create_places
from workflows.steps.actors import lock_task_for
from workflows.steps.decisions import lock_case


def open_round(round_, *, places, actor, action, role, ip=None):
    """Save `round_` (unsaved) opened by `actor` with `places`, a list of
    (organisation, category, count), filed at the round's district."""
    with transaction.atomic():
        round_.created_by = actor
        round_.save()
        create_places(round_, places)
        log_action(round_, action, actor=actor, organisation=round_.district, role=role, ip=ip,
                   data={"quotas": [[o.pk, c, n] for o, c, n in places]})
    return round_


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
