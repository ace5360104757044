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
