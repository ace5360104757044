"""Scoring by assigned inspectors, an optional step of a kind's route: the
district names the version's number of inspectors (people holding the
inspector role at the district, none with a conflict of interest with the
case), each scores the case on the campaign's scoring standard (the
engine's: workflows.scoring) on their own task, and the last submission
moves the case on along the declared route (declaration.py). The engine's
parts do the sheet, its checks and totals, the candidates and the
comparison; this module keeps the rows and says who reads them.

Lock order (docs/lock-order.md): the case's row, then an inspection's."""

from django.utils.translation import gettext as _

from awards.roles import Role
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.organisations.access import has_role, memberships
from workflows.organisations.recusal import conflict_reason
from workflows.scoring.assigned import assign_inspectors, named as _named, save_sheet
from workflows.scoring.inspections import comparison_rows, inspector_candidates, mean_of
from workflows.scoring.sheet import Incomplete

from .models import KindCaseState, KindInspection, KindInspectionScore

__all__ = ["Incomplete", "do_assign_inspectors", "do_save_scores"]

# Who reads every submitted sheet of a case: the district.
DISTRICT_ROLES = (Role.DISTRICT_ADMIN, Role.REVIEWER)


def inspectors_needed(case_or_version):
    """How many inspectors score each case, by the version's route (0:
    the route has no scoring)."""
    version = getattr(case_or_version, "kind_version", case_or_version)
    route = version.definition["route"]
    return (route.get("scoring") or {}).get("inspectors", 0) if "scoring" in route["steps"] else 0


def candidates(case):
    """The people the district may send: the inspectors of its district."""
    return inspector_candidates(case.campaign.district, [Role.INSPECTOR])


def do_assign_inspectors(*, case, actor, inspectors, version=None, ip=None):
    """The district administrator names the inspectors of a case awaiting
    them: exactly as many as the version's route asks, each an inspector
    of the district without a conflict of interest with the case (the
    engine's recusal: their own unit, a declared conflict). Each gets a
    scoring task."""
    district = case.campaign.district
    if not has_role(actor, Role.DISTRICT_ADMIN, district):
        raise NotAllowed(_("Only the district administrator assigns inspectors."))
    inspectors = list(dict.fromkeys(inspectors))
    needed = inspectors_needed(case)
    if len(inspectors) != needed:
        raise RuleViolation(_("Choose %(count)s inspectors: the route asks for that many per case.")
                            % {"count": needed})
    allowed = set(candidates(case).values_list("pk", flat=True))
    for user in inspectors:
        if user.pk not in allowed:
            raise RuleViolation(_("%(name)s is not an inspector of the district.") % {"name": _named(user)})
        reason = conflict_reason(user, case)
        if reason:
            raise RuleViolation(_("%(name)s cannot score this case: %(reason)s") % {"name": _named(user),
                                                                                     "reason": reason})
    return assign_inspectors(case=case, actor=actor, inspectors=inspectors, sheet_model=KindInspection,
                             state=KindCaseState.ASSIGNING, version=version, ip=ip)


def own_inspection(user, case):
    """The user's own sheet on the case, or None (an inspector not
    assigned to it has none)."""
    if not user.is_authenticated:
        return None
    return case.inspections.filter(inspector=user).first()


def items_of(case):
    return list(case.campaign.standard_version.ordered_items())


def do_save_scores(*, case, inspection, actor, scores, comment="", submit=False, ip=None):
    """An inspector saves, or submits, their own sheet (`scores`:
    SheetForm.answers). Submitting needs every item scored within its
    points (the standard's checks; Incomplete names the items and nothing
    is saved); the last inspector's submission moves the case on."""
    if inspection.inspector_id != actor.pk:
        raise NotAllowed(_("Only the inspector assigned to this sheet scores it."))
    return save_sheet(case=case, sheet=inspection, actor=actor, scores=scores, comment=comment, submit=submit,
                      ip=ip, standard=case.campaign.standard_version, state=KindCaseState.SCORING,
                      closed_message=_("The inspectors' scoring of this case is over."))


def _reads_all(user, case):
    return any(m.organisation_id == case.campaign.district_id and m.role in DISTRICT_ROLES
               for m in memberships(user))


def scores_shown(user, case):
    """What the case's page shows of the inspectors' sheets: to the
    district, and to an inspector once their own is submitted, the
    submitted sheets side by side with the mean; to an inspector still
    scoring, nothing of the others (independence). None: nothing to show."""
    if case.campaign.standard_version_id is None:
        return None
    inspections = list(case.inspections.select_related("inspector").order_by("assigned_at", "pk"))
    if not inspections:
        return None
    own = next((i for i in inspections if i.inspector_id == user.pk), None)
    if not (_reads_all(user, case) or (own is not None and own.is_submitted)):
        return {"own": own, "inspections": [], "rows": [], "assigned": [], "pending": 0}
    submitted = [i for i in inspections if i.is_submitted]
    scores = KindInspectionScore.objects.filter(inspection__in=submitted)
    return {
        "own": own, "inspections": submitted, "assigned": inspections,
        "rows": comparison_rows(items_of(case), submitted, scores) if submitted else [],
        "mean": mean_of(i.total for i in submitted),
        "pending": len(inspections) - len(submitted),
        "veto_found": any(i.veto_found for i in submitted),
        "version": case.campaign.standard_version,
    }
