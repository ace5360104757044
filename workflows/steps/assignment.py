"""The district hands an open step to one person (reassignment): the task
then shows in that person's inbox only (and their substitute's), and only
they may take it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow import STATUS

from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Membership, Organisation
from workflows.notifications.services import notify, register_event
from workflows.organisations.access import has_role
from workflows.organisations.recusal import conflict_reason, judges
from workflows.organisations.roles import ADMINISTRATOR
from workflows.steps.tasks import OPEN_TASK_STATUSES, acting_pair, case_url


register_event(
    "workflows.event.task_assigned",
    lambda data: (_("A task was assigned to you: %(case)s") % data, data.get("reason", "")),
    label=gettext_lazy("A task is assigned to you"),
)


def entitled_to(user, task):
    """May `user` be given `task`? They must hold the task's role at its
    acting organisation or at one above it."""
    role, org_id = acting_pair(task)
    organisation = Organisation.objects.get(pk=org_id)
    return Membership.objects.filter(user=user, role=role, organisation_id__in=organisation.ancestor_ids).exists()


def task_reassign(*, task, to_user, actor, reason, ip=None):
    """The district administrator hands an open task to one entitled user."""
    if not (reason or "").strip():
        raise RuleViolation(_("Give a reason for the reassignment."))
    role, org_id = acting_pair(task)
    organisation = Organisation.objects.get(pk=org_id)
    district = Organisation.objects.get(pk=organisation.ancestor_ids[0])
    if not has_role(actor, ADMINISTRATOR, district):
        raise NotAllowed(_("Only the district administrator can reassign a task."))
    if not to_user.is_active or not entitled_to(to_user, task):
        raise RuleViolation(
            _("%(name)s does not hold the role this step needs.") % {"name": to_user.get_full_name() or to_user.get_username()}
        )
    with transaction.atomic():
        locked = type(task).objects.select_for_update().select_related("process").get(pk=task.pk)
        if locked.status not in OPEN_TASK_STATUSES or locked.status == STATUS.STARTED:
            raise AlreadyHandled()
        case = locked.process.artifact
        conflict = conflict_reason(to_user, case)
        if conflict and judges(locked):
            raise RuleViolation(conflict)
        previous = locked.owner_id
        locked.owner = to_user
        locked.status = STATUS.ASSIGNED
        locked.save(update_fields=["owner", "status"])
        log_action(
            case, "workflows.task.reassigned", actor=actor, organisation=district, role=ADMINISTRATOR,
            comment=reason, ip=ip,
            data={"task": locked.pk, "step": locked.flow_task.name, "from": previous, "to": to_user.pk,
                  "to_name": to_user.get_full_name() or to_user.get_username()},
        )
        notify(
            to_user, event="workflows.event.task_assigned", data={"case": str(case), "reason": reason},
            url=case_url(case),
            key=f"reassigned:{locked.pk}:{to_user.pk}:{timezone.now().timestamp()}",
        )
    task.owner_id, task.status = locked.owner_id, locked.status
    return task
