"""Who sees which application, and whose scores.

Every page and download of the app reads through these. An application is
visible to its own unit, to the reviewers of the branch above it, to the
district, and to the inspectors assigned to it; anything else is a 404.

Independence of inspectors: `scores_visible_to` and
`inspections_visible_to` return another inspector's scores only once they
are submitted, and to an inspector of the same application only once that
inspector has submitted their own. Views never query InspectionScore or
Inspection directly."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from awards.roles import Role
from workflows.cases import scoped
from workflows.organisations.access import memberships, visible_organisations_q
from workflows.models import OrgKind
from workflows.steps.owned import case_ids_with_task_of
from workflows.organisations.districts import branch_district_ids, units_under

from .models import Application, AppState, Campaign, Inspection, InspectionScore, Title


def _own_org_ids(user):
    return [m.organisation_id for m in memberships(user) if m.role == Role.SUBMITTER]


def campaigns_visible_to(user):
    """Campaigns of the districts above (or equal to) the user's
    organisations (workflows.cases.scoped): another district's is a 404."""
    return scoped.rounds_above(Campaign, user).select_related("standard_version__standard")


def campaign_for(user, code):
    return get_object_or_404(campaigns_visible_to(user), code=code)


def visible_applications(user):
    if not user.is_authenticated:
        return Application.objects.none()
    # Drafts are the unit's own until submitted.
    branch = visible_organisations_q(user) & (~Q(state=AppState.DRAFT) | Q(organisation_id__in=_own_org_ids(user)))
    assigned = Q(pk__in=Inspection.objects.filter(inspector=user).values("application_id")) | Q(
        pk__in=case_ids_with_task_of(user, Application))
    return Application.objects.filter(branch | assigned).select_related("campaign", "organisation")


def application_for(user, pk):
    return get_object_or_404(visible_applications(user), pk=pk)


def is_district_of(user, application):
    return application.campaign.district_id in branch_district_ids(user)


def own_inspection(user, application):
    """The inspection the user scores. Their own, unless the district has
    given its open task to someone else (then it is no longer theirs); or
    the inspection whose open task the district has given to the user by
    name (taken over when they first save: services.inspection_save). A
    substitute (delegation) does not score in another's name: the task's
    owner must be the user."""
    from workflows.steps.actors import open_tasks_of_step

    own = Inspection.objects.filter(application=application, inspector=user).first()
    if application.state != AppState.INSPECTING:
        return own
    tasks = list(open_tasks_of_step(application, "inspect"))
    held = [t for t in tasks if t.owner_id == user.pk]
    if own is not None:
        # Submitted: the task is closed, the sheet is theirs to read.
        return own if own.is_submitted or held else None
    for task in held:
        original = (task.data or {}).get("user")
        inspection = Inspection.objects.filter(application=application, inspector_id=original,
                                               submitted_at__isnull=True).first()
        if inspection is not None:
            return inspection
    return None


def _others_q(user):
    """Other inspectors' sheets the user may read: submitted ones, on
    applications of a district the user works for (not as a pending
    inspector) or on which the user has submitted their own inspection."""
    pending = Inspection.objects.filter(inspector=user, submitted_at__isnull=True).values("application_id")
    submitted_own = Inspection.objects.filter(inspector=user, submitted_at__isnull=False).values("application_id")
    reach = Q(application__campaign__district_id__in=branch_district_ids(user)) | Q(application_id__in=submitted_own)
    return Q(submitted_at__isnull=False) & reach & ~Q(application_id__in=pending)


def inspections_visible_to(user, application=None):
    if not user.is_authenticated:
        return Inspection.objects.none()
    qs = Inspection.objects.filter(Q(inspector=user) | _others_q(user)).select_related("inspector")
    if application is not None:
        qs = qs.filter(application=application)
    return qs.order_by("assigned_at", "pk")


def scores_visible_to(user, application=None):
    """The score rows of the sheets the user may read (just above)."""
    return InspectionScore.objects.filter(inspection__in=inspections_visible_to(user, application)).select_related(
        "inspection")


def visible_titles(user):
    if not user.is_authenticated:
        return Title.objects.none()
    return Title.objects.filter(visible_organisations_q(user, "holder")).select_related("holder", "campaign",
                                                                                         "certificate")


def title_for(user, pk):
    return get_object_or_404(visible_titles(user), pk=pk)


def inspector_candidates(district):
    """Named people the district may send: holders of the inspector role or
    reviewers at the district (the engine's query)."""
    from workflows.scoring.inspections import inspector_candidates as holders

    return holders(district, [Role.INSPECTOR, Role.REVIEWER])


def own_open_inspections(user):
    """The user's scoring tasks still to submit."""
    if not user.is_authenticated:
        return Inspection.objects.none()
    return (
        Inspection.objects.filter(inspector=user, submitted_at__isnull=True, application__state=AppState.INSPECTING)
        .select_related("application", "application__organisation", "application__campaign")
        .order_by("assigned_at", "pk")
    )


def applying_units(user, campaign):
    """The organisations the user may apply for: their own grassroots union
    or sub-union (as its submitter) under the campaign's district."""
    return units_under(campaign.district, [OrgKind.GRASSROOTS, OrgKind.SUB_UNION]).filter(pk__in=_own_org_ids(user))
