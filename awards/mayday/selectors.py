"""Read access to campaigns and nominations. Every awards view finds its
objects here, so a case outside the user's reach is a 404 everywhere; a case
the user may see but not act on is the service's NotAllowed (403)."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.steps.decisions import buttons_for
from workflows.organisations.access import has_role, memberships, visible_organisations_q
from workflows.audit import register_action_labels
from workflows.exceptions import NotAllowed
from workflows.quotas import selectors as quota_selectors
from workflows.models import Certificate, MixRule, Organisation, OrgKind
from awards.roles import Role

from awards.mayday.models import AwardKind, Campaign, Nomination, NominationState

S = NominationState


# Campaigns ------------------------------------------------------------------

def campaigns_visible_to(user):
    """Campaigns of the districts above (or equal to) the user's
    organisations."""
    ancestor_ids = {pk for m in memberships(user) for pk in m.organisation.ancestor_ids}
    return Campaign.objects.filter(district_id__in=ancestor_ids).select_related("district")


def get_campaign_for(user, code):
    return get_object_or_404(campaigns_visible_to(user), code=code)


def is_district_staff(user, campaign):
    """Holds any role at the campaign's district federation itself."""
    return any(m.organisation_id == campaign.district_id for m in memberships(user))


def intermediates_of(district):
    return quota_selectors.intermediates_of(district)


def _concerns(user, organisation):
    """The organisation is the user's, above one of theirs, or in their branch."""
    return quota_selectors.concerns(user, organisation)


def quota_table(campaign, user):
    """Rows {organisation, cells: [{kind, label, used, places}]} for the
    intermediate unions the user is concerned with (workflows.quotas)."""
    return quota_selectors.quota_table(campaign, user)


def state_counts(campaign, user):
    """Rows {state, label, counts: [{kind, label, n}], total} over the
    nominations the user may see, states with none left out."""
    counts = defaultdict(int)
    for row in nominations_visible_to(user).filter(campaign=campaign).values("state", "kind").annotate(n=Count("pk")):
        counts[(row["state"], row["kind"])] = row["n"]
    table = []
    for state, label in S.choices:
        per_kind = [{"kind": kind, "label": kind.label, "n": counts[(state, kind)]} for kind in campaign.kinds]
        total = sum(cell["n"] for cell in per_kind)
        if total:
            table.append({"state": state, "label": label, "counts": per_kind, "total": total})
    return table


# Nominations ----------------------------------------------------------------

def nominations_visible_to(user):
    """The user's organisations' nominations and, for reviewers and district
    administrators, those of the branch below. A draft is the nominating
    union's own work: only its members see it."""
    own_org_ids = {m.organisation_id for m in memberships(user)}
    return (
        Nomination.objects.filter(visible_organisations_q(user) | _signoff_q(user))
        .filter(~Q(state=S.DRAFT) | Q(organisation_id__in=own_org_ids))
        .select_related("campaign", "organisation")
    )


def _signoff_q(user):
    """A department's officers see the nominations their department was
    asked to sign off."""
    from workflows.models import SignoffRequest

    departments = [m.organisation_id for m in memberships(user) if m.role == Role.DEPARTMENT]
    if not departments:
        return Q(pk__in=[])
    return Q(
        pk__in=SignoffRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(Nomination), department_id__in=departments
        ).values("object_id")
    )


def get_nomination_for(user, pk):
    # Its union and campaign come with it: the page, the routing and the
    # deadlines of a decision all read them (one query, not three).
    return get_object_or_404(nominations_visible_to(user).select_related("organisation", "campaign"), pk=pk)


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


def certificate_of(nomination):
    return (
        Certificate.objects.filter(content_type=ContentType.objects.get_for_model(Nomination), object_id=nomination.pk)
        .select_related("document", "owner_organisation")
        .order_by("-created", "-pk")
        .first()
    )


def get_certificate_for(user, nomination_pk):
    """The certificate of a nomination the user sees; only the recipient's
    organisation and the district federation may take a copy (403 for the
    branch in between)."""
    nomination = get_nomination_for(user, nomination_pk)
    certificate = certificate_of(nomination)
    if certificate is None:
        raise Http404(_("No certificate has been issued for this nomination."))
    district_id = certificate.owner_organisation.ancestor_ids[0]
    if not any(m.organisation_id in (certificate.owner_organisation_id, district_id) for m in memberships(user)):
        raise NotAllowed(_("Only the recipient's union and the district federation may download the certificate."))
    return certificate


def may_download_certificate(user, nomination):
    district_id = nomination.organisation.ancestor_ids[0]
    return any(m.organisation_id in (nomination.organisation_id, district_id) for m in memberships(user))


def awarded_groups(campaign, user):
    """The award list as the user may see it: [{kind, label, organisations:
    [{organisation, nominations}]}], awards in the campaign's order,
    organisations in tree order. Each nomination carries `.certificate`."""
    nominations = list(
        nominations_visible_to(user)
        .filter(campaign=campaign, state=S.AWARDED)
        .order_by("organisation__path", "nominee_name", "pk")
    )
    certificates = {
        c.object_id: c
        for c in Certificate.objects.filter(
            content_type=ContentType.objects.get_for_model(Nomination), object_id__in=[n.pk for n in nominations]
        ).order_by("created", "pk")
    }
    groups = []
    for kind in AwardKind.values:
        of_kind = [n for n in nominations if n.kind == kind]
        if not of_kind:
            continue
        by_org = {}
        for nomination in of_kind:
            nomination.certificate = certificates.get(nomination.pk)
            by_org.setdefault(nomination.organisation, []).append(nomination)
        groups.append(
            {
                "kind": kind,
                "label": AwardKind(kind).label,
                "count": len(of_kind),
                "organisations": [{"organisation": org, "nominations": items} for org, items in by_org.items()],
            }
        )
    return groups


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


def available_decisions(user, nomination):
    """The buttons the user may press now, as the May Day declaration
    states them (the step's decisions, then submit and withdraw). The
    services check again: this only chooses the buttons."""
    return buttons_for(user, nomination, transitions=("submit", "withdraw"))


def may_edit(user, nomination):
    return nomination.state in (S.DRAFT, S.RETURNED) and has_role(user, Role.SUBMITTER, nomination.organisation)


# The labels of awards' audit codes, registered in the one registry
# (workflows.audit) when the app is ready; every history shows
# workflows.audit.action_label(code).
ACTION_LABELS = {
    "awards.campaign.opened": gettext_lazy("Campaign opened"),
    "awards.campaign.edited": gettext_lazy("Campaign settings changed"),
    "awards.mix_rule.added": gettext_lazy("Mix rule added"),
    "awards.mix_rule.removed": gettext_lazy("Mix rule removed"),
    "awards.quota.set": gettext_lazy("Quota set"),
    "awards.quota.shared": gettext_lazy("Quota handed down"),
    "awards.nomination.created": gettext_lazy("Draft created"),
    "awards.nomination.edited": gettext_lazy("Edited"),
    "awards.nomination.submitted": gettext_lazy("Submitted"),
    "awards.nomination.resubmitted": gettext_lazy("Resubmitted"),
    "awards.nomination.confirmed": gettext_lazy("Confirmed and sent up"),
    "awards.nomination.approved": gettext_lazy("Approved"),
    "awards.nomination.returned": gettext_lazy("Returned for revision"),
    "awards.nomination.rejected": gettext_lazy("Rejected"),
    "awards.nomination.awarded": gettext_lazy("Awarded"),
    "awards.nomination.not_awarded": gettext_lazy("Not awarded"),
    "awards.nomination.withdrawn": gettext_lazy("Withdrawn"),
    "awards.nomination.signoff_agreed": gettext_lazy("Department agreed"),
    "awards.nomination.signoff_refused": gettext_lazy("Department refused"),
    "awards.nomination.published": gettext_lazy("Put on public notice"),
    "awards.nomination.notice_passed": gettext_lazy("Public notice ended without objection"),
    "awards.certificate.issued": gettext_lazy("Certificate issued"),
    "awards.certificate.reissued": gettext_lazy("Certificate reissued"),
}
register_action_labels(ACTION_LABELS)


def quota_edit_rows(campaign, posted=None):
    """The district's places per intermediate union and award, as inputs
    (workflows.quotas); `posted` keeps what was typed when a save was refused."""
    return quota_selectors.quota_edit_rows(campaign, posted=posted)


def mix_rules_of(campaign):
    return MixRule.objects.filter(scope_type=ContentType.objects.get_for_model(campaign), scope_id=campaign.pk)
