"""Limits on wrong guesses of a secret typed on a public page (a one-time
voting code), counted in the shared cache, so a crowd behind one address is
never locked out and guessing stays visible.

Unlike the request limits (ratelimit.py), only an answer the caller judged
a wrong guess counts, and the caller looks the secret up first: a right
one is never refused by a limit. Counters are per scope (one vote): wrong
guesses in one never slow another's users. Two counters: per client
address in a fixed `window`, against `per_address(scope)`; and per scope
over `span` seconds, against `cap(scope)`, whatever the addresses. With
REDIS_URL set, every web process shares the counters."""

import time
from dataclasses import dataclass
from typing import Any, Callable

from django.core.cache import cache

from workflows.middleware import client_ip


def _incr(key, timeout):
    cache.add(key, 0, timeout)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout)


@dataclass(frozen=True)
class GuessLimit:
    name: str  # the cache keys' part
    window: int  # seconds
    per_address: Callable[[Any], int]
    cap: Callable[[Any], int]
    span: int  # seconds the scope's cap counts over

    def _address_key(self, request, scope):
        window = int(time.time() // self.window)
        return f"unionflow:{self.name}:{scope.pk}:{client_ip(request) or 'unknown'}:{window}"

    def _scope_key(self, scope):
        return f"unionflow:{self.name}-wrong:{scope.pk}"

    def is_blocked(self, request, scope):
        """True once this address has made its allowance of wrong guesses
        in `scope` in this window, or the scope has reached its cap."""
        return ((cache.get(self._address_key(request, scope)) or 0) >= self.per_address(scope)
                or (cache.get(self._scope_key(scope)) or 0) >= self.cap(scope))

    def record(self, request, scope):
        _incr(self._address_key(request, scope), self.window * 2)
        _incr(self._scope_key(scope), self.span)
