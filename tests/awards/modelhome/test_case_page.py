"""The application's page is the engine's case page: the open step and who
holds it, one history with the organisation beside the actor, the labelled
attachments, and model home's own panels."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workflows.attachments import services as attachment_services
from workflows.audit import history_of

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_the_application_page_is_the_engines_case_page(mh, client):
    application = fill(mh)
    item = application.campaign.standard_version.ordered_items().filter(kind="scored").first()
    upload = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment_services.attach(application, [attachment_services.from_upload(upload, kind=str(item.pk))],
                               actor=mh.submitter)
    client.force_login(mh.reviewer_a)
    response = client.get(application.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.context["open_step"].name == "recommend"
    assert any(mh.town_a.name in holder for holder in response.context["holders"])
    assert "Waiting for" in html and mh.town_a.name in html
    # One history, drawn by the engine, the organisation beside the actor.
    assert html.count("<h2>History</h2>") == 1 and html.count('id="process-map"') == 1
    submitted = history_of(application).exclude(organisation=None).first()
    assert f"{submitted.actor_name} · {submitted.organisation.name}" in html
    # The attachment, labelled with the item it backs; the process's panels.
    assert "会议记录.pdf" in html and f'<span class="muted">{item.code}</span>' in html
    assert "Self-assessment" in html and "Recommendation of the intermediate union" in html
