"""Lock conflicts at the service boundary: a transaction that meets a
deadlock or a serialization failure is run once more, and if it meets one
again the user is told to try again (HTTP 409), never shown a 500.

The row locks are taken in one order (docs/lock-order.md), so a deadlock
should not happen; this is the net under it (a path written later, a lock
PostgreSQL takes on its own, a foreign key's share lock...).

`retry_on_conflict` wraps a service that opens its own transaction. It
retries only at the outermost boundary: called inside someone else's
transaction, the conflict is left to that transaction's own boundary
(retrying the inner part alone would run it in a transaction PostgreSQL
has already aborted)."""

import functools
import logging

from django.db import OperationalError, transaction
from django.utils.translation import gettext_lazy as _

from workflows.exceptions import AlreadyHandled

logger = logging.getLogger(__name__)

# SQLSTATE of the two conflicts PostgreSQL resolves by aborting one side.
DEADLOCK_DETECTED = "40P01"
SERIALIZATION_FAILURE = "40001"
RETRIED_STATES = (DEADLOCK_DETECTED, SERIALIZATION_FAILURE)


class TryAgain(AlreadyHandled):
    """Two requests needed the same rows at the same moment and the retry
    met the conflict again: nothing was saved (answered as HTTP 409)."""

    default_message = _("Someone else was changing the same records at that moment; nothing was saved. "
                        "Please try again.")


def is_lock_conflict(exc):
    """Is `exc` (as Django raises it) a deadlock or a serialization failure?"""
    cause = exc.__cause__ if exc.__cause__ is not None else exc
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return state in RETRIED_STATES


def retry_on_conflict(service):
    """Run `service` again once when its transaction met a lock conflict;
    a second conflict raises TryAgain. Only at the outermost transaction."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        if transaction.get_connection().in_atomic_block:
            return service(*args, **kwargs)
        try:
            return service(*args, **kwargs)
        except OperationalError as exc:
            if not is_lock_conflict(exc):
                raise
            logger.warning("%s met a lock conflict (%s); running it once more", service.__qualname__, exc)
        try:
            return service(*args, **kwargs)
        except OperationalError as exc:
            if not is_lock_conflict(exc):
                raise
            logger.warning("%s met a lock conflict again (%s); the user is asked to try again",
                           service.__qualname__, exc)
            raise TryAgain() from exc

    run.retries_on_conflict = True
    return run
