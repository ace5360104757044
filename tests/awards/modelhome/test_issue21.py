"""Issue 21 item 6: the model home as inspectors and the district need it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from .conftest import fill, full_answers, score, through_notice, to_inspection

pytestmark = pytest.mark.django_db


def _inspect_task_of(application, user_pk):
    from workflows.steps.actors import open_tasks_of_step

    return next(t for t in open_tasks_of_step(application, "inspect") if (t.data or {}).get("user") == user_pk)


def test_a_reassigned_inspection_is_scored_by_the_new_person(mh, client):
    from awards.modelhome import services
    from awards.modelhome.models import AppState
    from workflows.audit import history_of
    from workflows.steps.assignment import task_reassign

    application = to_inspection(mh, fill(mh))
    score(mh, application, mh.inspector_1, submit=False)  # a draft the new person must not inherit
    task = _inspect_task_of(application, mh.inspector_1.pk)
    task_reassign(task=task, to_user=mh.inspector_3, actor=mh.admin_d, reason="甲因病不能到场")
    client.force_login(mh.inspector_3)
    url = reverse("modelhome:inspection_edit", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["total"] == 0  # the former inspector's draft is not shown
    inspection = services.inspection_for_actor(mh.inspector_3, application)
    services.inspection_save(inspection=inspection, actor=mh.inspector_3,
                             scores=full_answers(mh.campaign), submit=True)
    score(mh, application, mh.inspector_2)
    application.refresh_from_db()
    assert application.state == AppState.SCORED
    assert sorted(application.inspections.values_list("inspector__username", flat=True)) == [
        "inspector_2", "inspector_3"]
    assert history_of(application).filter(action="modelhome.inspection.handed_over").exists()
    # The former inspector has nothing left to score.
    client.force_login(mh.inspector_1)
    assert client.get(url).status_code == 404
