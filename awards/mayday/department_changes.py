"""Adding and correcting a sign-off department (awards.Department; the
admin's "Sign-off departments" calls these). A department is never deleted
(its sign-offs stay on record): it is made inactive.

Each change is one transaction with the department's row locked and one
audit entry naming the acting user and what changed (a correction:
workflows.audited_edits). A department with
sign-offs still awaiting its opinion cannot stop being asked for them:
making it inactive, limiting it to state-owned enterprises or pointing it
at another organisation is refused until those sign-offs are answered
(otherwise the cases would wait on a department that is no longer asked,
or ask one that no longer gives the opinion)."""

from django.db import transaction
from django.utils.translation import gettext as _

from awards.mayday.models import Department
from workflows.audit import log_action
from workflows.audited_edits import edit_locked
from workflows.exceptions import RuleViolation
from workflows.models import OrgKind, SignoffRequest, SignoffStatus

CREATED = "awards.department.created"
CHANGED = "awards.department.changed"

FIELDS = ("organisation", "function", "state_owned_only", "active")


def department_problem(department, *, organisation, active, state_owned_only):
    """(field, message) saying why `department` cannot become so, or None.
    `department.pk` is None for a new one; its other fields are as stored."""
    if organisation.kind != OrgKind.DEPARTMENT:
        return "organisation", _("Choose an organisation of the kind “Government department”.")
    if not department.pk:
        return None
    narrowed = {
        "active": department.active and not active,
        "state_owned_only": state_owned_only and not department.state_owned_only,
        "organisation": organisation.pk != department.organisation_id,
    }
    field = next((name for name, yes in narrowed.items() if yes), None)
    if field is None:
        return None
    pending = SignoffRequest.objects.filter(department_id=department.organisation_id, status=SignoffStatus.PENDING)
    count = pending.count()
    if count:
        return field, _(
            "%(dept)s still has %(n)d sign-off(s) awaiting its opinion; it keeps being asked until they are answered."
        ) % {"dept": department.organisation.name, "n": count}
    return None


def _check(department, **wanted):
    problem = department_problem(department, **wanted)
    if problem:
        raise RuleViolation(problem[1])


def _values(department):
    return {"organisation": department.organisation_id, "function": department.function,
            "state_owned_only": department.state_owned_only, "active": department.active}


def do_create_department(*, organisation, function, state_owned_only=False, active=True, acting_user, ip=None):
    department = Department(organisation=organisation, function=function, state_owned_only=state_owned_only,
                            active=active)
    _check(department, organisation=organisation, active=active, state_owned_only=state_owned_only)
    with transaction.atomic():
        department.save()
        log_action(department, CREATED, actor=acting_user, organisation=organisation, ip=ip,
                   data=_values(department))
    return department


def do_change_department(*, department, acting_user, ip=None, **changes):
    """Apply `changes` (some of organisation, function, state_owned_only,
    active), refused as the module's docstring says."""
    return edit_locked(
        department, changes, fields=FIELDS, values=_values, related=("organisation",), action=CHANGED,
        check=lambda locked: _check(locked, **{name: changes.get(name, getattr(locked, name))
                                               for name in ("organisation", "active", "state_owned_only")}),
        actor=acting_user, organisation=lambda locked: locked.organisation, ip=ip)
