"""What a user may see of the campaigns and cases of kinds: cases of their
own union, or of the branch below a branch role (reviewer, district
administrator); a draft only by its own union. Anything else is a 404 that
does not say whether it exists."""

from django.db.models import Prefetch, Q
from django.http import Http404

from workflows.models import Organisation, OrgKind
from workflows.organisations.access import memberships, visible_organisations_q
from workflows.organisations.administration import administered_district_ids
from workflows.security.identity_reads import grant_as_asked_department, grant_at
from workflows.signoffs.services import asked_cases_q

from .models import CampaignOffer, KindCampaign, KindCase, KindCaseState, KindInspection


def identity_grant(user, case):
    """(organisation, role) under which `user` reads the case's ID and
    mobile numbers in full, or None: a district administrator or reviewer
    of the campaign's district, or an officer of a department asked for
    the case's sign-off (who checks its records by the number)."""
    from awards.roles import Role

    return (grant_at(user, case.campaign.district_id, (Role.DISTRICT_ADMIN, Role.REVIEWER))
            or grant_as_asked_department(user, case, Role.DEPARTMENT))


def _inspecting_q(user):
    """The cases the user is assigned to score (an inspector at the
    district holds no branch role: these alone)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(pk__in=KindInspection.objects.filter(inspector=user).values("case_id"))


def _asked_q(user):
    """The cases a department of the user's (where they are an officer)
    was asked to sign off, by the engine's requests: from the round that
    asked it on, whatever became of the case; never the others of the
    same version."""
    from awards.roles import Role

    return asked_cases_q(user, KindCase, Role.DEPARTMENT)


def cases_visible_to(user):
    own = [m.organisation_id for m in memberships(user)]
    return (KindCase.objects.filter(visible_organisations_q(user) | _asked_q(user) | _inspecting_q(user))
            .filter(~Q(state=KindCaseState.DRAFT) | Q(organisation_id__in=own))
            .select_related("organisation", "campaign", "kind_version"))


def case_for(user, pk):
    case = cases_visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Http404()
    return case


def campaigns_visible_to(user):
    """The campaigns of the districts the user belongs to (a union applies
    in its district's campaigns)."""
    districts = {m.organisation.ancestor_ids[0] for m in memberships(user)}
    return KindCampaign.objects.filter(district_id__in=districts).select_related("district")


def with_offers(campaigns):
    """Campaigns with their offered versions and kinds in one more query
    for the whole list (read by KindCampaign.offered_versions)."""
    return campaigns.prefetch_related(
        Prefetch("offered", queryset=CampaignOffer.objects.select_related("version__kind").order_by("position")))


def campaign_for(user, pk):
    campaign = with_offers(campaigns_visible_to(user)).filter(pk=pk).first()
    if campaign is None:
        raise Http404()
    return campaign


def administered_campaign(user, pk):
    campaign = with_offers(KindCampaign.objects.select_related("district")).filter(
        pk=pk, district_id__in=administered_district_ids(user)).first()
    if campaign is None:
        raise Http404()
    return campaign


def unions_reached(district):
    """The unions a campaign of `district` reaches: every grassroots union
    of its tree."""
    return (Organisation.objects.filter(path__startswith=district.path, kind=OrgKind.GRASSROOTS)
            .select_related("parent").order_by("path"))


def unions_applying_for(user, campaign):
    """The unions of the campaign's district in which the user may hand in
    a case: where they are the submitter."""
    from awards.roles import Role

    ids = [m.organisation_id for m in memberships(user) if m.role == Role.SUBMITTER]
    return unions_reached(campaign.district).filter(pk__in=ids)
