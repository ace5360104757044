"""Read access to campaigns and nominations. Every awards view finds its
objects here, so a case outside the user's reach is a 404 everywhere; a case
the user may see but not act on is the service's NotAllowed (403)."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.cases import counts, scoped
from workflows.pages.listing import grouped_by
from workflows.steps.registry import process_for
from workflows.documents.case_certificates import certificate_of, latest_certificates, may_take_copy
from workflows.organisations.access import has_role, memberships
from workflows.exceptions import NotAllowed
from workflows.models import Organisation, OrgKind
from awards.roles import Role

from awards.mayday.models import AwardKind, Campaign, Nomination, NominationState

S = NominationState


# Campaigns ------------------------------------------------------------------

def campaigns_visible_to(user):
    """Campaigns of the districts above (or equal to) the user's
    organisations (workflows.cases.scoped)."""
    return scoped.rounds_above(Campaign, user)


def get_campaign_for(user, code):
    return scoped.rounds_above(Campaign, user, code=code)


def is_district_staff(user, campaign):
    """Holds any role at the campaign's district federation itself."""
    return any(m.organisation_id == campaign.district_id for m in memberships(user))


def state_counts(campaign, user):
    """Rows {state, label, counts, total} over the nominations the user may
    see (workflows.cases.counts)."""
    return counts.state_counts(nominations_visible_to(user).filter(campaign=campaign), S.choices,
                               [(kind, AwardKind(kind).label) for kind in campaign.kinds], "kind")


# Nominations ----------------------------------------------------------------

def nominations_visible_to(user):
    """The user's branch's nominations, and for a department's officers
    those it was asked to sign off; a draft only by its own union
    (workflows.cases.scoped). Its union and campaign come with it: the
    pages, the routing and the deadlines of a decision all read them. (The
    declaration is the registry's: its hooks read this module.)"""
    return scoped.cases_visible_to(process_for(Nomination), user, asked_role=Role.DEPARTMENT,
                                   related=("campaign", "organisation"))


def get_nomination_for(user, pk):
    return scoped.case_or_404(process_for(Nomination), user, pk)


def organisations_with_nominations_visible_to(user):
    return Organisation.objects.filter(pk__in=nominations_visible_to(user).values("organisation")).order_by("path")


def submitting_unions(user, campaign):
    """Grassroots unions under the campaign's district where the user is a
    submitter: the organisations they may nominate for."""
    return [
        m.organisation
        for m in memberships(user)
        if m.role == Role.SUBMITTER
        and m.organisation.kind == OrgKind.GRASSROOTS
        and m.organisation.path.startswith(campaign.district.path)
    ]


def get_certificate_for(user, nomination_pk):
    """The certificate of a nomination the user sees; only the recipient's
    organisation and the district federation may take a copy (403 for the
    branch in between)."""
    certificate = certificate_of(get_nomination_for(user, nomination_pk))
    if certificate is None:
        raise Http404(_("No certificate has been issued for this nomination."))
    if not may_take_copy(user, certificate.owner_organisation):
        raise NotAllowed(_("Only the recipient's union and the district federation may download the certificate."))
    return certificate


def grouped_by_award(nominations, row):
    """[{kind, label, count, organisations: [{organisation, rows: [row(n)]}]}]:
    awards in their order (unit, individual, team), organisations in tree
    order, names in alphabetical order. The award list's page and its paper."""
    return grouped_by(nominations, field="kind", order=AwardKind.values, label=lambda kind: AwardKind(kind).label,
                      name=lambda n: n.nominee_name, row=row)


def awarded_groups(campaign, user):
    """The award list as the user may see it (grouped_by_award); each row
    a nomination carrying `.certificate`, its latest."""
    nominations = list(nominations_visible_to(user).filter(campaign=campaign, state=S.AWARDED))
    certificates = latest_certificates(Nomination, [n.pk for n in nominations])

    def row(nomination):
        nomination.certificate = certificates.get(nomination.pk)
        return nomination

    return grouped_by_award(nominations, row)


# A nomination's page --------------------------------------------------------

INDIVIDUAL_FIELDS = [
    "nominee_name", "gender", "ethnicity", "birth_date", "id_number", "political_status", "education", "sector",
    "work_unit", "post", "job_title", "candidate_category", "honours",
]
GROUP_FIELDS = ["nominee_name", "sector", "legal_representative", "headcount", "work_unit"]
COMMON_FIELDS = ["deeds", "summary", "congress_discussed_on", "contact_phone"]


# What a field is called for an award where the model's name is too general.
KIND_LABELS = {
    AwardKind.INDIVIDUAL: {"nominee_name": gettext_lazy("Full name")},
    AwardKind.UNIT: {
        "nominee_name": gettext_lazy("Name of the unit"),
        "legal_representative": gettext_lazy("Legal representative"),
        "headcount": gettext_lazy("Number of staff"),
        "work_unit": gettext_lazy("Registered name (if different)"),
    },
    AwardKind.TEAM: {
        "nominee_name": gettext_lazy("Name of the team"),
        "legal_representative": gettext_lazy("Head of the team"),
        "headcount": gettext_lazy("Number of members"),
        "work_unit": gettext_lazy("Unit the team belongs to"),
    },
}


def fields_of_kind(kind):
    return (INDIVIDUAL_FIELDS if kind == AwardKind.INDIVIDUAL else GROUP_FIELDS) + COMMON_FIELDS


# What the case page shows and compares between rounds (workflows.cases.revisions),
# registered with the process in awards.mayday.api.
LONG_TEXT_FIELDS = frozenset({"deeds", "summary", "honours"})


def revisions_of(nomination):
    return nomination.revisions.select_related("created_by").order_by("round")


def may_edit(user, nomination):
    return nomination.state in (S.DRAFT, S.RETURNED) and has_role(user, Role.SUBMITTER, nomination.organisation)



