import ipaddress

from django.conf import settings
from django.shortcuts import render

from django.db import OperationalError

from workflows.conflicts import TryAgain, is_lock_conflict
from workflows.exceptions import AlreadyHandled


class AlreadyHandledMiddleware:
    """Turns a lost race anywhere in a view into a clear 409 page: a case
    someone else moved on, and a deadlock or serialization failure that a
    service's retry (workflows.conflicts) did not get past or a path without
    one met (nothing was saved: the transaction rolled back)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AlreadyHandled):
            return render(request, "already_handled.html", {"message": exception.message}, status=409)
        if isinstance(exception, OperationalError) and is_lock_conflict(exception):
            return render(request, "already_handled.html", {"message": TryAgain().message}, status=409)
        return None


def client_ip(request):
    """The address of the person, for the audit log and rate limits. Behind
    TRUSTED_PROXY_COUNT reverse proxies it is read from X-Forwarded-For,
    counting from the right (the part our own proxies appended), so a client
    cannot choose it; without proxies, REMOTE_ADDR."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(hops) >= proxies:
            return _valid_ip(hops[-proxies])
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
