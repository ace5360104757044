"""Who reads a nominee's resident ID number in full.

The district federation (its administrators and reviewers) needs the full
number for the dossier, and so do the officers of a department asked for a
sign-off of the case (tax, labour inspection, safety ... check their
records by it), on the page and on the A3 form they print. Everyone else
sees it masked (110***********1234). Every time the full number is shown,
the case's audit log records who, when, where and from which address."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action, register_action_labels
from workflows.exceptions import NotAllowed
from awards.roles import Role
from workflows.signoffs.services import asked_departments_of
from workflows.organisations.access import memberships

ID_NUMBER_VIEWED = "awards.nomination.id_number_viewed"
register_action_labels({ID_NUMBER_VIEWED: gettext_lazy("Full ID number viewed")})

DISTRICT_ROLES = (Role.DISTRICT_ADMIN, Role.REVIEWER)

# Where the full number was shown (the audit entry's data["where"]).
ON_PAGE = "page"
ON_FORM = "recommendation_form"


def full_id_number_grant(user, nomination):
    """(organisation, role) under which `user` may read the full number, or
    None: a district role at the campaign's district, or an officer of a
    department asked for a sign-off of this nomination."""
    mine = memberships(user)
    district_id = nomination.campaign.district_id
    for m in mine:
        if m.organisation_id == district_id and m.role in DISTRICT_ROLES:
            return m.organisation, m.role
    departments = {m.organisation_id: m.organisation for m in mine if m.role == Role.DEPARTMENT}
    if departments:
        asked = asked_departments_of(nomination, departments).values_list("department_id", flat=True).first()
        if asked is not None:
            return departments[asked], Role.DEPARTMENT
    return None


def may_read_full_id_number(user, nomination):
    return bool(nomination.id_number) and full_id_number_grant(user, nomination) is not None


def id_number_reveal(*, nomination, actor, where, ip=None):
    """The full number for `actor`, after recording that they saw it."""
    grant = full_id_number_grant(actor, nomination)
    if grant is None:
        raise NotAllowed(_("Only the district federation and the departments asked for a sign-off see the full ID number."))
    organisation, role = grant
    log_action(
        nomination, ID_NUMBER_VIEWED, actor=actor, organisation=organisation, role=role, ip=ip,
        data={"where": where},
    )
    return nomination.id_number
