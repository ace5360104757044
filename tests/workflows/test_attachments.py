"""The engine's one attachment part (workflows.attachments), as the three
processes that carry files use it: files chosen on a form that came back
with errors are kept (model home lost them before), one download whose
access is the case's own (the uploader's union and the district yes, a
foreign union 404), the chosen name sent in RFC 5987 form, and the clean-up
of held files nobody came back for."""

import datetime
import os
import re
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.awards.modelhome.conftest import fill, mh  # noqa: F401 (fixture)
from tests.awards.modelhome.test_submission import _post_data
from tests.conftest import MEDAL_ANSWERS, PDF_BYTES
from tests.evaluations.congress.conftest import kinds, open_period  # noqa: F401 (fixtures)
from awards.kinds.models import KindCase
from workflows.attachments.services import from_upload
from workflows.attachments.views import content_disposition
from workflows.documents.storage import private_storage
from workflows.models import Attachment


def _pdf(name="职代会决议.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_model_home_keeps_a_chosen_file_across_a_form_error(mh, client, django_capture_on_commit_callbacks):  # noqa: F811
    from awards.modelhome.models import Application

    client.force_login(mh.submitter)
    url = reverse("modelhome:application_create", args=[mh.campaign.code])
    item = mh.campaign.standard_version.ordered_items().get(code="4.1")
    data = _post_data(mh, **{"1_1": "三分"})  # not a number: the form comes back
    data["action"] = "save"
    data[f"file_{item.pk}"] = _pdf()
    page = client.post(url, data).content.decode()
    assert not Application.objects.exists()
    assert "职代会决议.pdf" in page
    key = re.search(r'name="held_attachments" value="([0-9a-f]+)"', page).group(1)

    # Corrected and posted again without choosing the file again: it is saved, with its item.
    data = _post_data(mh)
    data["action"] = "save"
    data["held_attachments"] = [key]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    attachment = Application.objects.get().attachments.get()
    assert attachment.original_name == "职代会决议.pdf" and attachment.kind == str(item.pk)
    assert attachment.content_type == "application/pdf" and len(attachment.sha256) == 64
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    # The held copy is gone once the attachment has its own file.
    assert private_storage().listdir("held")[1] == []


def test_model_home_refuses_a_file_that_is_not_what_it_says_before_saving(mh, client):  # noqa: F811
    from awards.modelhome.models import Application

    client.force_login(mh.submitter)
    item = mh.campaign.standard_version.ordered_items().get(code="4.1")
    data = _post_data(mh)
    data["action"] = "save"
    data[f"file_{item.pk}"] = SimpleUploadedFile("决议.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(reverse("modelhome:application_create", args=[mh.campaign.code]), data)
    assert response.status_code == 200 and "决议.pdf" in response.content.decode()
    assert not Application.objects.exists() and not Attachment.objects.exists()


# One download for every process, with the case's own access ----------------

def _case_file(tree, campaign):
    """A May Day medal's case (the kind mayday-individual) handed in by
    union A1 with one file in its attachments field."""
    from django.utils.datastructures import MultiValueDict

    from awards.kinds import cases

    [version] = [v for v in campaign.offered_versions if v.kind.code == "mayday-individual"]
    form = cases.form_class(version)(dict(MEDAL_ANSWERS), MultiValueDict({"attachments": [_pdf()]}))
    assert form.is_valid(), form.errors
    case = cases.do_create_case(campaign=campaign, organisation=tree.union_a1, name="张三", form=form,
                                actor=tree.submitter, submit=True, version=version)
    return Attachment.objects.get(case_type=ContentType.objects.get_for_model(case), case_id=case.pk)


def _application_file(mh):  # noqa: F811
    from awards.modelhome import services
    from awards.modelhome.models import Application
    from tests.awards.modelhome.conftest import full_answers

    application = Application(campaign=mh.campaign, organisation=mh.union_a1, chair_name="王主席", staff_count=200,
                              member_count=196, satisfaction_surveyed=150, satisfaction_satisfied=145, deeds="建家。")
    item = mh.campaign.standard_version.ordered_items().get(code="4.1")
    services.application_save(application=application, actor=mh.submitter, answers=full_answers(mh.campaign),
                              attachments=[from_upload(_pdf(), kind=item.pk)], submit=True)
    return application.attachments.get()


def _report_file(tree, open_period):  # noqa: F811
    from evaluations.congress import services
    from evaluations.congress.models import Report

    report = Report.objects.get(period=open_period(), organisation=tree.union_a1)
    services.do_save_report_draft(report=report, data={}, actor=tree.submitter,
                                  attachments=[from_upload(_pdf(), kind="minutes")])
    return report.attachment_files.get()


# Marked: its fixtures are asked for by name, so without the mark pytest-django
# would order it after the transactional tests, whose flush empties the
# report kinds the congress case needs.
@pytest.mark.django_db
@pytest.mark.parametrize("process", ["mayday", "modelhome", "congress"])
def test_each_process_downloads_through_the_engine_with_its_own_access(process, request, client):
    tree = request.getfixturevalue("tree")
    if process == "mayday":
        attachment = _case_file(tree, request.getfixturevalue("mayday_campaign"))
        district = tree.reviewer_d
    elif process == "modelhome":
        attachment = _application_file(request.getfixturevalue("mh"))
        district = tree.admin_d
    else:
        attachment = _report_file(tree, request.getfixturevalue("open_period"))
        district = tree.reviewer_d
    url = reverse("attachment_download", args=[attachment.pk])
    for user in (tree.submitter, district):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
    for user in (tree.submitter_b, tree.outsider):  # a foreign union, no role at all
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_old_download_addresses_redirect_to_the_engine(tree, mh, open_period, client):  # noqa: F811
    files = [(_application_file(mh), "modelhome:attachment_download"),
             (_report_file(tree, open_period), "congress:attachment")]
    client.force_login(tree.submitter)
    for number, (attachment, name) in enumerate(files, start=1):
        attachment.legacy_id = number
        attachment.save(update_fields=["legacy_id"])
        response = client.get(reverse(name, args=[attachment.case_id, number]))
        assert response.status_code == 301
        assert response["Location"] == reverse("attachment_download", args=[attachment.pk])
    client.force_login(tree.submitter_b)
    for number, (attachment, name) in enumerate(files, start=1):
        assert client.get(reverse(name, args=[attachment.case_id, number])).status_code == 404


def test_a_may_day_download_address_leads_to_the_carried_cases_file(tree, mayday_campaign, client):
    """A nomination's old download address (/awards/nominations/<old>/
    attachments/<old file>/) finds its file on the case carried from it
    (awards/legacy/views.py), by the file's old number."""
    attachment = _case_file(tree, mayday_campaign)
    nomination = ContentType.objects.get_or_create(app_label="awards", model="nomination")[0]
    KindCase.objects.filter(pk=attachment.case_id).update(carried_from_type=nomination, carried_from_id=4242)
    attachment.legacy_id = 7
    attachment.save(update_fields=["legacy_id"])
    client.force_login(tree.submitter)
    response = client.get("/awards/nominations/4242/attachments/7/")
    assert response.status_code == 301
    assert response["Location"] == reverse("attachment_download", args=[attachment.pk])
    assert client.get("/awards/nominations/4242/attachments/987654/").status_code == 404
    client.force_login(tree.submitter_b)  # a foreign union: not told it exists
    assert client.get("/awards/nominations/4242/attachments/7/").status_code == 404


def test_the_chosen_name_is_sent_in_rfc_5987_form(tree, mayday_campaign, client):
    attachment = _case_file(tree, mayday_campaign)
    attachment.original_name = '职代会 "纪要" résumé.pdf'
    attachment.save(update_fields=["original_name"])
    client.force_login(tree.submitter)
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    disposition = response["Content-Disposition"]
    assert disposition == ("attachment; filename=\"___ ____ resume.pdf\"; "
                           "filename*=UTF-8''" + quote('职代会 "纪要" résumé.pdf', safe=""))
    assert "%E8%81%8C%E4%BB%A3%E4%BC%9A" in disposition  # 职代会
    assert content_disposition("minutes.pdf") == "attachment; filename=\"minutes.pdf\"; filename*=UTF-8''minutes.pdf"


def test_the_page_lists_a_case_s_attachments_with_the_engine_link(tree, mayday_campaign, client):
    attachment = _case_file(tree, mayday_campaign)
    client.force_login(tree.reviewer_a)
    page = client.get(reverse("kinds:case_detail", args=[attachment.case_id])).content.decode()
    assert reverse("attachment_download", args=[attachment.pk]) in page and "职代会决议.pdf" in page


# Held files nobody came back for -----------------------------------------------

def test_stale_held_files_are_pruned_but_never_an_attachment_s(tree, mayday_campaign, settings):
    from workflows.scheduling import daily_jobs

    assert "prune_held_uploads" in daily_jobs()
    storage = private_storage()
    stale = storage.save("held/stale.pdf", ContentFile(PDF_BYTES))
    fresh = storage.save("held/fresh.pdf", ContentFile(PDF_BYTES))
    in_use = storage.save("held/old-attachment.pdf", ContentFile(PDF_BYTES))
    attachment = _case_file(tree, mayday_campaign)
    attachment.file.name = in_use  # May Day once kept taken files in place
    attachment.save(update_fields=["file"])
    two_days_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    for name in (stale, in_use):
        os.utime(storage.path(name), (two_days_ago, two_days_ago))
    call_command("prune_held_uploads", verbosity=0)
    assert not storage.exists(stale)
    assert storage.exists(fresh) and storage.exists(in_use)
