"""Session limits (等保: forced logout on idle): a signed-in session ends
after UNIONFLOW_IDLE_TIMEOUT_SECONDS without a request, and
UNIONFLOW_SESSION_MAX_SECONDS after its login however busy; 0 switches
either off. The times live in the session (the session is saved on every
request anyway: SESSION_SAVE_EVERY_REQUEST), so the check costs no query.

The test suite's fixtures switch both off (frozen clocks jump days ahead
of a login); tests/workflows/test_session_limits.py switches them on."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

STARTED = "session_started_at"
LAST_SEEN = "session_last_seen_at"


@receiver(user_logged_in)
def _start_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED] = now
        request.session[LAST_SEEN] = now


def expired(session, now):
    """Why the session has ended ("idle", "age") or None."""
    idle, age = settings.UNIONFLOW_IDLE_TIMEOUT_SECONDS, settings.UNIONFLOW_SESSION_MAX_SECONDS
    started, last = session.get(STARTED), session.get(LAST_SEEN)
    if age and started is not None and now - started > age:
        return "age"
    if idle and last is not None and now - last > idle:
        return "idle"
    return None


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            now = time.time()
            why = expired(session, now)
            if why is not None:
                logout(request)
                messages.info(request, _("You were logged out after a long time without activity.") if why == "idle"
                              else _("Your session reached its maximum length: please log in again."))
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            session.setdefault(STARTED, now)
            # Written at most once a refresh interval (config.sessions): a
            # session is not saved on every request, so idleness is measured
            # to within that interval (a minute by default).
            last = session.get(LAST_SEEN)
            if last is None or now - last >= getattr(settings, "UNIONFLOW_SESSION_REFRESH_SECONDS", 60):
                session[LAST_SEEN] = now
        return self.get_response(request)
