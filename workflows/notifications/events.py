"""The registry of notification events: how a stored event (a code and its
data) reads. It imports nothing of the engine, so the model that stores
events and every module that sends one can use it."""

_EVENTS = {}
_LABELS = {}
_KEYED = set()


def register_event(code, render, *, label=None, keyed=False):
    """Say how a notification of `code` reads: `render(data)` returns
    (title, body) in the active language. The module that sends an event
    registers it, so a stored notification is rendered when it is read, in
    the reader's language. `label` (lazy) names the kind of event on the
    page where each user chooses their channels per event. `keyed`: the
    event is sent with a `key` (a reminder told once): its in-app row is
    what remembers it was told, so it cannot be switched off in the app."""
    _EVENTS[code] = render
    _LABELS[code] = label or code
    if keyed:
        _KEYED.add(code)


def in_app_switchable(code):
    """May a user switch the in-app notification of `code` off? Not for a
    keyed event: without its row it would be told again on every run."""
    return code not in _KEYED


def is_registered(code):
    return code in _EVENTS


def registered_events():
    """[(code, label)] of every event, in the order they were registered."""
    return list(_LABELS.items())


def render_event(code, data):
    """(title, body) of a stored event, or None for an unknown code."""
    render = _EVENTS.get(code)
    if render is None:
        return None
    title, body = render(data or {})
    return str(title), str(body or "")
