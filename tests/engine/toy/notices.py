"""The toy's public notice, on the engine's wiring (workflows.notices.wiring):
the toy says what a notice lists; the engine locks, opens, publishes and
moves a case on when its entry passes or an objection is upheld. A case may
be held out of the next notice (workflows.notices.holds)."""

from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.notices.holds import hold_out
from workflows.notices.rounds import publish_batch
from workflows.notices.wiring import register_transition_notices
from workflows.organisations.access import district_of, has_role

from tests.engine.toy.declaration import ADMIN
from tests.engine.toy.models import ToyCase, ToyState

HANDLER = register_transition_notices(
    "toy", model=ToyCase, in_notice=ToyState.IN_NOTICE,
    label=lambda entry: entry.published.get("title") or entry.object_id,
)


def _none_held(locked):
    if any(case.notice_hold for case in locked):
        raise RuleViolation("A case held out of the notice cannot go on it.")


def toy_notice_open(*, cases=None, district, actor, days=5, opened_on=None, title="Toy notice"):
    """Publish `cases` (each awaiting a notice, each of the district's
    branch, none held out) on one notice of `district` (the toy's round);
    with none picked, every case of the branch awaiting one and not held."""
    branch = ToyCase.objects.filter(organisation__path__startswith=district.path)
    notice, _locked = publish_batch(
        scope=district, of_round=branch if cases is not None else branch.filter(notice_hold=""),
        awaiting=ToyState.AWAITING_NOTICE, picked=cases, foreign_message="Not a case of this district.",
        check=_none_held,
        organisation=district, title=title, fields=["title"], days=days, actor=actor, handler=HANDLER,
        opened_on=opened_on, published=None, empty_message="No case awaits a notice.",
    )
    return notice


def _awaiting_notice(locked):
    if locked.state != ToyState.AWAITING_NOTICE:
        raise AlreadyHandled("This case is not awaiting a public notice.")


def toy_notice_hold(*, case, actor, reason):
    """Hold `case` out of the next notice with `reason`, or release it
    (`reason` empty): the district administrator only."""
    district = district_of(case.organisation)
    if not has_role(actor, ADMIN, district):
        raise NotAllowed("Only the district administrator decides what goes on a public notice.")
    held = bool(reason)
    return hold_out(case, reason=reason, awaiting=_awaiting_notice, actor=actor, organisation=district, role=ADMIN,
                    action="toy.case.held_from_notice" if held else "toy.case.released_to_notice",
                    refused="Already held out of the notice." if held else "Not held out of the notice.")
