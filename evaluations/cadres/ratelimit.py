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

The engine's GuessLimit (workflows.security.wrong_guesses) counts them."""

from django.conf import settings

from workflows.security.wrong_guesses import GuessLimit

WINDOW_SECONDS = 600


def _voters(evaluation):
    return max(evaluation.entitled_count, 1)


def address_allowance(evaluation):
    base = getattr(settings, "UNIONFLOW_VOTE_FAILURES", 20)
    per_voter = getattr(settings, "UNIONFLOW_VOTE_FAILURES_PER_VOTER", 2)
    return base + per_voter * _voters(evaluation)


def evaluation_cap(evaluation):
    per_voter = getattr(settings, "UNIONFLOW_VOTE_WRONG_CODES_PER_VOTER", 50)
    return max(per_voter * _voters(evaluation), getattr(settings, "UNIONFLOW_VOTE_WRONG_CODES_MIN", 1000))


WRONG_CODES = GuessLimit("cadres:vote", window=WINDOW_SECONDS, per_address=address_allowance, cap=evaluation_cap,
                         span=60 * 60 * 24 * 31)  # the cap counts over longer than any vote
