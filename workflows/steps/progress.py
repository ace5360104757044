"""What a case's creator hears of it: one notification event per process
and per state the process lists in `notify_creator_in` (confirmed,
approved at a level, under notice, returned, decided), so each user can
switch each kind on or off, in the app and on every channel, on their
channels page. Registered with the process (registry.register); the
stored notification keeps the case and its state and reads in the
reader's language."""

from django.apps import apps
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.notifications.events import register_event

CASE_STATE = "workflows.event.case_state"


def _state_label(data):
    try:
        field = apps.get_model(data["model"])._meta.get_field("state")
    except (KeyError, LookupError):
        return data.get("state", "")
    return dict(field.flatchoices).get(data.get("state"), data.get("state", ""))


def render_case_state(data):
    if data.get("act"):
        # Told as the act (a recount), not as the state it led back to.
        from workflows.audit import action_label

        values = {"subject": data.get("subject", ""), "state": action_label(data["act"])}
        body = _("%(subject)s: %(state)s.") % values
    else:
        values = {"subject": data.get("subject", ""), "state": _state_label(data)}
        body = _("%(subject)s is now: %(state)s.") % values
    if data.get("comment"):
        body += "\n" + _("Reason: %(comment)s") % {"comment": data["comment"]}
    return _("UnionFlow: %(subject)s — %(state)s") % values, body


register_event(CASE_STATE, render_case_state, label=gettext_lazy("A case of yours moves on"))


def progress_event(process, state):
    """The event code the creator of a `process` case is told under when
    it reaches `state`."""
    return f"workflows.event.progress.{process.key}.{state}"


def register_progress_events(process):
    for state in process.notify_creator_in:
        label = getattr(state, "label", state)
        register_event(
            progress_event(process, state), render_case_state,
            label=format_lazy(gettext_lazy("{process}: your case is now “{state}”"), process=process.title,
                              state=label),
        )
