"""A case awaiting a public notice held out of the next one (a dispute to
settle first; the others go on it), and released to go on the following
one. The case keeps why in a text field (empty: not held) that the
process's notice opening leaves out; the process checks who may first and
names the audit codes."""

from django.db import transaction

from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled


def hold_out(case, *, reason, awaiting, refused, action, actor, organisation, role, field="notice_hold", ip=None):
    """Hold `case` with `reason`, or release it with `reason` empty: the row
    locked and still `awaiting(locked)` a notice (else AlreadyHandled with
    `awaiting`'s message), not already so (else AlreadyHandled(`refused`)),
    audited as `action`."""
    model = type(case)
    limit = model._meta.get_field(field).max_length
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=case.pk)
        awaiting(locked)
        if bool(getattr(locked, field)) == bool(reason):
            raise AlreadyHandled(refused)
        setattr(locked, field, reason[:limit])
        locked.save(update_fields=[field])
        log_action(locked, action, actor=actor, organisation=organisation, role=role, comment=getattr(locked, field),
                   from_state=locked.state, to_state=locked.state, ip=ip)
    setattr(case, field, getattr(locked, field))
    return case
