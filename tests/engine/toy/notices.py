"""The toy's public notice, on the engine's wiring (workflows.notices.wiring):
the toy says what a notice lists; the engine locks, opens, publishes and
moves a case on when its entry passes or an objection is upheld."""

from workflows.notices.wiring import publish_on_notice, register_transition_notices
from workflows.steps.decisions import sync

from tests.engine.toy.models import ToyCase, ToyState

HANDLER = register_transition_notices(
    "toy", model=ToyCase, in_notice=ToyState.IN_NOTICE,
    label=lambda entry: entry.published.get("title") or entry.object_id,
)


def toy_notice_open(*, cases, district, actor, days=5, opened_on=None):
    """Publish `cases` (each awaiting a notice) on one notice of `district`."""
    notice, locked = publish_on_notice(
        scope=district, cases=ToyCase.objects.filter(pk__in=[case.pk for case in cases]), organisation=district,
        title="Toy notice", fields=["title"], days=days, actor=actor, handler=HANDLER, opened_on=opened_on,
        published=None, empty_message="No case awaits a notice.",
    )
    by_pk = {case.pk: case for case in locked}
    for case in cases:  # the caller's instances see the new state
        sync(case, by_pk[case.pk])
    return notice
