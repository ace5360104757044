"""Attempts per address on the voting page, counted in the cache.

Only refused codes count: a meeting's voters often share one address (the
hall's Wi-Fi), and they must not lock each other out by voting; someone
trying codes one after another is stopped after a few mistakes. With
REDIS_URL set, every web process shares the counters."""

import time

from django.conf import settings
from django.core.cache import cache

from workflows.middleware import client_ip

WINDOW_SECONDS = 600


def _key(request):
    return f"unionflow:cadres:vote:{client_ip(request) or 'unknown'}:{int(time.time() // WINDOW_SECONDS)}"


def limit():
    return getattr(settings, "UNIONFLOW_VOTE_FAILURES", 20)


def is_blocked(request):
    return (cache.get(_key(request)) or 0) >= limit()


def record_failure(request):
    key = _key(request)
    cache.add(key, 0, WINDOW_SECONDS * 2)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, WINDOW_SECONDS * 2)
