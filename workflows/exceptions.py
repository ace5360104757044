from django.core.exceptions import PermissionDenied
from django_fsm import TransitionNotAllowed
from django.utils.translation import gettext_lazy as _


class AlreadyHandled(Exception):
    """The case moved on while the actor was deciding: someone else took
    this step first. Answered as HTTP 409 and changes nothing."""

    default_message = _("This case has already been handled by someone else.")

    def __init__(self, message=None):
        super().__init__(message or self.default_message)
        self.message = message or self.default_message


def version_seen(value):
    """The version a form carried as a number; one that is no number was
    not seen on any page of the case: stale, like an old one."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise AlreadyHandled() from None


class NotAllowed(PermissionDenied):
    """The user can see the case but this step is not theirs (HTTP 403)."""


class UndeclaredMove(NotAllowed, TransitionNotAllowed):
    """A state change the process does not declare: refused by django-fsm
    (its TransitionNotAllowed), answered as HTTP 403 like NotAllowed."""


class RuleViolation(Exception):
    """A business rule refuses the step; the message says why, in the
    user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
