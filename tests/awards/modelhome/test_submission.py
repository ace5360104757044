"""Submission refuses a veto that applies, an empty mandatory item and a
score over an item's points, naming the item, and saves nothing; a draft
saves incomplete and the page keeps what was typed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from awards.modelhome import services
from awards.modelhome.models import Application, AppState, ItemAnswer
from workflows.scoring.sheet import Incomplete

from .conftest import fill, full_answers


@pytest.mark.parametrize("overrides, named", [
    ({"9.3": {"veto": True}}, "9.3"),
    ({"1.5": {"score": None}}, "1.5"),
    ({"4.1": {"evidence": ""}}, "4.1"),
    ({"2.1": {"score": Decimal("7")}}, "2.1"),
])
def test_submission_refused_naming_the_item_and_nothing_saved(mh, overrides, named):
    draft = fill(mh, submit=False)
    before = {a.item_id: (a.score, a.veto_applies, a.evidence) for a in draft.answers.all()}
    draft_version = Application.objects.get(pk=draft.pk).version
    answers = full_answers(mh.campaign, overrides=overrides)
    with pytest.raises(Incomplete) as refused:
        services.application_save(application=draft, actor=mh.submitter, answers=answers, submit=True)
    assert named in refused.value.message
    assert [item.code for item, _message in refused.value.errors if item is not None] == [named]
    stored = Application.objects.get(pk=draft.pk)
    assert stored.state == AppState.DRAFT and stored.version == draft_version
    assert {a.item_id: (a.score, a.veto_applies, a.evidence) for a in stored.answers.all()} == before


def test_a_new_application_refused_at_submission_leaves_no_row(mh):
    application = Application(campaign=mh.campaign, organisation=mh.union_a1, staff_count=10, member_count=10,
                              satisfaction_surveyed=10, satisfaction_satisfied=10)
    with pytest.raises(Incomplete):
        services.application_save(application=application, actor=mh.submitter,
                                  answers=full_answers(mh.campaign, veto=True), submit=True)
    assert not Application.objects.exists() and not ItemAnswer.objects.exists()


def test_a_draft_saves_incomplete_and_resumes(mh):
    application = Application(campaign=mh.campaign, organisation=mh.union_a1)
    item = mh.campaign.standard_version.ordered_items().get(code="1.1")
    services.application_save(application=application, actor=mh.submitter,
                              answers={item.pk: {"score": Decimal("99"), "veto": None, "evidence": "草稿"}})
    stored = Application.objects.get(pk=application.pk)
    assert stored.state == AppState.DRAFT and stored.answers.get().score == Decimal("99")


def _post_data(mh, **typed):
    data = {"chair_name": "王主席", "staff_count": "200", "member_count": "190", "satisfaction_surveyed": "100",
            "satisfaction_satisfied": "95", "deeds": "建家", "action": "submit"}
    for item in mh.campaign.standard_version.ordered_items():
        if item.kind == "veto":
            data[f"veto_{item.pk}"] = "no"
        else:
            data[f"score_{item.pk}"] = f"{item.max_points:f}" if item.kind == "scored" else "0"
            data[f"evidence_{item.pk}"] = "佐证"
    for code, value in typed.items():
        item = mh.campaign.standard_version.ordered_items().get(code=code.replace("_", "."))
        data[f"{'veto' if item.kind == 'veto' else 'score'}_{item.pk}"] = value
    return data


def test_the_page_refuses_over_max_naming_the_item_and_keeps_what_was_typed(mh, client):
    client.force_login(mh.submitter)
    url = reverse("modelhome:application_create", args=[mh.campaign.code])
    data = _post_data(mh, **{"3_2": "4.5"})
    data["deeds"] = "我们的建家故事"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "3.2" in page and "4.5" in page and "我们的建家故事" in page
    assert not Application.objects.exists()


def test_the_page_refuses_a_veto_and_a_bad_number(mh, client):
    client.force_login(mh.submitter)
    url = reverse("modelhome:application_create", args=[mh.campaign.code])
    page = client.post(url, _post_data(mh, **{"9_5": "yes"})).content.decode()
    assert "9.5" in page and not Application.objects.exists()
    page = client.post(url, _post_data(mh, **{"1_1": "三分"})).content.decode()
    assert "三分" in page and not Application.objects.exists()


def test_the_page_submits_a_complete_application(mh, client):
    client.force_login(mh.submitter)
    response = client.post(reverse("modelhome:application_create", args=[mh.campaign.code]), _post_data(mh))
    application = Application.objects.get()
    assert response.status_code == 302 and application.state == AppState.SUBMITTED
    assert application.self_total == Decimal("100") and application.membership_rate == Decimal("95.0")


def test_the_page_saves_a_draft_with_an_attachment(mh, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import PDF_BYTES

    client.force_login(mh.submitter)
    item = mh.campaign.standard_version.ordered_items().get(code="4.1")
    data = _post_data(mh, **{"1_5": ""})
    data["action"] = "save"
    data[f"file_{item.pk}"] = SimpleUploadedFile("职代会决议.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(reverse("modelhome:application_create", args=[mh.campaign.code]), data)
    application = Application.objects.get()
    assert response.status_code == 302 and application.state == AppState.DRAFT
    attachment = application.attachments.get()
    assert attachment.kind == str(item.pk) and attachment.original_name == "职代会决议.pdf"
    # A file that is not what its name says is refused, nothing saved.
    data[f"file_{item.pk}"] = SimpleUploadedFile("假.pdf", b"not a pdf", content_type="application/pdf")
    client.post(reverse("modelhome:application_edit", args=[application.pk]), data)
    assert application.attachments.count() == 1
