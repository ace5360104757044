"""Public notices (公示) and objections.

A process opens a notice for a batch of its cases (`open_notice`, inside its
own service, after moving each case into its notice state). The notice runs
`window_days` working days from the day it opens, China's holidays and
make-up working days counted by workflows.notices.calendar.

During the window anyone may object (`lodge_objection`): a unit with its name
and a scan bearing its seal, or a person with real name and contact. An open
objection holds its case: the case cannot pass the notice until the
publishing organisation records a finding (`record_finding`): upheld → the
process rejects the case with the finding; dismissed → the case goes on once
the window has closed. A window that closes with no open objection files
"公示无异议" on the case (`close_notice`).

Moving the case is the process's business: the notice's `handler` is the
key under which the process registered (`register_notice_handler`) an
object with

    entry_passed(entry, *, actor, outcome, comment, ip)
    objection_upheld(entry, objection, *, actor, ip)
    entry_label(entry) -> str   (how the notice names a published case)

the first two called inside the notice's transaction; they lock and
transition the case and write its audit entry.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.organisations.access import has_role
from workflows.organisations.roles import ADMINISTRATOR
from workflows.api import webhooks
from workflows.audit import log_action
from workflows.conflicts import retry_on_conflict
from workflows.notices.handlers import notice_handler, register_notice_handler  # noqa: F401 (re-exported)
from workflows.notices.calendar import add_working_days
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import (
    NO_OBJECTION_TEXT,
    NoticeEntry,
    NoticeOutcome,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    ObjectorKind,
    PublicNotice,
    case_q,
)
from workflows.notifications.services import notify, register_event
from workflows.notifications.mail import users_holding
from workflows.documents.uploads import check_upload

# Never published, whatever a campaign asks for: identity numbers, contact
# details, dates of birth. A process should also pass only the fields it
# offers for publication; this is the engine's own floor.
NEVER_PUBLISHED = ("id_number", "id_card", "contact", "phone", "mobile", "email", "address", "birth")


def publishable(field_name):
    lowered = field_name.lower()
    return not any(word in lowered for word in NEVER_PUBLISHED)


def window_end(opened_on, days):
    """The last day of a window of `days` working days opening on
    `opened_on` (counted as the first day when it is a working day)."""
    return add_working_days(opened_on, days)


def open_notice(*, scope, organisation, title, cases, fields, days, actor, handler, opened_on=None, published=None):
    """Create a notice listing `cases`. `published(case)` returns the dict
    of values to publish (the process knows its derived fields); by default
    the `fields` attributes are copied. Forbidden fields are dropped."""
    fields = [f for f in fields if publishable(f)]
    opened_on = opened_on or timezone.localdate()
    notice = PublicNotice.objects.create(
        title=title, organisation=organisation,
        scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk,
        handler=handler, opened_on=opened_on, window_days=days, closes_on=window_end(opened_on, days),
        published_fields=fields, opened_by=actor,
    )
    for position, case in enumerate(cases, 1):
        values = published(case) if published else {f: getattr(case, f, "") for f in fields}
        values = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items() if publishable(k)}
        NoticeEntry.objects.create(
            notice=notice, content_type=ContentType.objects.get_for_model(case), object_id=case.pk,
            position=position, published=values,
        )
    log_action(
        notice, "workflows.notice.opened", actor=actor, organisation=organisation,
        role=ADMINISTRATOR if actor is not None else "",
        data={"cases": len(cases), "from": opened_on.isoformat(), "until": notice.closes_on.isoformat(), "days": days},
    )
    webhooks.notice_opened(notice)
    return notice


def entry_of(case):
    """The case's latest notice entry, or None."""
    return NoticeEntry.objects.filter(case_q(case)).select_related("notice").order_by("-notice__opened_on", "-pk").first()


def open_objections(entry):
    return entry.objections.filter(status=ObjectionStatus.OPEN)


def is_held(case):
    """True while an objection against the case is open."""
    entry = entry_of(case)
    return entry is not None and open_objections(entry).exists()


def _handler(notice):
    return notice_handler(notice.handler)


def _publisher_admins(notice):
    return users_holding(ADMINISTRATOR, notice.organisation_id)


register_event(
    "workflows.event.objection_lodged",
    lambda data: (_("Objection %(ref)s against %(case)s") % data, data.get("text", "")),
    label=gettext_lazy("An objection is lodged"),
)


@retry_on_conflict
def lodge_objection(*, entry, objector_kind, text, contact, unit_name="", seal_scan=None, person_name="", ip=None, today=None):
    """Anyone objects to one entry of an open notice. Returns the Objection
    (its `reference` is the objector's receipt). Bad input raises
    ValidationError with a dict of messages per field."""
    errors = {}
    text, contact = (text or "").strip(), (contact or "").strip()
    unit_name, person_name = (unit_name or "").strip(), (person_name or "").strip()
    if objector_kind not in ObjectorKind.values:
        errors["objector_kind"] = _("Say whether a unit or a person objects.")
    if not text:
        errors["text"] = _("Describe the objection.")
    if not contact:
        errors["contact"] = _("Give a contact (phone or address) so the district can follow up.")
    if objector_kind == ObjectorKind.UNIT:
        if not unit_name:
            errors["unit_name"] = _("Give the unit's name.")
        if seal_scan is None:
            errors["seal_scan"] = _("A unit's objection needs a scan bearing its seal.")
        else:
            try:
                check_upload(seal_scan)
            except ValidationError as exc:
                errors["seal_scan"] = exc.messages[0]
    elif objector_kind == ObjectorKind.PERSON and not person_name:
        errors["person_name"] = _("A person's objection needs their real name.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = PublicNotice.objects.select_for_update().get(pk=entry.notice_id)
        if not notice.is_accepting_objections(today):
            raise RuleViolation(_("This notice is closed; objections are no longer accepted."))
        entry = NoticeEntry.objects.get(pk=entry.pk)
        if entry.outcome != NoticeOutcome.PENDING:
            raise RuleViolation(_("This candidate is no longer under notice."))
        objection = Objection(
            entry=entry, objector_kind=objector_kind, text=text, contact=contact, ip=ip,
            unit_name=unit_name if objector_kind == ObjectorKind.UNIT else "",
            person_name=person_name if objector_kind == ObjectorKind.PERSON else "",
        )
        if objector_kind == ObjectorKind.UNIT:
            objection.seal_scan_name = seal_scan.name[:255]
            objection.seal_scan.save(seal_scan.name, seal_scan, save=False)
        objection.save()
        # The objector's identity stays off the case's history, which the
        # nominating unit reads; only the reference is logged.
        log_action(
            entry.case, "workflows.notice.objection_lodged", organisation=notice.organisation, ip=ip,
            comment=_("Objection %(ref)s lodged during the public notice.") % {"ref": objection.reference},
            data={"reference": objection.reference, "notice": notice.pk, "objector_kind": objector_kind},
        )
        notify(
            _publisher_admins(notice), event="workflows.event.objection_lodged",
            data={"ref": objection.reference, "case": str(entry.case), "text": text[:500]},
            url=_objection_url(objection),
            key=f"objection:{objection.pk}",
        )
    return objection


def _objection_url(objection):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("notice_objection", args=[objection.pk])
    except NoReverseMatch:
        return ""


def _pass(entry, *, actor, ip, handler):
    had_objections = entry.objections.exists()
    outcome = NoticeOutcome.DISMISSED if had_objections else NoticeOutcome.NO_OBJECTION
    comment = (
        NO_OBJECTION_TEXT if not had_objections
        else _("Public notice ended; every objection was dismissed after investigation.")
    )
    entry.outcome = outcome
    entry.resolved_at = timezone.now()
    entry.save(update_fields=["outcome", "resolved_at"])
    handler.entry_passed(entry, actor=actor, outcome=outcome, comment=comment, ip=ip)


@retry_on_conflict
def record_finding(*, objection, actor, upheld, finding, ip=None):
    """The publishing organisation's administrator records the finding on an
    objection. Upheld: the case is rejected with the finding. Dismissed:
    the case goes on once the window has closed and nothing else holds it."""
    finding = (finding or "").strip()
    if not finding:
        raise RuleViolation(_("Write the finding of the investigation."))
    entry_row = NoticeEntry.objects.filter(objections=objection).first()
    with transaction.atomic():
        # The lock order (docs/lock-order.md): the notice, its case, then
        # the objection and the entry.
        notice = PublicNotice.objects.select_for_update().get(pk=entry_row.notice_id)
        _lock_cases([entry_row])
        locked = Objection.objects.select_for_update().select_related("entry", "entry__notice").get(pk=objection.pk)
        if not has_role(actor, ADMINISTRATOR, notice.organisation):
            raise NotAllowed(_("Only the administrator of the publishing organisation records findings."))
        if locked.status != ObjectionStatus.OPEN:
            raise AlreadyHandled()
        locked.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        locked.finding = finding
        locked.found_by = actor
        locked.found_at = timezone.now()
        locked.save()
        entry = NoticeEntry.objects.select_for_update().get(pk=locked.entry_id)
        log_action(
            entry.case, "workflows.notice.objection_upheld" if upheld else "workflows.notice.objection_dismissed",
            actor=actor, organisation=notice.organisation, role=ADMINISTRATOR, comment=finding, ip=ip,
            decision="upheld" if upheld else "dismissed", data={"reference": locked.reference},
        )
        handler = _handler(notice)
        if entry.outcome == NoticeOutcome.PENDING:
            if upheld:
                entry.outcome = NoticeOutcome.UPHELD
                entry.resolved_at = timezone.now()
                entry.save(update_fields=["outcome", "resolved_at"])
                handler.objection_upheld(entry, locked, actor=actor, ip=ip)
            elif notice.status == NoticeStatus.CLOSED and not open_objections(entry).exists():
                _pass(entry, actor=actor, ip=ip, handler=handler)
    objection.status, objection.finding = locked.status, locked.finding
    return locked


@retry_on_conflict
def close_notice(*, notice, actor=None, today=None, ip=None):
    """Close a notice whose window has ended: every entry without an open
    objection passes; the others stay held until their finding. Run by the
    `close_notices` command (actor None) or by the administrator."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
        if actor is not None and not has_role(actor, ADMINISTRATOR, locked.organisation):
            raise NotAllowed(_("Only the administrator of the publishing organisation closes a notice."))
        if locked.status != NoticeStatus.OPEN:
            raise AlreadyHandled()
        if today <= locked.closes_on:
            raise RuleViolation(
                _("The notice runs until %(date)s; it can be closed from the next day.")
                % {"date": locked.closes_on.isoformat()}
            )
        # Every case that may pass, locked in id order before the first write
        # (docs/lock-order.md), then their entries.
        pending = list(locked.entries.filter(outcome=NoticeOutcome.PENDING))
        _lock_cases(pending)
        locked.status = NoticeStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        handler = _handler(locked)
        held = 0
        for entry in locked.entries.select_for_update().filter(outcome=NoticeOutcome.PENDING).order_by("position", "pk"):
            if open_objections(entry).exists():
                held += 1
                log_action(
                    entry.case, "workflows.notice.held", actor=actor, organisation=locked.organisation,
                    role=ADMINISTRATOR if actor is not None else "", ip=ip,
                    comment=_("The public notice ended with an objection still under investigation."),
                )
                continue
            _pass(entry, actor=actor, ip=ip, handler=handler)
        log_action(locked, "workflows.notice.closed", actor=actor, organisation=locked.organisation,
                   role=ADMINISTRATOR if actor is not None else "", ip=ip,
                   data={"held": held})
    notice.status, notice.closed_at = locked.status, locked.closed_at
    return locked


def _lock_cases(entries):
    """Lock the cases of notice entries, in id order per kind of case (one
    notice lists one process's cases)."""
    by_kind = {}
    for entry in entries:
        by_kind.setdefault(entry.content_type_id, []).append(entry.object_id)
    for content_type_id, pks in sorted(by_kind.items()):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk").only("pk"))


def close_due_notices(today=None):
    """Close every open notice whose window has ended; returns them."""
    today = today or timezone.localdate()
    closed = []
    for notice in PublicNotice.objects.filter(status=NoticeStatus.OPEN, closes_on__lt=today).order_by("closes_on", "pk"):
        try:
            closed.append(close_notice(notice=notice, today=today))
        except AlreadyHandled:
            continue
    return closed


def public_notices(today=None):
    """What the public page lists: open notices, newest first."""
    return PublicNotice.objects.filter(status=NoticeStatus.OPEN).order_by("-opened_on", "-pk")


def is_public(notice, now=None):
    """Whether the public may still see `notice`: while it is open, and for
    UNIONFLOW_NOTICE_RETENTION_DAYS after it closed. Past that it holds
    names no longer needed in public; only its publisher sees it."""
    if notice.status != NoticeStatus.CLOSED or notice.closed_at is None:
        return True
    retention = datetime.timedelta(days=settings.UNIONFLOW_NOTICE_RETENTION_DAYS)
    return (now or timezone.now()) < notice.closed_at + retention
