"""Titles held for a term (称号, workflows.models.titles.HeldTitle): what a
grant, a re-inspection (复查) and the calendar do to them, the same for
every process that grants one.

A process registers its title model once (`register_titles`) and calls,
inside its deciding transaction, `grant` after a granting decision and
`reinspected` after the decision on a re-inspection: keep (a new term),
downgrade (to a lower grade, the certificate revoked and a new one issued) or
revoke (摘牌: the certificate revoked through the engine's service, the
holder told). The daily job `manage.py expire_titles` expires the held
titles past their due date with no re-inspection under way. Each change is
audited on the title (`<key>.title.granted`, `.kept`, `.downgraded`,
`.revoked`, `.expired`); the holder hears under `<key>.event.*`."""

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Optional

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action
from workflows.conflicts import retry_on_conflict
from workflows.documents.issuing import issue_certificate
from workflows.documents.services import certificate_revoke
from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.models import Grade, TitleStatus
from workflows.notifications.mail import users_holding
from workflows.notifications.services import notify, register_event
from workflows.organisations.access import has_role
from workflows.organisations.roles import ADMINISTRATOR
from workflows.rowlocks import locked_related
from workflows.scheduling import register_daily_job

# The reasons a title's certificate carries when it is revoked: the
# verification page and the printed mark read them (已摘牌 / 已到期 / 已降级).
REVOKED_REASON = "摘牌"
EXPIRED_REASON = "到期"
DOWNGRADED_REASON = "降级"

# What the holder hears (the part of the event code after `<key>.event.`).
REINSPECTION_OPENED, TITLE_REVOKED, TITLE_EXPIRED = "reinspection_opened", "title_revoked", "title_expired"
# The audit entry of each decision on a re-inspection.
REINSPECTED = {"keep": "kept", "downgrade": "downgraded", "revoke": "revoked"}


@dataclass(frozen=True)
class TitleRules:
    """A process's titles. `key` prefixes their audit codes and events;
    `model` is "app_label.Model" (a HeldTitle); `round_field` its round
    (a workflows.models.rounds.Round: the granting district, the series and
    counter that number its certificates, printed in `layout`); `name(title)`
    what it is called (on the certificate, to the holder);
    `under_review(title)`: a re-inspection is
    under way (it does not expire meanwhile); `told`: the role at the holder
    whose holders are told; `xlsx(titles)`: the register as an Excel file
    (`manage.py export_titles`), reading the titles with `related`."""

    key: str
    model: str
    round_field: str
    layout: str
    name: Callable[[Any], str]
    under_review: Callable[[Any], bool]
    told: str
    xlsx: Optional[Callable[[Any], bytes]] = None
    related: tuple = ("holder", "certificate")


_registered = []


def register_titles(rules):
    """Register a process's titles: their events, and the daily job that
    expires them."""
    register_event(
        f"{rules.key}.event.{REINSPECTION_OPENED}",
        lambda d: (_("A re-inspection (复查) of your title %(title)s is opened") % d,
                   _("The district will send inspectors; keep your records ready.")),
        label=gettext_lazy("A re-inspection of the unit's title is opened"),
    )
    register_event(
        f"{rules.key}.event.{TITLE_REVOKED}",
        lambda d: (_("Your title %(title)s is revoked (摘牌)") % d, d.get("reason", "")),
        label=gettext_lazy("The unit's title is revoked (摘牌)"),
    )
    register_event(
        f"{rules.key}.event.{TITLE_EXPIRED}",
        lambda d: (_("Your title %(title)s has expired") % d, ""),
        label=gettext_lazy("The unit's title has expired"),
    )
    _registered.append(rules)
    # Titles whose term has run out expire by the calendar, not by a button.
    register_daily_job("expire_titles")
    return rules


def registered(key=""):
    """The registered titles of process `key` (default: the first), or None."""
    return next((rules for rules in _registered if rules.key == key or not key), None)


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def tell_holder(rules, title, event, *, url="", key="", **data):
    """Notify those who speak for the title's holder; inside the deciding
    transaction (the e-mail leaves after commit)."""
    notify(users_holding(rules.told, title.holder_id), event=f"{rules.key}.event.{event}",
           url=url or title.get_absolute_url(), key=key, data={"title": rules.name(title), **data})


def locked_title(rules, pk):
    """The title's row, locked, while it is still held (else AlreadyHandled)."""
    title = apps.get_model(rules.model).objects.select_for_update(of=("self",)).select_related(
        "certificate", "holder").get(pk=pk)
    if not title.is_held:
        raise AlreadyHandled(_("This title is no longer held."))
    return title


def _district(rules, title):
    return getattr(title, rules.round_field).district


def issue_title_certificate(rules, title, actor):
    """Number the title's certificate on its round's counter (the round's
    row locked: kept locked by the decision's lock_first, else locked now)
    and record it."""
    round_ = locked_related(title, rules.round_field)
    seq, number = round_.take_certificate_number()
    title.certificate = issue_certificate(
        subject=title, action=f"{rules.key}.certificate.issued", actor=actor, organisation=round_.district,
        data={"year": round_.year}, series=round_.code, sequence=seq, number=number, holder_name=title.holder.name,
        award_title=rules.name(title), issuer=round_.district.name or settings.UNIONFLOW_ISSUER, layout=rules.layout,
        owner_organisation=title.holder)
    title.save(update_fields=["certificate"])
    return title.certificate


def _revoke_certificate(title, actor, reason):
    """Through the engine's revocation service (audited on the title)."""
    if title.certificate_id and title.certificate.status == "valid":
        certificate_revoke(certificate=title.certificate, actor=actor, reason=reason)


def grant(rules, title, actor, *, data=None):
    """Save `title` (unsaved: holder, grade, term and the process's own
    fields), granted today for its term, and issue its certificate."""
    today = timezone.localdate()
    title.granted_on = title.status_changed_on = today
    title.due_on = add_years(today, title.term_years)
    title.save()
    log_action(title, f"{rules.key}.title.granted", actor=actor, organisation=_district(rules, title),
               role=ADMINISTRATOR, to_state=TitleStatus.VALID, decision=title.grade,
               data={**(data or {}), "due_on": title.due_on.isoformat()})
    issue_title_certificate(rules, title, actor)
    return title


def reinspected(rules, title, code, actor, *, comment="", data=None):
    """The district's decision `code` (keep, downgrade, revoke) on a
    re-inspection of `title` (locked: locked_title), with its reasons."""
    today = timezone.localdate()
    from_status = title.status
    if code == "keep":
        title.due_on = add_years(today, title.term_years)
    elif code == "downgrade":
        _revoke_certificate(title, actor, DOWNGRADED_REASON)
        title.grade, title.status = Grade.QUALIFIED, TitleStatus.DOWNGRADED
        title.due_on = add_years(today, title.term_years)
    else:
        _revoke_certificate(title, actor, REVOKED_REASON)
        title.status = TitleStatus.REVOKED
    title.status_changed_on = today
    title.save()
    log_action(title, f"{rules.key}.title.{REINSPECTED[code]}", actor=actor, organisation=_district(rules, title),
               role=ADMINISTRATOR, from_state=from_status, to_state=title.status, decision=code, comment=comment,
               data=data or {})
    if code == "downgrade":
        issue_title_certificate(rules, title, actor)
    elif code == "revoke":
        tell_holder(rules, title, TITLE_REVOKED, key=f"{rules.key}.revoked:{title.pk}", reason=comment)
    return title


@retry_on_conflict
def open_reinspections(rules, titles, *, actor, open_case, ip=None):
    """Re-inspection (复查) of held titles, in bulk, by the administrator of
    their district: each one held and not already under review gets its
    re-inspection case from `open_case(title)`, audited on the title, and
    the holder is told. Returns the cases."""
    opened = []
    with transaction.atomic():
        for title in apps.get_model(rules.model).objects.select_for_update(of=("self",)).select_related(
            *rules.related
        ).filter(pk__in=[t.pk for t in titles]).order_by("pk"):
            if not has_role(actor, ADMINISTRATOR, _district(rules, title)):
                raise NotAllowed(_("Only the district administrator opens re-inspections."))
            if not title.is_held or rules.under_review(title):
                continue
            case = open_case(title)
            log_action(title, f"{rules.key}.title.reinspection_opened", actor=actor,
                       organisation=_district(rules, title), role=ADMINISTRATOR, ip=ip, data={"reinspection": case.pk})
            tell_holder(rules, title, REINSPECTION_OPENED, url=case.get_absolute_url(),
                        key=f"{rules.key}.reinspection:{case.pk}")
            opened.append(case)
    return opened


def due_titles(titles, *, within_days=90, today=None):
    """Held titles falling due for re-inspection from today to within
    `within_days` ("将在90天内到期"): an overdue one is not "to fall due"
    (the daily job expires it, unless a re-inspection is under way)."""
    today = today or timezone.localdate()
    return titles.filter(status__in=[TitleStatus.VALID, TitleStatus.DOWNGRADED], due_on__gte=today,
                         due_on__lte=today + datetime.timedelta(days=within_days))


@retry_on_conflict
def expire_due(*, today=None):
    """The daily job: held titles past their due date with no re-inspection
    under way expire, their certificates revoked with the reason 到期; the
    holder is told. Idempotent: an expired title is no longer held.
    Returns the titles."""
    today = today or timezone.localdate()
    expired = []
    with transaction.atomic():
        for rules in _registered:
            for title in apps.get_model(rules.model).objects.select_for_update(of=("self",)).select_related(
                "certificate", "holder"
            ).filter(status__in=[TitleStatus.VALID, TitleStatus.DOWNGRADED], due_on__lt=today).order_by("pk"):
                if rules.under_review(title):
                    continue
                from_status = title.status
                _revoke_certificate(title, None, EXPIRED_REASON)
                title.status, title.status_changed_on = TitleStatus.EXPIRED, today
                title.save(update_fields=["status", "status_changed_on"])
                log_action(title, f"{rules.key}.title.expired", actor=None, organisation=_district(rules, title),
                           role="", from_state=from_status, to_state=title.status,
                           data={"due_on": title.due_on.isoformat()})
                tell_holder(rules, title, TITLE_EXPIRED, key=f"{rules.key}.expired:{title.pk}")
                expired.append(title)
    return expired
