"""The toy's public notice, on the engine's wiring (workflows.notices.wiring):
the toy says what a notice lists; the engine locks, opens, publishes and
moves a case on when its entry passes or an objection is upheld."""

from workflows.notices.rounds import publish_batch
from workflows.notices.wiring import register_transition_notices

from tests.engine.toy.models import ToyCase, ToyState

HANDLER = register_transition_notices(
    "toy", model=ToyCase, in_notice=ToyState.IN_NOTICE,
    label=lambda entry: entry.published.get("title") or entry.object_id,
)


def toy_notice_open(*, cases, district, actor, days=5, opened_on=None, title="Toy notice"):
    """Publish `cases` (each awaiting a notice, each of the district's
    branch) on one notice of `district` (the toy's round)."""
    notice, _locked = publish_batch(
        scope=district, of_round=ToyCase.objects.filter(organisation__path__startswith=district.path),
        awaiting=ToyState.AWAITING_NOTICE, picked=cases, foreign_message="Not a case of this district.",
        organisation=district, title=title, fields=["title"], days=days, actor=actor, handler=HANDLER,
        opened_on=opened_on, published=None, empty_message="No case awaits a notice.",
    )
    return notice
