"""Idle expiry of sessions without a write on every request.

A session ends after SESSION_COOKIE_AGE without a request (shared office
PCs): each request must move its expiry on. Django's
SESSION_SAVE_EVERY_REQUEST does that by writing the session row on every
request, a decision's POST included (on SQLite three statements: BEGIN,
UPDATE, COMMIT). This middleware writes it only when its data changed or
when its expiry was last moved on UNIONFLOW_SESSION_REFRESH_SECONDS or more
ago (the moment is kept in the session itself). Invariant: a session's
stored expiry is never more than that many seconds earlier than the last
request plus SESSION_COOKIE_AGE, so the idle limit is kept to within a
minute, and a session that no longer exists is never brought back."""

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware

REFRESHED_KEY = "_unionflow_refreshed"


def _now():
    return int(time.time())


def note_refreshed_at_login(sender, request, user, **kwargs):
    """A login writes the session: note the moment in it, so the requests
    of the next minute need not write it again."""
    session = getattr(request, "session", None)
    if session is not None:
        session[REFRESHED_KEY] = _now()


class IdleExpirySessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None or getattr(session, "modified", False):
            refreshed = session.get(REFRESHED_KEY)  # loads it if nothing has
            # A cookie naming a session that has expired or was deleted
            # leaves nothing after the load: nothing to refresh.
            if not session.is_empty():
                now = _now()
                # A session written anyway notes the moment for free.
                due = refreshed is None or now - refreshed >= settings.UNIONFLOW_SESSION_REFRESH_SECONDS
                if session.modified or due:
                    session[REFRESHED_KEY] = now
        return super().process_response(request, response)
