"""Cases carried into the kinds from a retired process.

A case carried from a row of another process (`KindCase.carried_from`)
reads that row's audit entries as part of its history: the log is never
rewritten (workflows.history_aliases). What the old entries' codes and
states mean here is registered by the code that carries them (it knows
the retired process; the kinds never name it), into the two maps the
declaration hands the engine. Registration happens in an AppConfig.ready,
before any request reads a history; the engine's checks
(workflows/steps/checks.py) then refuse a code or state the kinds do not
have."""

CODES = {}
STATES = {}


def register_carried_history(*, codes, states):
    """Add {old action code: kinds action code} and {old state: kinds state}."""
    CODES.update(codes)
    STATES.update(states)


def history_aliases(case):
    if case.carried_from_id is None:
        return []
    return [(case.carried_from_type, case.carried_from_id)]
