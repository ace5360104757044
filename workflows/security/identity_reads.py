"""Reading a case's identity number (a resident ID number) in full: only
those whose job needs it, each reading recorded in the case's history
(who, when, where, from which address); everyone else sees it masked
(workflows.dataforms.identity.masked_id_number).

A process says who may, as a grant: the (organisation, role) under which a
user reads the number, or None. The usual grants are here (a role at the
round's district; an officer of a department asked for the case's
sign-off); `read_in_full` records the reading and gives the number."""

from workflows.audit import log_action
from workflows.exceptions import NotAllowed
from workflows.organisations.access import memberships
from workflows.signoffs.services import asked_departments_of


def grant_at(user, organisation_id, roles):
    """(organisation, role) of the user's membership at `organisation_id`
    in one of `roles`, or None."""
    for m in memberships(user):
        if m.organisation_id == organisation_id and m.role in roles:
            return m.organisation, m.role
    return None


def grant_as_asked_department(user, case, role):
    """(department, role) when the user is an officer (`role`) of a
    department asked to sign off `case` (workflows.signoffs), or None."""
    departments = {m.organisation_id: m.organisation for m in memberships(user) if m.role == role}
    if departments:
        asked = asked_departments_of(case, departments).values_list("department_id", flat=True).first()
        if asked is not None:
            return departments[asked], role
    return None


def read_in_full(case, value, *, grant, action, actor, where, refusal, ip=None):
    """`value` for `actor`, after recording under `action` that they read
    it (`where`: the page, a printed form ...); NotAllowed with `refusal`
    when `grant` is None."""
    if grant is None:
        raise NotAllowed(refusal)
    organisation, role = grant
    log_action(case, action, actor=actor, organisation=organisation, role=role, ip=ip, data={"where": where})
    return value
