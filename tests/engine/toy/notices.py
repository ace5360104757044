"""The toy's public notice: opening one for a batch of cases, and the
handler the notice services call to move a case on."""

from django.db import transaction

from workflows.models import NoticeOutcome
from workflows.notices import services as notices
from workflows.notices.services import register_notice_handler
from workflows.steps.decisions import do_transition

from tests.engine.toy.declaration import ADMIN

HANDLER = "toy"


def toy_notice_open(*, cases, district, actor, days=5, opened_on=None):
    """Publish `cases` (each awaiting a notice) on one notice of `district`."""
    with transaction.atomic():
        notice = notices.open_notice(
            scope=district, organisation=district, title="Toy notice", cases=cases, fields=["title"], days=days,
            actor=actor, handler=HANDLER, opened_on=opened_on,
        )
        for case in cases:
            do_transition(case=case, actor=actor, code="publish", data={"notice": notice.pk})
    return notice


class ToyNoticeHandler:
    def entry_passed(self, entry, *, actor, outcome, comment, ip=None):
        do_transition(
            case=entry.case, actor=actor, code="pass_notice", comment=comment, ip=ip, decision=outcome,
            role=ADMIN if actor else "", organisation=entry.notice.organisation,
        )

    def objection_upheld(self, entry, objection, *, actor, ip=None):
        do_transition(
            case=entry.case, actor=actor, code="uphold_objection", comment=objection.finding, ip=ip,
            decision=NoticeOutcome.UPHELD, role=ADMIN, organisation=entry.notice.organisation,
        )

    def entry_label(self, entry):
        return entry.published.get("title") or entry.object_id


register_notice_handler(HANDLER, ToyNoticeHandler())
