"""Refused input: the page comes back (200) with a message and what was
typed, and nothing is saved: no nomination, no attachment, no file."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards.mayday.models import Nomination
from workflows.models import Quota
from workflows.models import Attachment
from awards.mayday.models import NominationState as S
from tests.conftest import PDF_BYTES, valid_id_number
from workflows.audit import history_of
from workflows.models import AuditEntry


@pytest.fixture
def create_url(campaign):
    return reverse("awards:nomination_create") + f"?campaign={campaign.code}&kind=individual"


def stored_files(settings):
    root = settings.PRIVATE_STORAGE_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_refused(response, settings, typed):
    assert response.status_code == 200
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages, "the page must say what is wrong"
    page = response.content.decode()
    for value in typed:
        assert value in page, f"typed value {value!r} lost"
    assert not Nomination.objects.exists()
    assert not Attachment.objects.exists()
    assert not AuditEntry.objects.exists()
    assert stored_files(settings) == []
    return messages


def test_missing_required_field(tree, client, create_url, individual_form_data, settings):
    client.force_login(tree.submitter)
    response = client.post(create_url, individual_form_data(ethnicity="", deeds="我的事迹原文"))
    assert_refused(response, settings, ["李四", "我的事迹原文", "023-12345678"])
    assert "ethnicity" in response.context["form"].errors


def test_deeds_over_2000_characters(tree, client, create_url, individual_form_data, settings):
    client.force_login(tree.submitter)
    long_deeds = "字" * 2001
    response = client.post(create_url, individual_form_data(deeds=long_deeds))
    assert_refused(response, settings, ["李四", long_deeds])
    assert "deeds" in response.context["form"].errors


def test_summary_over_500_characters(tree, client, create_url, individual_form_data, settings):
    client.force_login(tree.submitter)
    response = client.post(create_url, individual_form_data(summary="要" * 501))
    assert_refused(response, settings, ["李四"])
    assert "summary" in response.context["form"].errors


def test_text_file_named_pdf(tree, client, create_url, individual_form_data, settings):
    client.force_login(tree.submitter)
    fake = SimpleUploadedFile("x.pdf", b"just some text, not a PDF", content_type="application/pdf")
    good = SimpleUploadedFile("minutes.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(create_url, {**individual_form_data(), "attachments": [good, fake]})
    assert_refused(response, settings, ["李四", "装配工"])
    errors = response.context["form"].errors["attachments"]
    assert any("x.pdf" in error for error in errors)


def test_oversized_file(tree, client, create_url, individual_form_data, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(tree.submitter)
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048, content_type="application/pdf")
    response = client.post(create_url, {**individual_form_data(), "attachments": [big]})
    assert_refused(response, settings, ["李四"])
    assert "attachments" in response.context["form"].errors


def test_invalid_id_number(tree, client, create_url, individual_form_data, settings):
    client.force_login(tree.submitter)
    wrong = valid_id_number()[:-1] + ("0" if valid_id_number()[-1] != "0" else "1")
    response = client.post(create_url, individual_form_data(id_number=wrong))
    assert_refused(response, settings, [wrong])
    assert "id_number" in response.context["form"].errors


def test_exceeded_quota(tree, campaign, client, create_url, individual_form_data, settings):
    """A quota's refusal saves nothing, says why, and holds the chosen file:
    the next post (the quota raised) saves it without choosing it again."""
    import re

    quota = Quota.objects.filter(awards_campaign=campaign, organisation=tree.town_a, category="individual")
    quota.update(count=0)
    client.force_login(tree.submitter)
    minutes = SimpleUploadedFile("纪要.pdf", PDF_BYTES, content_type="application/pdf")
    data = individual_form_data(deeds="配额测试事迹")
    response = client.post(create_url, {**data, "attachments": [minutes]})
    assert response.status_code == 200
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(tree.town_a.name in m and "0" in m for m in messages)
    page = response.content.decode()
    assert "李四" in page and "配额测试事迹" in page and "纪要.pdf" in page
    assert not Nomination.objects.exists() and not Attachment.objects.exists() and not AuditEntry.objects.exists()
    key = re.search(r'name="held_attachments" value="([0-9a-f]+)"', page).group(1)
    quota.update(count=5)
    response = client.post(create_url, {**data, "held_attachments": [key]})
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert [a.original_name for a in nomination.attachments.all()] == ["纪要.pdf"]


def test_past_deadline(tree, campaign, client, create_url, individual_form_data, settings):
    campaign.submission_deadline = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    client.force_login(tree.submitter)
    response = client.post(create_url, individual_form_data(deeds="截止测试事迹"))
    messages = assert_refused(response, settings, ["李四", "截止测试事迹"])
    assert any(timezone.localtime(campaign.submission_deadline).strftime("%Y-%m-%d %H:%M") in m for m in messages)


def test_unit_form_asks_for_unit_fields(tree, client, campaign, settings):
    client.force_login(tree.submitter)
    url = reverse("awards:nomination_create") + f"?campaign={campaign.code}&kind=unit"
    response = client.post(url, {"nominee_name": "甲一机械有限公司", "action": "submit"})
    assert_refused(response, settings, ["甲一机械有限公司"])
    errors = response.context["form"].errors
    assert {"legal_representative", "headcount", "deeds", "summary", "congress_discussed_on"} <= set(errors)
    assert "id_number" not in response.context["form"].fields


def test_kind_not_offered_is_404(tree, client, campaign):
    campaign.offers_team_award = False
    campaign.save()
    client.force_login(tree.submitter)
    url = reverse("awards:nomination_create") + f"?campaign={campaign.code}&kind=team"
    assert client.get(url).status_code == 404
    assert client.get(reverse("awards:nomination_create") + f"?campaign={campaign.code}&kind=nonsense").status_code == 404


def test_return_without_comment_keeps_the_state(tree, make_nomination, client):
    nomination = make_nomination(id_number=valid_id_number())
    client.force_login(tree.chair)
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("awards:nomination_detail", args=[nomination.pk]),
        {"decision": "return", "comment": "  ", "version": nomination.version},
    )
    # The decision page again (400), saying why, with nothing confirmed.
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert 'name="confirmed"' not in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).state == S.SUBMITTED
    assert AuditEntry.objects.count() == before


def test_resubmit_over_quota_keeps_the_edit_unsaved(tree, campaign, make_nomination, client, individual_form_data):
    nomination = make_nomination(id_number=valid_id_number())
    from workflows.steps.decisions import decide

    decide(decision="return", case=nomination, actor=tree.chair, comment="补充")
    # Meanwhile the union's places were given up.
    Quota.objects.filter(awards_campaign=campaign, organisation=tree.town_a, category="individual").update(count=0)
    seen = Nomination.objects.get(pk=nomination.pk)
    client.force_login(tree.submitter)
    response = client.post(
        reverse("awards:nomination_edit", args=[nomination.pk]),
        individual_form_data(nominee_name=seen.nominee_name, deeds="改后的事迹", action="resubmit", version=seen.version),
    )
    assert response.status_code == 200 and "改后的事迹" in response.content.decode()
    after = Nomination.objects.get(pk=nomination.pk)
    assert after.state == S.RETURNED and after.deeds == seen.deeds and after.version == seen.version
    assert history_of(after).last().action == "awards.nomination.returned"


def test_stale_edit_is_409(tree, make_nomination, client, individual_form_data):
    nomination = make_nomination(submit=False, id_number=valid_id_number())
    client.force_login(tree.submitter)
    response = client.post(
        reverse("awards:nomination_edit", args=[nomination.pk]),
        individual_form_data(action="draft", version=nomination.version + 5),
    )
    assert response.status_code == 409
    assert Nomination.objects.get(pk=nomination.pk).nominee_name == nomination.nominee_name


def test_union_choice_is_limited_to_the_users_own(tree, client, create_url, individual_form_data, settings):
    from tests.conftest import make_user
    from awards.roles import Role

    both = make_user("submitter_two", (tree.union_a1, Role.SUBMITTER), (tree.union_a2, Role.SUBMITTER))
    client.force_login(both)
    form = client.get(create_url).context["form"]
    assert set(form.fields["organisation"].queryset) == {tree.union_a1, tree.union_a2}

    response = client.post(create_url, individual_form_data(organisation=tree.union_b1.pk))
    assert_refused(response, settings, ["李四"])
    assert "organisation" in response.context["form"].errors

    response = client.post(create_url, individual_form_data(organisation=tree.union_a2.pk))
    assert response.status_code == 302
    assert Nomination.objects.get().organisation == tree.union_a2


def test_an_empty_post_is_a_form_with_errors(tree, client, create_url, make_nomination, settings):
    """Found by the form fuzzer: a POST with no field left the form unbound,
    and reading its errors failed (500)."""
    client.force_login(tree.submitter)
    response = client.post(create_url, {})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Nomination.objects.exists()
    draft = make_nomination(submit=False)
    response = client.post(reverse("awards:nomination_edit", args=[draft.pk]), {})
    assert response.status_code == 200 and response.context["form"].errors
    draft.refresh_from_db()
    assert draft.nominee_name == "张三"
