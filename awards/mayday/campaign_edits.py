"""Correcting an open campaign's settings (the admin's campaign page calls
this; the campaign form checks the same rules when a campaign opens).

`campaign_problems` is the one place the settings are judged: a
certificate-number format must produce a number per certificate (with
{year} and {seq} only, and {seq} present, or every award would fail on the
second certificate's duplicate number); the fields published on the notice
are only those a notice may show (never an ID number or a phone); the
working days per step name the May Day steps with deadlines, 1 to 60 each;
at least one award is offered, and an award is not withdrawn while
nominations for it exist.

`do_edit_campaign` locks the campaign's row, judges the settings again,
saves and writes one audit entry naming the acting user with each field's
old and new value. Code, district and year are never changed (certificates
and documents refer to the campaign by its code), nor quotas and mix rules
(their own pages)."""

from django.db import transaction
from django.utils.translation import gettext as _

from awards.mayday.declaration import MAYDAY
from awards.mayday.models import NOTICE_FIELD_CHOICES, AwardKind, Campaign, Nomination
from awards.roles import Role
from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.organisations.access import has_role

EDITABLE = (
    "title", "submission_deadline", "offers_unit_award", "offers_individual_award", "offers_team_award",
    "certificate_number_format", "issuer", "notice_days", "notice_fields", "step_deadline_days",
)
OFFERS = {"offers_unit_award": AwardKind.UNIT, "offers_individual_award": AwardKind.INDIVIDUAL,
          "offers_team_award": AwardKind.TEAM}
DEADLINE_STEP_NAMES = [step.name for step in MAYDAY.steps if step.deadline_days]


def certificate_number_format_problem(value):
    try:
        value.format(year=2000, seq=1)
    except (KeyError, IndexError, ValueError, AttributeError):
        return _("Use only {year} and {seq} as placeholders, e.g. 工奖〔{year}〕第{seq:04d}号.")
    if "{seq" not in value or value.format(year=2000, seq=1) == value.format(year=2000, seq=2):
        return _("The format must contain {seq}, or all certificates get the same number.")
    return None


def _notice_fields_problem(value):
    offered = {name for name, _label in NOTICE_FIELD_CHOICES}
    if not isinstance(value, list) or not all(isinstance(v, str) and v in offered for v in value):
        return _("Choose among: %(fields)s.") % {"fields": ", ".join(sorted(offered))}
    return None


def _step_days_problem(value):
    if not isinstance(value, dict):
        return _("Give step name → working days, e.g. {\"confirm\": 5}.")
    for name, days in value.items():
        if name not in DEADLINE_STEP_NAMES:
            return _("%(name)s is not a step with a deadline; the steps are: %(steps)s.") % {
                "name": name, "steps": ", ".join(DEADLINE_STEP_NAMES)}
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
            return _("Working days for %(name)s must be a whole number from 1 to 60.") % {"name": name}
    return None


def campaign_problems(campaign, values):
    """{field: message} for the settings `values` (field → value) of
    `campaign` (saved or not); {} when they hold."""
    problems = {}
    checks = {
        "certificate_number_format": certificate_number_format_problem,
        "notice_fields": _notice_fields_problem,
        "step_deadline_days": _step_days_problem,
    }
    for name, check in checks.items():
        if name in values and (problem := check(values[name])):
            problems[name] = problem
    offers = {name: values.get(name, getattr(campaign, name)) for name in OFFERS}
    if not any(offers.values()):
        problems[None] = _("Offer at least one award.")
    elif campaign.pk:
        for name, kind in OFFERS.items():
            if getattr(campaign, name) and not offers[name] and Nomination.objects.filter(
                    campaign=campaign, kind=kind).exists():
                problems[name] = _("There are nominations for %(award)s; it cannot be withdrawn.") % {
                    "award": AwardKind(kind).label}
    return problems


def do_edit_campaign(*, campaign, changes, acting_user, ip=None):
    """Apply `changes` (field → value, fields of EDITABLE). Raises
    RuleViolation naming the first problem; returns the changed fields."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not a field a campaign correction may set: {sorted(unknown)}")
    if not (acting_user.is_superuser or has_role(acting_user, Role.DISTRICT_ADMIN, campaign.district)):
        raise NotAllowed(_("Only the district administrator can change a campaign."))
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        problems = campaign_problems(locked, changes)
        if problems:
            raise RuleViolation(next(iter(problems.values())))
        changed = {name: [str(getattr(locked, name)), str(value)] for name, value in changes.items()
                   if getattr(locked, name) != value}
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changes) or None)
        if changed:
            log_action(locked, "awards.campaign.edited", actor=acting_user, organisation=locked.district,
                       role=Role.DISTRICT_ADMIN, ip=ip,
                       data=changed)
    for name in changes:
        setattr(campaign, name, getattr(locked, name))
    return changed
