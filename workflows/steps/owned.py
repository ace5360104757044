"""The cases whose open task was given to a user by name (a reassignment
hands a person's task to someone else): a process's scoped selector adds
them, so the new holder reaches the case's pages."""

from django.contrib.contenttypes.models import ContentType
from viewflow.workflow.models import Task

from workflows.steps.tasks import OPEN_TASK_STATUSES


def case_ids_with_task_of(user, model):
    """The ids of `model`'s cases with an open human task owned by `user`,
    as a subquery."""
    return Task.objects.filter(
        owner=user, status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN",
        process__artifact_content_type=ContentType.objects.get_for_model(model),
    ).values("process__artifact_object_id")
