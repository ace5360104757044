"""Correcting an open campaign's settings (the admin's campaign page calls
this; the campaign form checks the same rules when a campaign opens).

`campaign_problems` is the one place the settings are judged, with the
engine's rules for a round's settings (workflows.round_settings: a
certificate-number format that numbers each certificate, notice fields a
notice may show, working days per step of the May Day declaration); at
least one award is offered, and an award is not withdrawn while
nominations for it exist.

`do_edit_campaign` locks the campaign's row, judges the settings again,
saves and writes one audit entry naming the acting user with each field's
old and new value (workflows.audited_edits). Code, district and year are
never changed (certificates and documents refer to the campaign by its
code), nor quotas and mix rules (their own pages)."""

from django.utils.translation import gettext as _

from awards.mayday.declaration import MAYDAY
from awards.mayday.models import NOTICE_FIELD_CHOICES, OFFERS, AwardKind, Nomination
from awards.roles import Role
from workflows.audited_edits import edit_locked
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.organisations.access import has_role
from workflows.round_settings import certificate_number_format_problem, notice_fields_problem, step_days_problem

EDITABLE = (
    "title", "submission_deadline", "offers_unit_award", "offers_individual_award", "offers_team_award",
    "certificate_number_format", "issuer", "notice_days", "notice_fields", "step_deadline_days",
)
CHECKS = {
    "certificate_number_format": certificate_number_format_problem,
    "notice_fields": lambda value: notice_fields_problem(value, NOTICE_FIELD_CHOICES),
    "step_deadline_days": lambda value: step_days_problem(MAYDAY, value),
}


def campaign_problems(campaign, values):
    """{field: message} for the settings `values` (field → value) of
    `campaign` (saved or not); {} when they hold."""
    problems = {}
    for name, check in CHECKS.items():
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
    if not (acting_user.is_superuser or has_role(acting_user, Role.DISTRICT_ADMIN, campaign.district)):
        raise NotAllowed(_("Only the district administrator can change a campaign."))

    def check(locked):
        problems = campaign_problems(locked, changes)
        if problems:
            raise RuleViolation(next(iter(problems.values())))

    return edit_locked(campaign, changes, fields=EDITABLE, check=check, action="awards.campaign.edited",
                       actor=acting_user, organisation=lambda locked: locked.district, role=Role.DISTRICT_ADMIN,
                       shown=str, ip=ip)
