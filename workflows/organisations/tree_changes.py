"""Adding an organisation to the tree, correcting one, moving it under
another parent (the admin calls these; the district import has its own
all-or-nothing path).

Each change is one transaction with the organisation's row locked and one
audit entry naming the acting user and what changed. Organisations are
never deleted: cases, certificates and the audit log refer to them.

A move changes who sees the branch and whose review levels its cases pass
through. An open step already waiting at an organisation the move takes
the branch away from (the old intermediate union reviewing a case of a
union that now belongs to another) would be left with people who no longer
oversee the case, so such a move is refused, naming the cases, until they
have passed that step."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action, register_action_labels
from workflows.exceptions import RuleViolation
from workflows.models import Organisation, OrgKind
from workflows.organisations.recusal import case_subject

CREATED = "workflows.organisation.created"
CHANGED = "workflows.organisation.changed"
MOVED = "workflows.organisation.moved"

register_action_labels({
    CREATED: gettext_lazy("Organisation added"),
    CHANGED: gettext_lazy("Organisation corrected"),
    MOVED: gettext_lazy("Organisation moved"),
})

# The kinds an organisation of each kind may sit under (as the import says,
# with departments under their district).
PARENT_KINDS = {
    OrgKind.DISTRICT: set(),
    OrgKind.INTERMEDIATE: {OrgKind.DISTRICT},
    OrgKind.GRASSROOTS: {OrgKind.DISTRICT, OrgKind.INTERMEDIATE},
    OrgKind.SUB_UNION: {OrgKind.GRASSROOTS},
    OrgKind.DEPARTMENT: {OrgKind.DISTRICT},
}
FIELDS = ("name", "code", "kind", "sector", "parent", "dissolved_on")


def _kinds(kinds):
    return "、".join(str(OrgKind(k).label) for k in sorted(kinds))


def organisation_problem(organisation, *, kind, parent):
    """(field, message) saying why `organisation` cannot be of `kind` under
    `parent`, or None. `organisation.pk` is None for a new one."""
    allowed = PARENT_KINDS.get(kind, set())
    if parent is None and allowed:
        return "parent", _("A %(kind)s belongs under: %(parents)s.") % {
            "kind": _kinds([kind]), "parents": _kinds(allowed)}
    if parent is not None and parent.kind not in allowed:
        if not allowed:
            return "parent", _("A district federation has no parent.")
        return "parent", _("A %(kind)s belongs under: %(parents)s.") % {
            "kind": _kinds([kind]), "parents": _kinds(allowed)}
    if organisation.pk:
        for child in organisation.children.all():
            if kind not in PARENT_KINDS.get(child.kind, set()):
                return "kind", _("%(child)s, below it, cannot sit under a %(kind)s.") % {
                    "child": child.name, "kind": _kinds([kind])}
    if parent is not None and organisation.pk and f"/{organisation.pk}/" in parent.path:
        return "parent", _("An organisation cannot be placed under its own branch.")
    if organisation.pk and parent is not None and organisation.parent_id != parent.pk:
        stranded = steps_left_behind(organisation, parent)
        if stranded:
            return "parent", _(
                "Open steps of these cases wait at an organisation this move takes the branch away from: "
                "%(cases)s. Move it once they have passed those steps."
            ) % {"cases": "、".join(str(c) for c in stranded[:5]) + ("…" if len(stranded) > 5 else "")}
    return None


def steps_left_behind(organisation, new_parent):
    """The cases of `organisation`'s branch with an open step waiting at one
    of its current ancestors that will not be an ancestor after the move."""
    from viewflow.workflow.models import Task
    from workflows.steps.tasks import OPEN_TASK_STATUSES

    old_above = set(organisation.ancestor_ids[:-1])
    new_above = set(new_parent.ancestor_ids)
    left = [str(pk) for pk in old_above - new_above]
    if not left:
        return []
    cases = {}
    tasks = Task.objects.filter(flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES,
                                owner_permission_obj_pk__in=left).select_related("process")
    for task in tasks.order_by("pk"):
        case = task.process.artifact
        unit = case_subject(case).get("organisation") if case is not None else None
        if unit is not None and unit.is_within(organisation):
            cases.setdefault((type(case), case.pk), case)
    return list(cases.values())


def _check(organisation, kind, parent):
    problem = organisation_problem(organisation, kind=kind, parent=parent)
    if problem:
        raise RuleViolation(problem[1])


def _values(organisation):
    return {"name": organisation.name, "code": organisation.code, "kind": organisation.kind,
            "sector": organisation.sector, "parent": organisation.parent_id, "path": organisation.path,
            "dissolved_on": organisation.dissolved_on.isoformat() if organisation.dissolved_on else None}


def do_create_organisation(*, name, code, kind, sector, parent, acting_user, ip=None, dissolved_on=None):
    # Dated, so that the figures of the years before leave it out.
    organisation = Organisation(name=name, code=code, kind=kind, sector=sector or "", parent=parent,
                                established_on=timezone.localdate(), dissolved_on=dissolved_on)
    _check(organisation, kind, parent)
    with transaction.atomic():
        if parent is not None:
            parent = Organisation.objects.select_for_update().get(pk=parent.pk)
        organisation.parent = parent
        organisation.save()
        log_action(organisation, CREATED, actor=acting_user, organisation=organisation, ip=ip,
                   data=_values(organisation))
    return organisation


def do_change_organisation(*, organisation, acting_user, ip=None, **changes):
    """Apply `changes` (some of name, code, kind, sector, parent,
    dissolved_on: the day it left the tree, for the years' figures). A new
    parent is a move: audited as such with the old and new path, refused
    while it would leave open steps behind (see the module's docstring)."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"Not a field an organisation change may set: {sorted(unknown)}")
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = _values(locked)
        _check(locked, changes.get("kind", locked.kind), changes.get("parent", locked.parent))
        for name, value in changes.items():
            setattr(locked, name, value)
        moved = locked.parent_id != before["parent"]
        locked.save()
        after = _values(locked)
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changed:
            log_action(locked, MOVED if moved else CHANGED, actor=acting_user, organisation=locked, ip=ip,
                       data=changed)
    organisation.__dict__.update({k: getattr(locked, k) for k in ("name", "code", "kind", "sector", "path")})
    organisation.parent_id = locked.parent_id
    return changed
