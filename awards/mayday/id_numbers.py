"""Who reads a nominee's resident ID number in full.

The district federation (its administrators and reviewers) needs the full
number for the dossier, and so do the officers of a department asked for a
sign-off of the case (tax, labour inspection, safety ... check their
records by it), on the page and on the A3 form they print. Everyone else
sees it masked (110***********1234). Every time the full number is shown,
the case's audit log records who, when, where and from which address."""

from django.utils.translation import gettext as _

from workflows.middleware import client_ip
from workflows.security.identity_reads import grant_as_asked_department, grant_at, read_in_full
from awards.roles import Role

from awards.legacy.labels import ID_NUMBER_VIEWED

DISTRICT_ROLES = (Role.DISTRICT_ADMIN, Role.REVIEWER)

# Where the full number was shown (the audit entry's data["where"]).
ON_PAGE = "page"
ON_FORM = "recommendation_form"


def full_id_number_grant(user, nomination):
    """(organisation, role) under which `user` may read the full number, or
    None: a district role at the campaign's district, or an officer of a
    department asked for a sign-off of this nomination."""
    return (grant_at(user, nomination.campaign.district_id, DISTRICT_ROLES)
            or grant_as_asked_department(user, nomination, Role.DEPARTMENT))


def may_read_full_id_number(user, nomination):
    return bool(nomination.id_number) and full_id_number_grant(user, nomination) is not None


def revealed_id_number(request, nomination, where, asked=True):
    """The full number for the request's user, after recording that they saw
    it `where` (workflows.security.identity_reads); "" when not `asked` or
    when the user may read it only masked (nothing is recorded then)."""
    if not (asked and may_read_full_id_number(request.user, nomination)):
        return ""
    return read_in_full(
        nomination, nomination.id_number, grant=full_id_number_grant(request.user, nomination), action=ID_NUMBER_VIEWED,
        actor=request.user, where=where, ip=client_ip(request),
        refusal=_("Only the district federation and the departments asked for a sign-off see the full ID number."))
