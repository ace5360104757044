"""The processes the engine runs, registered by their apps: a process's
declaration and the flow built from it (`workflows.steps.flows.build_flow`
registers both). The engine finds a case's process by its model."""

from workflows.organisations.roles import register_role, require_second_factor
from workflows.steps.process_index import _BY_KEY, _BY_MODEL, process_for  # noqa: F401 (process_for: public here)
from workflows.steps.progress import register_progress_events


def register(process, flow_class):
    if process.key in _BY_KEY and _BY_KEY[process.key][1] is not flow_class:
        raise ValueError(f"A process named {process.key!r} is already registered.")
    _BY_KEY[process.key] = (process, flow_class)
    _BY_MODEL[process.model.lower()] = process.key
    # The declared moves become the model's django-fsm transitions.
    from workflows.steps.fsm import install

    install(process)
    for role in process.roles:
        register_role(role)
    for code, kinds in process.second_factor_roles.items():
        require_second_factor(code, kinds)
    register_progress_events(process)
    from workflows.audit import register_default_action_labels

    register_default_action_labels(declared_action_labels(process))


def declared_action_labels(process):
    """{audit code: label} of the process's decisions and labelled
    transitions: what its history calls them unless the process registers
    other words (workflows.audit). A code recorded under buttons of
    different labels (e.g. a grant named per grade) gets none here: the
    process says what it means."""
    from django.utils import translation

    acts = [(process.audit_action(d.code, d.action), d.label) for step in process.steps for d in step.decisions]
    acts += [(process.audit_action(t.code, t.action), t.label) for t in process.transitions if t.label]
    labels, clashing = {}, set()
    with translation.override(None):  # compared as written (msgids): no catalogue is read at load
        for code, label in acts:
            if code in labels and str(labels[code]) != str(label):
                clashing.add(code)
            labels.setdefault(code, label)
    return {code: label for code, label in labels.items() if code not in clashing}


def processes():
    return [process for process, _flow in _BY_KEY.values()]


def flows():
    return [flow for _process, flow in _BY_KEY.values()]


def process_named(key):
    return _BY_KEY[key][0]


def flow_of(process):
    return _BY_KEY[process.key][1]


def step_of_task(task):
    """The declared step of a human task, or None."""
    # get_for_id reads the content type cache: no query per task.
    from django.contrib.contenttypes.models import ContentType

    ct_id = task.process.artifact_content_type_id if task.process_id else None
    process = process_for(ContentType.objects.get_for_id(ct_id).model_class()) if ct_id else None
    if process is None:
        return None
    try:
        return process.step(task.flow_task.name)
    except KeyError:
        return None


# What a process gives the JSON API (workflows.api) ----------------------------

from dataclasses import dataclass  # noqa: E402
from typing import Any, Callable, Optional  # noqa: E402


@dataclass(frozen=True)
class CaseApi:
    """A process's part of the JSON API, registered with `register_case_api`
    (from its AppConfig.ready, beside its flow). What any case has, the
    engine derives (workflows.api.render): its list and filters are its
    CaseList's (`filtered_cases`: the page's own selector and filters). A
    process states only its own:

    - ``fields(case)``: [(label, value)] as the case's page shows them (ID
      numbers masked);
    - ``documents(case, user)``: [{"kind", "title", "url"}], the files the
      case's page offers the user (the URL is the page's download link)
      beyond the engine's: its attachments and its certificates;
    - ``decision_steps``: the steps whose decisions the page takes with a
      comment alone; default: every step neither manual nor taken on a
      form of its own (`form_url`: scores, inspectors, a revised report)."""

    fields: Callable[[Any], list]
    documents: Optional[Callable[[Any, Any], list]] = None
    decision_steps: Optional[tuple] = None


_CASE_API = {}
_FIGURES = {}


def register_case_api(process_key, case_api):
    _CASE_API[process_key] = case_api


def case_api_of(process):
    """The process's CaseApi, or None when it offers none."""
    return _CASE_API.get(process.key)


def register_figures(name, compute, *, title):
    """Yearly figures a process offers the API (e.g. a work plan's
    coverage): `compute(user, year, branch_id)` returns a JSON-ready dict
    scoped to the user, raising Http404 when they may see none."""
    _FIGURES[name] = (title, compute)


def figures():
    return dict(_FIGURES)
