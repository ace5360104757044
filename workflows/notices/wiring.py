"""A process's public notice (公示), wired once by the engine.

A process says what a notice lists and which of its declared transitions
move a case on; the engine does the rest, the same for every process:

- `publish_on_notice`: the scope's row locked (one notice at a time per
  campaign: a second press finds nothing), every case locked in id order
  before the first write (docs/lock-order.md), the notice opened, each
  case moved through the process's `publish` transition, taken by whoever
  may take its notice step;
- `TransitionNoticeHandler`: the handler workflows.notices.services calls
  when an entry passes or an objection is upheld, taking the process's
  `pass_notice` / `uphold_objection` transition as the publishing
  organisation's administrator.

The public pages, the objections, the administrator's notice page and the
closing are the engine's (workflows.notices.views, under /notices/)."""

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.exceptions import AlreadyHandled, RuleViolation
from workflows.models import NoticeOutcome
from workflows.notices import services as notices
from workflows.notices.handlers import register_notice_handler
from workflows.organisations.roles import ADMINISTRATOR
from workflows.steps.decisions import do_transition


class TransitionNoticeHandler:
    """Moves a case of `model` on when its notice entry passes (the
    `pass_code` transition, its outcome as the decision) or an objection
    against it is upheld (`uphold_code`, with the finding), inside the
    notice's transaction. A case no longer in `in_notice` has been handled.
    `label(entry)` names the entry on the administrator's pages."""

    def __init__(self, *, model, in_notice, label, pass_code="pass_notice", uphold_code="uphold_objection",
                 role=ADMINISTRATOR):
        self.model, self.in_notice, self.label = model, in_notice, label
        self.pass_code, self.uphold_code, self.role = pass_code, uphold_code, role

    def _in_notice(self, entry):
        case = self.model.objects.get(pk=entry.object_id)
        if case.state != self.in_notice:
            raise AlreadyHandled()
        return case

    def entry_passed(self, entry, *, actor, outcome, comment, ip=None):
        # The closing command has no actor: no role is claimed for it.
        do_transition(
            case=self._in_notice(entry), actor=actor, code=self.pass_code, comment=comment, ip=ip,
            decision=outcome, role=self.role if actor else "", organisation=entry.notice.organisation,
            data={"notice": entry.notice_id},
        )

    def objection_upheld(self, entry, objection, *, actor, ip=None):
        do_transition(
            case=self._in_notice(entry), actor=actor, code=self.uphold_code, comment=objection.finding, ip=ip,
            decision=NoticeOutcome.UPHELD, role=self.role, organisation=entry.notice.organisation,
            data={"objection": objection.reference},
        )

    def entry_label(self, entry):
        return self.label(entry)


def register_transition_notices(key, **handler_options):
    """Register the process's notice handler under `key` (stored on its
    notices); returns `key` for the process's `publish_on_notice` calls."""
    register_notice_handler(key, TransitionNoticeHandler(**handler_options))
    return key


def publish_on_notice(*, scope, cases, organisation, title, fields, days, actor, handler, published,
                      empty_message, order=None, check=None, opened_on=None, ip=None, publish_code="publish"):
    """Open a notice of `scope` (a campaign) listing `cases` (a queryset of
    the cases to publish, with the related rows `published` reads; read
    under the scope's lock) and move each
    through the process's `publish_code` transition. `order(case)` sorts
    the list as published (after the id-order locking); `check(locked)`
    refuses what the process does not allow (raise); `published(case)` is
    the dict a row publishes; `title` may be a callable, read under the
    lock (a second batch's title counts the notices before it). Runs in the caller's transaction, or its own.
    Returns (notice, the cases as locked and moved)."""
    with transaction.atomic():
        type(scope).objects.select_for_update().filter(pk=scope.pk).first()
        locked = list(cases.select_for_update(of=("self",)).order_by("pk"))
        if order is not None:
            locked.sort(key=order)
        if check is not None:
            check(locked)
        if not locked:
            raise RuleViolation(str(empty_message))
        notice = notices.open_notice(
            scope=scope, organisation=organisation, title=title() if callable(title) else title, cases=locked, fields=fields, days=days,
            actor=actor, handler=handler, opened_on=opened_on, published=published,
        )
        for case in locked:
            do_transition(
                case=case, actor=actor, code=publish_code, ip=ip, data={"notice": notice.pk},
                comment=_("On public notice from %(start)s to %(end)s.")
                % {"start": notice.opened_on.isoformat(), "end": notice.closes_on.isoformat()},
            )
    return notice, locked
