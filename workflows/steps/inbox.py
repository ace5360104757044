"""The inbox page's data: the user's open tasks filtered by step and
searched by case, grouped by step, with deadlines and the bulk decisions
a step's declaration offers (`Step.bulk`: its decisions that need no
confirmation). The search covers the fields a case model lists in
``inbox_search_fields``."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from workflows.models import Delegation, Organisation, TaskDeadline
from workflows.organisations.access import memberships
from workflows.organisations.delegation import delegators
from workflows.organisations.recusal import barred_reason
from workflows.organisations.recusal_facts import PageFacts
from workflows.context_processors import remember_inbox_count
from workflows.steps.actors import inbox_tasks
from workflows.steps.bulk import bulk_decisions as _offered
from workflows.steps.bulk_runs import interrupted_runs
from workflows.steps.registry import flow_of, process_for, processes, step_of_task
from workflows.steps.tasks import acting_pair

PAGE_SIZE = 25

# Templates a process shows at the top of the inbox (e.g. the reports a
# union still owes, which have no task yet), registered by the process.
_PANELS = []


def register_inbox_panel(template_name):
    if template_name not in _PANELS:
        _PANELS.append(template_name)


def _step_key(node):
    return f"{node.flow_class.__module__}.{node.flow_class.__name__}.{node.name}"


def bulk_decisions_of(step):
    return list(_offered(step).values())


def step_by_key(key):
    """(process, step) named by an inbox step key, or None."""
    for process in processes():
        flow_class = flow_of(process)
        for step in process.steps:
            if key == _step_key(flow_class.instance.node(step.name)):
                return process, step
    return None


def _search(tasks, query):
    """Tasks whose case matches `query` in its model's inbox_search_fields:
    one subquery per case model, never a list of ids."""
    q = Q(pk__in=[])
    for process in processes():
        model = process.get_model()
        fields = getattr(model, "inbox_search_fields", ())
        if not fields:
            continue
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": query})
        q |= Q(
            process__artifact_content_type=ContentType.objects.get_for_model(model),
            process__artifact_object_id__in=Subquery(model.objects.filter(match).order_by().values("pk")),
        )
    return tasks.filter(q)


def _cases_of(tasks):
    """The cases of `tasks` in one query per case model, with what a row
    shows of them (a model's `inbox_related`, else its organisation)."""
    wanted = {}
    for task in tasks:
        wanted.setdefault(task.process.artifact_content_type_id, set()).add(task.process.artifact_object_id)
    cases = {}
    for ct_id, pks in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        related = getattr(model, "inbox_related", None)
        if related is None:
            related = [f.name for f in model._meta.concrete_fields if f.name == "organisation"]
        for case in model._default_manager.select_related(*related).filter(pk__in=pks):
            cases[(ct_id, case.pk)] = case
    for task in tasks:
        case = cases.get((task.process.artifact_content_type_id, task.process.artifact_object_id))
        if case is not None:
            task.process.artifact = case
    return list(cases.values())


def _kind_of(case):
    """What a row says the case is: its process, and the case's own kind
    where it has one (an award kind, a report kind)."""
    process = process_for(case)
    title = str(process.title) if process else ""
    own = case.get_kind_display() if hasattr(case, "get_kind_display") else getattr(case, "kind", None)
    own = str(own) if own and not isinstance(own, int) else ""
    return f"{title} · {own}" if title and own and own != title else (title or own)


def _held_for(user, task, principals):
    """The principal whose task `user` holds as a substitute, or None when
    the task is the user's own (a role they hold themselves)."""
    if task.owner_id:
        return principals.get(task.owner_id) if task.owner_id != user.pk else None
    role, org_id = acting_pair(task)
    matching = [m for m in memberships(user) if m.role == role and m.organisation_id == org_id]
    if not matching or any(getattr(m, "delegated_by", None) is None for m in matching):
        return None
    return matching[0].delegated_by


def away_delegations(user, today):
    """The user's delegations running today: while they are away, their
    substitutes hold their tasks too."""
    return list(Delegation.objects.filter(principal=user, revoked_at__isnull=True, starts_on__lte=today,
                                          ends_on__gte=today).select_related("substitute").order_by("starts_on"))


def _filtered(user, params):
    """filtered_tasks, with the number of the user's open tasks in each
    step ({step key: count}) from the same single query that finds the
    steps (the page's count and the header's need no query of their own)."""
    tasks = inbox_tasks(user)
    steps, counts = {}, {}
    # No ordering in the GROUP BY: it would make every task a group of its own.
    for node, count in tasks.order_by().values_list("flow_task").annotate(n=Count("pk")):
        key = _step_key(node)
        steps[key] = node
        counts[key] = counts.get(key, 0) + count
    step = params.get("step") or ""
    if step in steps:
        tasks = tasks.filter(flow_task=steps[step])
    else:
        step = ""
    query = (params.get("q") or "").strip()
    if query:
        tasks = _search(tasks, query)
    return tasks, steps, step, query, counts


def filtered_tasks(user, params):
    """The user's open tasks as the inbox lists them for the query
    parameters `step` (a step key) and `q` (a search of the cases):
    (tasks, {step key: node}, step, query). The API's task list is this."""
    return _filtered(user, params)[:4]


def step_key(node):
    return _step_key(node)


def cases_of_tasks(tasks):
    """Attach each task's case (`task.process.artifact`) in one query per
    case model; returns the cases."""
    return _cases_of(tasks)


def inbox_page(request):
    user = request.user
    tasks, steps, step, query, counts = _filtered(user, request.GET)
    # The header's count is all the user's open tasks: known already.
    remember_inbox_count(request, sum(counts.values()))
    paginator = Paginator(tasks, PAGE_SIZE)
    if not query:
        # Without a search the step counts are the page's count: no COUNT query.
        paginator.count = counts[step] if step else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    tasks_on_page = list(page.object_list)
    # What the recusal and four-eyes checks need, for the whole page at once.
    facts = PageFacts(user, _cases_of(tasks_on_page))
    # A row names the case's own union; the acting organisation only for a
    # case model without one (one query then, none otherwise).
    orgs = Organisation.objects.in_bulk({
        acting_pair(t)[1] for t in tasks_on_page if getattr(t.process.artifact, "organisation_id", None) is None
    } - {None}) if tasks_on_page else {}
    deadlines = {d.task_id: d for d in TaskDeadline.objects.filter(task__in=tasks_on_page)}
    today = timezone.localdate()
    # Delegation, both ways: tasks this user holds for someone away, and,
    # while this user is away, who holds their tasks meanwhile.
    principals = {m.delegated_by.pk: m.delegated_by for m in memberships(user)
                  if getattr(m, "delegated_by", None) is not None} if delegators(user) else {}
    away = away_delegations(user, today)
    substitutes = "、".join(d.substitute.get_full_name() or d.substitute.username for d in away)
    groups, offered = {}, {}
    for task in tasks_on_page:
        case = task.process.artifact
        node = task.flow_task
        declared = step_of_task(task)
        if id(declared) not in offered:  # the same for every row of a step
            offered[id(declared)] = bulk_decisions_of(declared) if declared else []
        bulk_decisions = offered[id(declared)]
        bulk_url = reverse("inbox_bulk") if bulk_decisions else ""
        deadline = deadlines.get(task.pk)
        held_for = _held_for(user, task, principals)
        barred = barred_reason(user, case, task, facts)
        if barred:
            bulk_url_for_row = ""
        else:
            bulk_url_for_row = bulk_url
        row = {
            "task": task,
            "case": case,
            "url": declared.url(case) if declared and declared.url else case.get_absolute_url(),
            "note": declared.note(case) if declared and declared.note else "",
            "step": node.task_title,
            # The union the case is from (the nominating union, the
            # reporting union), not the reviewer's own organisation.
            "organisation": getattr(case, "organisation", None) or orgs.get(acting_pair(task)[1]),
            "kind": _kind_of(case),
            "held_for": held_for,
            "substitutes": substitutes if held_for is None else "",
            "deadline": deadline,
            "overdue": deadline is not None and deadline.is_overdue(today),
            "bulk_value": f"{case.pk}:{getattr(case, 'version', 0)}" if bulk_url_for_row else "",
            "barred": barred,
        }
        key = (_step_key(node), bulk_url)
        group = groups.setdefault(
            key,
            {"step": node.task_title, "step_key": _step_key(node), "bulk_url": bulk_url,
             "bulk_decisions": bulk_decisions, "rows": []},
        )
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
        "inbox_panels": list(_PANELS),
        # Bulk decisions of this user that were cut off mid-way.
        "interrupted_runs": interrupted_runs(user),
        "away": away,
    }
