"""Parts of a declaration most processes share, so a process names them
instead of writing them again: the intermediate union where a step's actor
sits (the union itself and its district: workflows.steps.places), who
hears of an overdue step, the line a page shows once a decision is taken,
and the working days a round sets per step."""

from workflows.models import OrgKind


def at_intermediate(case):
    """The intermediate union above the case's union (None: none above)."""
    return case.organisation.ancestor_of_kind(OrgKind.INTERMEDIATE)


def escalate_above(role):
    """`Step.escalate_to`: the holders of `role` one level above the
    overdue step's organisation; for the district itself, its
    administrators."""
    def users(organisation):
        from workflows.notifications.mail import users_holding
        from workflows.organisations.roles import ADMINISTRATOR

        if organisation.parent_id:
            return users_holding(role, organisation.parent_id)
        return users_holding(ADMINISTRATOR, organisation.pk)
    return users


def done_messages(messages):
    """`Process.done_message` from {decision or transition code: message}:
    the line a page shows once it is taken (None: the engine's own)."""
    def done_message(case, decision):
        message = messages.get(decision if isinstance(decision, str) else decision.code)
        return str(message) if message else None
    return done_message


def round_step_days(round_field):
    """`Process.deadline_days` read from the case's round (`round_field`),
    whose `step_deadline_days` holds {step name: working days} set when it
    opened; a step it leaves out takes the declaration's days."""
    def days(case, step_name):
        return (getattr(case, round_field).step_deadline_days or {}).get(step_name)
    return days
