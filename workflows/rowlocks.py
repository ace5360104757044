"""Rows a transaction has already locked, so that a later step of the same
decision uses its copy instead of locking and reading the row again.

`mark_locked(instance)` notes that the current transaction (its outermost
atomic block) read `instance` under select_for_update; `holds_lock(instance)`
answers True only inside that same transaction. A copy kept past its
transaction (or marked outside any) is never taken for locked."""

from django.db import connection

_ATTR = "_unionflow_locked_in"


def mark_locked(instance):
    blocks = connection.atomic_blocks
    instance.__dict__[_ATTR] = blocks[0] if blocks else None
    return instance


def holds_lock(instance):
    marked = instance.__dict__.get(_ATTR)
    blocks = connection.atomic_blocks
    return marked is not None and bool(blocks) and blocks[0] is marked


def lock_related_first(case, field_name, queryset=None):
    """Lock the row `case.<field_name>` points to (its round: a campaign
    whose counter numbers certificates, whose figures a decision checks)
    before the case's own (docs/lock-order.md), and keep it on the case
    marked as locked. `queryset`: the related model's, to read more with it."""
    field = type(case)._meta.get_field(field_name)
    rows = field.related_model.objects if queryset is None else queryset
    locked = rows.select_for_update(of=("self",)).filter(pk=getattr(case, field.attname)).first()
    if locked is not None:
        field.set_cached_value(case, mark_locked(locked))
    return locked


def locked_related(case, field_name):
    """The row `case.<field_name>` under this transaction's lock: the copy
    kept by lock_related_first, else locked (again) now."""
    field = type(case)._meta.get_field(field_name)
    kept = case._state.fields_cache.get(field.name)
    if kept is not None and kept.pk == getattr(case, field.attname) and holds_lock(kept):
        return kept
    return field.related_model.objects.select_for_update().get(pk=getattr(case, field.attname))
