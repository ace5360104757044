"""The toy's inspectors on a standard version: the smallest services the
engine's scoring pages (workflows.scoring.pages, .remedies) call. The
district administrator names two or more inspectors (each gets a sheet);
an inspector saves or submits their own sheet (every item scored within
its points to submit); the district asks one to score again or adds one.
Each writes its audit entry; a refusal writes nothing."""

from django.db import transaction
from django.utils import timezone

from tests.engine.toy.declaration import ADMIN
from tests.engine.toy.models import ToyCase, ToyInspection, ToyScore
from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.organisations.access import district_of, has_role
from workflows.scoring.inspections import write_scores
from workflows.scoring.sheet import Incomplete, completeness_errors, total_of


def _locked(case, version):
    locked = ToyCase.objects.select_for_update().get(pk=case.pk)
    if version is not None and version != locked.version:
        raise AlreadyHandled()
    return locked


def _require_admin(actor, case):
    if not has_role(actor, ADMIN, district_of(case.organisation)):
        raise NotAllowed("Only the district administrator names inspectors.")


def assign(*, case, actor, inspectors, standard_version, version, ip=None):
    _require_admin(actor, case)
    if len(set(inspectors)) < 2:
        raise RuleViolation("Name two or more inspectors.")
    with transaction.atomic():
        locked = _locked(case, version)
        ToyInspection.objects.bulk_create([ToyInspection(case=locked, inspector=user, assigned_by=actor,
                                                         version=standard_version) for user in inspectors])
        locked.inspectors.add(*inspectors)  # within the toy's reach (its selector)
        log_action(locked, "toy.inspectors.assigned", actor=actor, organisation=district_of(case.organisation),
                   ip=ip, data={"inspectors": sorted(u.username for u in inspectors)})


def save(*, inspection, actor, answers, comment, submit, ip=None):
    if inspection.inspector_id != actor.pk:
        raise NotAllowed("Only the inspector assigned to this sheet scores it.")
    with transaction.atomic():
        locked = ToyInspection.objects.select_for_update().get(pk=inspection.pk)
        items = list(locked.version.ordered_items())
        new, changed = write_scores(items, {s.item_id: s for s in locked.scores.all()}, answers,
                                    lambda item: ToyScore(inspection=locked, item=item))
        ToyScore.objects.bulk_create(new)
        ToyScore.objects.bulk_update(changed, ["score", "veto_applies", "note"])
        rows = list(locked.scores.all())
        values, vetoes = {s.item_id: s.score for s in rows}, {s.item_id: s.veto_applies for s in rows}
        locked.total, locked.comment = total_of(items, values), comment
        if submit:
            errors = completeness_errors(items, values, vetoes, {}, who="inspector")
            if errors:
                raise Incomplete(errors)  # the atomic block undoes the rows written above
            locked.submitted_at = timezone.now()
        locked.save()
        log_action(locked.case, "toy.scores.submitted" if submit else "toy.scores.saved", actor=actor, ip=ip,
                   organisation=locked.case.organisation, data={"total": str(locked.total)})


def rescore(*, case, actor, inspection, reason, version, ip=None):
    _require_admin(actor, case)
    with transaction.atomic():
        locked = _locked(case, version)
        if inspection.case_id != locked.pk or inspection.submitted_at is None:
            raise RuleViolation("Only an inspector who has submitted can be asked to score again.")
        ToyInspection.objects.filter(pk=inspection.pk).update(submitted_at=None)
        log_action(locked, "toy.inspectors.rescore", actor=actor, organisation=district_of(case.organisation),
                   ip=ip, comment=reason, data={"inspector": inspection.inspector.username})


def add_inspector(*, case, actor, user, reason, version, ip=None):
    _require_admin(actor, case)
    with transaction.atomic():
        locked = _locked(case, version)
        if locked.inspections.filter(inspector=user).exists():
            raise RuleViolation(f"{user.username} already inspects this case.")
        first = locked.inspections.order_by("pk").first()
        ToyInspection.objects.create(case=locked, inspector=user, assigned_by=actor, version=first.version)
        locked.inspectors.add(user)
        log_action(locked, "toy.inspectors.added", actor=actor, organisation=district_of(case.organisation),
                   ip=ip, comment=reason, data={"inspector": user.username})
