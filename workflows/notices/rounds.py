"""Publishing a round's cases on a notice, the same way for every process
whose rounds (a campaign, a period) publish in batches: all the cases
awaiting a notice, or only some of them (a batch the administrator or a
command picked), with a title that says which batch it is.

On the engine's wiring (workflows.notices.wiring.publish_on_notice): the
round's row and the cases are locked there; here a picked case of another
round is refused, one that no longer awaits a notice is handled already
(HTTP 409), and the picked instances the caller holds are updated."""

from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.notices.opening import notices_of
from workflows.notices.wiring import publish_on_notice
from workflows.steps.decisions import sync

_BATCH_NUMERALS = "一二三四五六七八九十"


def batch_title(scope, title):
    """The official (Chinese) `title` of the round's next notice: a second
    batch says so (（第二批）), so two notices never read alike."""
    earlier = notices_of(scope).count()
    if earlier:
        batch = _BATCH_NUMERALS[earlier] if earlier < len(_BATCH_NUMERALS) else str(earlier + 1)
        title += f"（第{batch}批）"
    return title


def published_values(case, fields):
    """What a notice row publishes of a case: the `fields`' values, the
    union ("organisation") by its name."""
    return {name: case.organisation.name if name == "organisation" else getattr(case, name) for name in fields}


def publish_batch(*, scope, of_round, awaiting, picked=None, foreign_message, check=None, **options):
    """publish_on_notice (its `options`) for the round's cases: those of
    `of_round` (a queryset of the round's cases) in state `awaiting`, or
    only the `picked` ones (case instances), each of which must be of the
    round (else NotAllowed with `foreign_message`) and await a notice.
    Returns (notice, the cases as locked and moved)."""
    if picked is None:
        cases = of_round.filter(state=awaiting)
    else:
        pks = {case.pk for case in picked}
        cases = of_round.filter(pk__in=pks)

    def check_picked(locked):
        if picked is not None and len(locked) != len(pks):
            raise NotAllowed(foreign_message)
        if any(case.state != awaiting for case in locked):
            raise AlreadyHandled()
        if check is not None:
            check(locked)

    notice, locked = publish_on_notice(scope=scope, cases=cases, check=check_picked, **options)
    by_pk = {case.pk: case for case in locked}
    for case in picked or ():
        sync(case, by_pk[case.pk])
    return notice, locked
