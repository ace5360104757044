"""Inspector B cannot read inspector A's scores before submitting their
own: not on any page, not in any download, not through the selectors."""

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from awards.modelhome import selectors, services
from awards.modelhome.models import InspectionScore

from .conftest import fill, full_answers, to_inspection

MARK, MARK_TOTAL = "2.37", "99.37"


def _score_a(mh, application, submit):
    item = mh.campaign.standard_version.ordered_items().get(code="1.1")
    answers = full_answers(mh.campaign, overrides={"1.1": {"score": Decimal(MARK)}})
    inspection = application.inspections.get(inspector=mh.inspector_1)
    services.inspection_save(inspection=inspection, actor=mh.inspector_1, scores=answers, submit=submit)
    return item


def _everything_b_can_fetch(client, application):
    pages = {}
    for name in ("application_detail", "inspection_edit", "inspection_download", "compare", "decide",
                 "application_list"):
        args = [] if name == "application_list" else [application.pk]
        response = client.get(reverse(f"modelhome:{name}", args=args))
        body = response.content if not hasattr(response, "streaming_content") else b"".join(response.streaming_content)
        if name == "inspection_download" and response.status_code == 200:
            wb = load_workbook(io.BytesIO(body))
            body = " ".join(str(c) for row in wb.active.iter_rows(values_only=True) for c in row).encode()
        pages[name] = (response.status_code, body.decode(errors="replace"))
    return pages


def test_b_sees_nothing_of_a_before_submitting(mh, client):
    application = to_inspection(mh, fill(mh))
    _score_a(mh, application, submit=True)
    services.inspection_save(inspection=application.inspections.get(inspector=mh.inspector_2),
                             actor=mh.inspector_2, scores=full_answers(mh.campaign), submit=False)

    client.force_login(mh.inspector_2)
    for name, (status, body) in _everything_b_can_fetch(client, application).items():
        assert MARK not in body and MARK_TOTAL not in body, name
        # The decision page sends an inspector with an open task to their own form.
        assert status in ((200, 302, 403, 404) if name == "decide" else (200, 403, 404)), name
    assert _everything_b_can_fetch(client, application)["compare"][0] in (403, 404)

    own = selectors.scores_visible_to(mh.inspector_2)
    assert own.count() == InspectionScore.objects.filter(inspection__inspector=mh.inspector_2).count()
    assert not own.filter(inspection__inspector=mh.inspector_1).exists()
    assert list(selectors.inspections_visible_to(mh.inspector_2, application)) == [
        application.inspections.get(inspector=mh.inspector_2)]

    # Once B has submitted, A's scores show on B's pages and download.
    services.inspection_save(inspection=application.inspections.get(inspector=mh.inspector_2),
                             actor=mh.inspector_2, scores=full_answers(mh.campaign), submit=True)
    fetched = _everything_b_can_fetch(client, application)
    assert MARK in fetched["inspection_download"][1] and MARK_TOTAL in fetched["application_detail"][1]
    assert selectors.scores_visible_to(mh.inspector_2).filter(inspection__inspector=mh.inspector_1).exists()


def test_a_draft_inspection_is_private_even_to_the_district(mh, client):
    application = to_inspection(mh, fill(mh))
    _score_a(mh, application, submit=False)
    assert not selectors.scores_visible_to(mh.admin_d, application).exists()
    client.force_login(mh.admin_d)
    page = client.get(reverse("modelhome:compare", args=[application.pk])).content.decode()
    assert MARK not in page and MARK_TOTAL not in page
    # The inspector sees their own draft.
    assert selectors.scores_visible_to(mh.inspector_1, application).filter(score=Decimal(MARK)).exists()


def test_an_inspector_not_assigned_sees_nothing(mh, client):
    application = to_inspection(mh, fill(mh))
    _score_a(mh, application, submit=True)
    assert not selectors.scores_visible_to(mh.inspector_3).exists()
    client.force_login(mh.inspector_3)
    for name in ("application_detail", "inspection_edit", "inspection_download", "compare"):
        assert client.get(reverse(f"modelhome:{name}", args=[application.pk])).status_code == 404, name
