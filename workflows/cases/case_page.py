"""The skeleton of a case's page, the same for every process: the header
with the state's badge, the open step and who holds it, the audit history.
A process's page extends `workflows/case_page.html` and fills its own
blocks (its fields, attachments, documents, its actions), with
`case_page_context(case)` merged into its context."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from workflows.audit import history_of
from workflows.models import Attachment, Organisation
from workflows.organisations.roles import role_label
from workflows.steps.actors import seen_open_tasks_of_step
from workflows.steps.registry import process_for
from workflows.steps.tasks import acting_pair, open_tasks


def holders_of(case, step):
    """Who holds the step's open tasks, as the page names them: a person a
    task was given to, else the role at its organisation ("Reviewer ·
    Town A union"). Two queries whatever the number of tasks."""
    tasks = seen_open_tasks_of_step(case, step.name)
    owners = {u.pk: u for u in get_user_model().objects.filter(pk__in=[t.owner_id for t in tasks if t.owner_id])}
    pairs = [acting_pair(t) for t in tasks if not t.owner_id]
    orgs = Organisation.objects.in_bulk({org_id for _role, org_id in pairs})
    named = [owners[t.owner_id].get_full_name() or owners[t.owner_id].get_username()
             for t in tasks if t.owner_id in owners]
    roles = [f"{role_label(role)} · {orgs[org_id].name}" for role, org_id in pairs if org_id in orgs]
    return list(dict.fromkeys(named + roles))


def attachments_of(case):
    """The case's files in the engine's table, oldest first (unread until
    the page draws them: a process may pass its own, labelled, instead)."""
    return Attachment.objects.filter(case_type=ContentType.objects.get_for_model(case), case_id=case.pk)


def open_steps(case):
    """Each open task of the case as the page names it: {title, role,
    organisation, assignee, task}. Two queries whatever the number."""
    tasks = [t for t in open_tasks(case).select_related("owner") if t.owner_permission_obj_pk]
    orgs = Organisation.objects.in_bulk({acting_pair(t)[1] for t in tasks})
    steps = []
    for task in tasks:
        role, org_id = acting_pair(task)
        steps.append({"title": task.flow_task.task_title, "role": role_label(role), "organisation": orgs.get(org_id),
                      "assignee": task.owner, "task": task})
    return steps


def case_page_context(case, *, revealed=None, full=False):
    """What the skeleton shows of any case: its open step (None when none
    is open), the step's holders, and its audit history; and what the
    process registered of its fields (workflows.cases.revisions): the
    field rows (a masked field in full only when `revealed` gives it), the
    rounds with their changes (masked values in full only when `full`:
    the process decided the reader may, and recorded it), the engine's
    attachments."""
    from workflows.cases.revisions import case_parts

    process = process_for(case)
    step = process.step_of_state(case.state) if process else None
    return {
        "case": case,
        "open_step": step,
        "holders": holders_of(case, step) if step else [],
        "attachments": attachments_of(case),
        "history": history_of(case),
        "not_started": bool(process) and case.state == process.initial,
        **case_parts(case, revealed=revealed, full=full),
    }
