"""Correcting a stored row (a round's settings, a sign-off department)
from the admin or a settings page, the same way everywhere: one
transaction with the row locked, the caller's rules judged again on the
locked row, and one audit entry naming the acting user with each changed
field's old and new value (none when nothing changed)."""

from django.db import transaction

from workflows.audit import log_action


def edit_locked(instance, changes, *, fields, check, action, actor, organisation, values=None, shown=None,
                related=(), role=None, ip=None):
    """Apply `changes` (field → value, fields of `fields`) to `instance`'s
    row and return {field: [old, new]} of what changed.

    - ``check(locked)`` raises (RuleViolation) when the changes may not be
      made to the locked row as it is;
    - ``values(row)``: {field: value} compared before and after (default:
      the `fields`' values);
    - ``shown(value)``: how a value is kept in the audit entry (default:
      as it is);
    - ``organisation(locked)``: where the audit entry is filed (after the
      change)."""
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValueError(f"Not a field this change may set: {sorted(unknown)}")
    values = values or (lambda row: {name: getattr(row, name) for name in fields})
    shown = shown or (lambda value: value)
    with transaction.atomic():
        locked = type(instance).objects.select_for_update().select_related(*related).get(pk=instance.pk)
        check(locked)
        before = values(locked)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changes) or None)
        changed = {name: [shown(before[name]), shown(value)] for name, value in values(locked).items()
                   if before[name] != value}
        if changed:
            log_action(locked, action, actor=actor, organisation=organisation(locked), role=role, ip=ip,
                       data=changed)
    for name in fields:
        setattr(instance, name, getattr(locked, name))
    return changed
