"""The engine's objects as the API shows them, built from what the pages
read: the declaration (states, steps, decisions), the process's CaseApi
(fields, its own documents) and case list (filters), the audit log
rendered in the reader's language."""

from django.utils import timezone

from workflows.api.documents import attachment_documents, certificate_documents
from workflows.audit import action_label, history_of
from workflows.cases.lists import case_list_of
from workflows.organisations.roles import role_label
from workflows.steps.decisions import may_take
from workflows.steps.registry import case_api_of, process_for
from workflows.steps.tasks import case_url


def organisation_ref(org):
    return None if org is None else {"id": org.pk, "name": org.name}


def organisation(org):
    return {"id": org.pk, "name": org.name, "code": org.code, "kind": org.kind,
            "kind_label": str(org.get_kind_display()), "parent": org.parent_id}


def state_labels(process):
    field = process.get_model()._meta.get_field("state")
    return {str(code): str(label) for code, label in field.flatchoices}


def decision_steps(process, api):
    """The steps whose decisions the API takes (CaseApi.decision_steps)."""
    if api.decision_steps is not None:
        return api.decision_steps
    return tuple(step.name for step in process.steps if not step.manual and not step.form_url)


def process_data(process):
    labels = state_labels(process)
    api = case_api_of(process)
    api_steps = set(decision_steps(process, api))
    return {
        "key": process.key, "title": str(process.title), "initial": str(process.initial),
        "final_states": [str(s) for s in process.final_states],
        "states": [{"code": code, "label": label} for code, label in labels.items()],
        "steps": [
            {"name": step.name, "title": str(step.title), "states": [str(s) for s in step.states],
             "decisions": _unique_decisions(step.decisions),
             "decided_through_api": step.name in api_steps and not step.manual}
            for step in process.steps
        ],
        "transitions": [{"code": t.code, "sources": [str(s) for s in t.sources], "target": str(t.target)}
                        for t in process.transitions],
        # The list page's filters are the API's (workflows.cases.lists.filtered_cases).
        "filters": [{"name": f.name, "description": str(f.label)} for f in case_list_of(process.key).filters],
    }


def _unique_decisions(decisions):
    """A decision routed two ways (same code, `when`) is one button."""
    seen, shown = set(), []
    for d in decisions:
        if d.code in seen:
            continue
        seen.add(d.code)
        shown.append(_decision(d) | {"target": str(d.target)})
    return shown


def _decision(d):
    return {"code": d.code, "label": str(d.label), "final": d.final, "comment_required": d.comment_required}


def case_summary(case, process=None, labels=None):
    process = process or process_for(case)
    labels = labels if labels is not None else state_labels(process)
    return {
        "process": process.key, "id": case.pk,
        "subject": str(process.subject(case) if process.subject else case),
        "state": str(case.state), "state_label": labels.get(str(case.state), ""),
        "version": getattr(case, "version", 0),
        "organisation": organisation_ref(getattr(case, "organisation", None)),
        "page_url": case_url(case),
    }


def history(case, labels):
    return [
        {
            "id": entry.pk, "time": entry.created, "action": entry.action,
            "action_label": str(action_label(entry.action)),
            "actor": entry.actor_name,
            "on_behalf_of": (entry.on_behalf_of.get_full_name() or entry.on_behalf_of.get_username())
            if entry.on_behalf_of_id else None,
            "organisation": organisation_ref(entry.organisation),
            "role": entry.role, "role_label": str(role_label(entry.role)) if entry.role else "",
            "from_state": entry.from_state, "from_label": labels.get(entry.own_from_state, ""),
            "to_state": entry.to_state, "to_label": labels.get(entry.own_to_state, ""),
            "decision": entry.decision, "comment": entry.comment,
        }
        for entry in history_of(case)
    ]


def api_decisions(user, case, process):
    """The decisions `user` may take on `case` now through the API: the
    open step's, where the process lets the API take them."""
    api = case_api_of(process)
    step = process.step_of_state(case.state)
    if api is None or step is None or step.manual or step.name not in decision_steps(process, api):
        return step, []
    if not may_take(user, case):
        return step, []
    return step, [_decision(d) for d in step.decisions_for(case)]


def case_detail(user, case, process):
    labels = state_labels(process)
    api = case_api_of(process)
    step, decisions = api_decisions(user, case, process)
    return {
        **case_summary(case, process, labels),
        "fields": [{"label": str(label), "value": "" if value is None else str(value)}
                   for label, value in api.fields(case)],
        "history": history(case, labels),
        "documents": [{"kind": d["kind"], "title": str(d["title"]), "page_url": d["url"]}
                      for d in attachment_documents(case) + certificate_documents(case, user)
                      + (api.documents(case, user) if api.documents else [])],
        "step": step.name if step is not None else None,
        "decisions": decisions,
    }


def task_row(task, organisations, deadlines, labels_by_process):
    from workflows.steps.inbox import step_key
    from workflows.steps.tasks import acting_pair

    case = task.process.artifact
    process = process_for(case)
    role, org_id = acting_pair(task)
    deadline = deadlines.get(task.pk)
    today = timezone.localdate()
    if process.key not in labels_by_process:
        labels_by_process[process.key] = state_labels(process)
    return {
        "id": task.pk, "step": task.flow_task.name, "step_key": step_key(task.flow_task),
        "step_title": str(task.flow_task.task_title), "organisation": organisation_ref(organisations.get(org_id)),
        "role": role, "deadline": deadline.due_on if deadline else None,
        "overdue": bool(deadline and deadline.is_overdue(today)),
        "case": case_summary(case, process, labels_by_process[process.key]),
    }
