"""Wrong voting codes, counted per evaluation by the engine's GuessLimit
(workflows.security.wrong_guesses), so a hall is never locked out and
guessing stays hopeless (docs/ballot-secrecy.md gives the rules and the
odds). Only a code that does not exist counts as wrong, and a valid unused
code is never refused: it is looked up first. The allowance per address and
window grows with the voters entitled (a meeting's voters share the hall's
Wi-Fi, and each may mistype); the cap counts over the whole vote."""

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
