"""The panels a case's page may show under its open step, for any process:
its deadlines (overdue marked), the district administrator's reassignment
of the open steps, the departments' sign-offs and the public notice the
case stands on (templates/workflows/_case_panels.html)."""

from django.utils import timezone

from workflows.models import Objection, ObjectionStatus
from workflows.notices.services import entry_of
from workflows.organisations.access import memberships
from workflows.organisations.administration import administered_district
from workflows.signoffs.services import signoffs_of
from workflows.steps import tasks as engine
from workflows.steps.deadlines import open_deadlines


def case_panels(user, case, organisation):
    """The panels' context for `case`, whose union is `organisation`: the
    district above it administers (reassigns) and reads the objections."""
    district_id = organisation.ancestor_ids[0] if organisation.ancestor_ids else organisation.pk
    entry = entry_of(case)
    today = timezone.localdate()
    deadlines = list(open_deadlines(case))
    administers = administered_district(user, organisation) is not None
    return {
        "signoffs": list(signoffs_of(case).order_by("-round", "department__path")),
        "notice_entry": entry,
        "open_objections": Objection.objects.filter(entry=entry, status=ObjectionStatus.OPEN).count() if entry else 0,
        "district_staff": any(m.organisation_id == district_id for m in memberships(user)),
        "deadlines": [{"deadline": d, "overdue": d.is_overdue(today)} for d in deadlines],
        "overdue": any(d.is_overdue(today) for d in deadlines),
        "reassignable_tasks": list(engine.open_tasks(case).filter(flow_task_type="HUMAN")) if administers else [],
    }
