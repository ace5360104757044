"""The inbox page's data: the user's open tasks filtered by step and
searched by case, grouped by step, with deadlines and the bulk-decision
checkboxes a process offers.

A case model opts in to bulk decisions with two class attributes:
``bulk_steps`` (the step names) and ``bulk_url_name`` (the URL its form
posts to); and to the inbox search with ``inbox_search_fields``."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from workflows.steps.flows import acting_pair, inbox_tasks
from workflows.models import Organisation, TaskDeadline
from workflows.organisations.recusal import conflict_reason, earlier_level

PAGE_SIZE = 25


def _step_key(node):
    return f"{node.flow_class.__module__}.{node.flow_class.__name__}.{node.name}"


def _search(tasks, query):
    """Tasks whose case matches `query` in its model's inbox_search_fields."""
    q = Q(pk__in=[])
    for ct_id in tasks.values_list("process__artifact_content_type", flat=True).distinct():
        if ct_id is None:
            continue
        model = ContentType.objects.get_for_id(ct_id).model_class()
        fields = getattr(model, "inbox_search_fields", ())
        if not fields:
            continue
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": query})
        ids = model.objects.filter(match).values_list("pk", flat=True)
        q |= Q(process__artifact_content_type_id=ct_id, process__artifact_object_id__in=list(ids))
    return tasks.filter(q)


def _barred(user, case, task):
    """Why `user` may not take this step although it is in their inbox
    (recusal, or the four-eyes rule), or None. Shown on the row, so nobody
    opens a case only to be refused; the service refuses regardless."""
    if hasattr(case, "recusal_subject"):
        reason = conflict_reason(user, case)
        if reason:
            return reason
    if earlier_level(user, case, task) is not None:
        return _("You decided an earlier level of this case; another reviewer takes this step.")
    return None


def inbox_page(request):
    user = request.user
    tasks = inbox_tasks(user)
    steps = {}
    for node in tasks.values_list("flow_task", flat=True).distinct():
        steps[_step_key(node)] = node
    step = request.GET.get("step") or ""
    if step in steps:
        tasks = tasks.filter(flow_task=steps[step])
    else:
        step = ""
    query = (request.GET.get("q") or "").strip()
    if query:
        tasks = _search(tasks, query)
    page = Paginator(tasks.prefetch_related("process__artifact"), PAGE_SIZE).get_page(request.GET.get("page"))
    tasks_on_page = list(page.object_list)
    orgs = Organisation.objects.in_bulk({acting_pair(t)[1] for t in tasks_on_page})
    deadlines = {d.task_id: d for d in TaskDeadline.objects.filter(task__in=tasks_on_page)}
    today = timezone.localdate()
    groups = {}
    for task in tasks_on_page:
        case = task.process.artifact
        node = task.flow_task
        bulk_url = ""
        if node.name in getattr(case, "bulk_steps", ()):
            try:
                bulk_url = reverse(case.bulk_url_name)
            except (AttributeError, NoReverseMatch):
                bulk_url = ""
        deadline = deadlines.get(task.pk)
        barred = _barred(user, case, task)
        if barred:
            bulk_url_for_row = ""
        else:
            bulk_url_for_row = bulk_url
        row = {
            "task": task,
            "case": case,
            "step": node.task_title,
            "organisation": orgs.get(acting_pair(task)[1]),
            "deadline": deadline,
            "overdue": deadline is not None and deadline.is_overdue(today),
            "bulk_value": f"{case.pk}:{getattr(case, 'version', 0)}" if bulk_url_for_row else "",
            "barred": barred,
        }
        key = (_step_key(node), bulk_url)
        group = groups.setdefault(key, {"step": node.task_title, "bulk_url": bulk_url, "rows": []})
        group["rows"].append(row)
    page.object_list = [row for group in groups.values() for row in group["rows"]]
    params = urlencode([(k, v) for k, v in (("step", step), ("q", query)) if v])
    return {
        "page_obj": page,
        "groups": list(groups.values()),
        "steps": [(key, node.task_title) for key, node in steps.items()],
        "step": step,
        "q": query,
        "query_string": params,
    }
