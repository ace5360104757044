"""Wrong voting codes, counted in the cache, so a hall is never locked out
and guessing stays hopeless.

- Only a code that does not exist counts as wrong. A code already used is
  a voter re-opening their slip to check, not a guess: it never counts.
- The allowance per address and window scales with the evaluation's voter
  count (a meeting's voters share one address, the hall's Wi-Fi, and each
  may mistype): `UNIONFLOW_VOTE_FAILURES` (20) plus
  `UNIONFLOW_VOTE_FAILURES_PER_VOTER` (2) per voter entitled.
- Counters are per evaluation: wrong codes typed for one evaluation never
  slow another's voters.
- Each evaluation also has a cap on wrong codes over the whole vote
  (`UNIONFLOW_VOTE_WRONG_CODES_PER_VOTER`, 50 per voter, at least
  `UNIONFLOW_VOTE_WRONG_CODES_MIN`, 1,000),
  whatever the addresses.
- A valid unused code is never refused by either: the code is looked up
  first, and the limits apply only to codes that turn out wrong (they are
  then refused with 429 instead of being told "not valid").

Why guessing stays hopeless anyway: a voting code has 60 random bits, so a
guess hits one of N valid codes with probability N / 2^60 (5,000 codes:
4.3e-15). The cap bounds the wrong codes an evaluation will answer one by
one at 50 per voter: even all of them together hit with probability below
50·N² / 2^60 (5,000 voters: 1.1e-9). See docs/ballot-secrecy.md.

With REDIS_URL set, every web process shares the counters."""

import time

from django.conf import settings
from django.core.cache import cache

from workflows.middleware import client_ip

WINDOW_SECONDS = 600
CAP_SECONDS = 60 * 60 * 24 * 31  # longer than any vote


def _voters(evaluation):
    return max(evaluation.entitled_count, 1)


def address_allowance(evaluation):
    base = getattr(settings, "UNIONFLOW_VOTE_FAILURES", 20)
    per_voter = getattr(settings, "UNIONFLOW_VOTE_FAILURES_PER_VOTER", 2)
    return base + per_voter * _voters(evaluation)


def evaluation_cap(evaluation):
    per_voter = getattr(settings, "UNIONFLOW_VOTE_WRONG_CODES_PER_VOTER", 50)
    return max(per_voter * _voters(evaluation), getattr(settings, "UNIONFLOW_VOTE_WRONG_CODES_MIN", 1000))


def _address_key(request, evaluation):
    window = int(time.time() // WINDOW_SECONDS)
    return f"unionflow:cadres:vote:{evaluation.pk}:{client_ip(request) or 'unknown'}:{window}"


def _evaluation_key(evaluation):
    return f"unionflow:cadres:vote-wrong:{evaluation.pk}"


def is_blocked(request, evaluation):
    """True once this address has typed its allowance of wrong codes for
    this evaluation in this window, or the evaluation its cap."""
    return ((cache.get(_address_key(request, evaluation)) or 0) >= address_allowance(evaluation)
            or (cache.get(_evaluation_key(evaluation)) or 0) >= evaluation_cap(evaluation))


def _incr(key, timeout):
    cache.add(key, 0, timeout)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout)


def record_wrong_code(request, evaluation):
    _incr(_address_key(request, evaluation), WINDOW_SECONDS * 2)
    _incr(_evaluation_key(evaluation), CAP_SECONDS)
