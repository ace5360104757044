"""The engine's own pages run the toy process with no award installed: the
inbox lists a task to whoever may take it, with its step's bulk decisions;
a bulk decision goes through the one decision service; the public notice
shows the toy's entry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.engine.toy.models import ToyCase
from tests.engine.toy.models import ToyState as S
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_step_names

REVIEW_KEY = "tests.engine.toy.flows.ToyFlow.review"


def test_the_inbox_lists_the_task_to_its_reviewer_only(people, journey, client):
    case = journey.submitted()

    client.force_login(people.reviewer)
    page = client.get("/inbox/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{case.get_absolute_url()}"' in html
    assert "Unit review" in html
    assert 'value="approve"' in html and 'value="return"' in html
    assert 'value="reject"' not in html  # final: never in bulk

    for other in (people.submitter, people.inspector1):
        client.force_login(other)
        assert f'href="{case.get_absolute_url()}"' not in client.get("/inbox/").content.decode()


def test_a_bulk_decision_decides_each_case_and_reports_a_stale_one(people, journey, client):
    fresh, stale = journey.submitted(title="甲"), journey.submitted(title="乙")
    seen_version = stale.version
    decide(case=stale, actor=people.reviewer, decision="return", comment="补")
    decide(case=stale, actor=people.submitter, decision="resubmit")  # back in review, newer version

    client.force_login(people.reviewer)
    response = client.post("/inbox/bulk/", {
        "step": REVIEW_KEY, "action": "approve",
        "items": [f"{fresh.pk}:{fresh.version}", f"{stale.pk}:{seen_version}"],
    })

    assert response.status_code == 200
    assert [(o.pk, o.status) for o in response.context["outcomes"]] == [(fresh.pk, "done"), (stale.pk, "changed")]
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert fresh.state == S.INSPECTION and open_step_names(fresh) == ["inspect", "inspect"]
    assert stale.state == S.SUBMITTED and open_step_names(stale) == ["review"]


def test_a_bulk_decision_outside_the_reviewers_reach_is_missing(people, journey, client):
    from tests.conftest import make_user

    case = journey.submitted()
    client.force_login(make_user("stranger"))  # no membership, named on no case: sees none
    response = client.post(
        "/inbox/bulk/", {"step": REVIEW_KEY, "action": "approve", "items": [f"{case.pk}:{case.version}"]}
    )
    assert [o.status for o in response.context["outcomes"]] == ["missing"]
    case.refresh_from_db()
    assert case.state == S.SUBMITTED


def test_the_inbox_query_count_does_not_grow_with_its_rows(people, journey, client):
    client.force_login(people.reviewer)
    counts = []
    for size in (2, 6):
        while ToyCase.objects.filter(state=S.SUBMITTED).count() < size:
            journey.submitted()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/inbox/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_inbox_counts_its_tasks_in_the_query_that_finds_its_steps(people, journey, client, settings):
    """The inbox's steps, its count and the header's count come from one
    grouped query of the tasks: no COUNT of its own, however many pages
    (PAGE_SIZE rows each) the reviewer has; a search still counts what it
    found."""
    from workflows.steps import inbox

    settings.LANGUAGE_CODE = "en"
    for n in range(inbox.PAGE_SIZE + 2):
        journey.submitted(title=f"甲一厂申请{n:02d}")
    client.force_login(people.reviewer)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/inbox/")
    assert page.status_code == 200
    task_counts = [q["sql"] for q in queries if "viewflow_task" in q["sql"] and "COUNT(" in q["sql"].upper()]
    assert len(task_counts) == 1 and "GROUP BY" in task_counts[0], task_counts
    total = inbox.PAGE_SIZE + 2
    assert page.context["inbox_count"] == total
    assert page.context["page_obj"].paginator.count == total
    assert len(page.context["page_obj"].object_list) == inbox.PAGE_SIZE
    assert len(client.get("/inbox/?page=2").context["page_obj"].object_list) == 2
    # Filtered by its step: the step's own count.
    step_page = client.get("/inbox/", {"step": REVIEW_KEY})
    assert step_page.context["step"] == REVIEW_KEY and step_page.context["page_obj"].paginator.count == total
    # A search counts its matches (the toy case lists no search fields:
    # none); the header still counts every task.
    found = client.get("/inbox/", {"q": "申请03"})
    assert found.context["page_obj"].paginator.count == 0
    assert found.context["inbox_count"] == total
    # Another page's header counts the tasks itself.
    assert client.get("/notices/").context["inbox_count"] == total


def test_the_public_notice_shows_the_toy_entry(people, journey, client):
    case, notice = journey.in_notice()
    page = client.get(f"/notices/{notice.pk}/")
    assert page.status_code == 200
    assert case.title in page.content.decode()
