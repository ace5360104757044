"""Smaller points of the walk-through: word-level round diffs with the
attachments of the round, chosen files kept after a form error, names of
organisation and role, the print-job log, the public home page, hashes
that wrap, and the new-nomination entry on the list."""

import re

from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from workflows.cases.revisions import text_diff
from tests.conftest import PDF_BYTES, valid_id_number
from workflows.models import PrintJob, PrintJobStatus

from .test_views import decide, detail_url, fresh


def test_diff_compares_numbers_as_words():
    segments = text_diff("年产值约260万元。", "年产值261万元。")
    assert ("delete", "约260") in segments and ("insert", "261") in segments
    changed = [text for op, text in segments if op != "equal"]
    assert all("2601" not in text and text not in ("1", "0") for text in changed)
    assert text_diff("score 3.5 points", "score 3.75 points") == [
        ("equal", "score "), ("delete", "3.5"), ("insert", "3.75"), ("equal", " points"),
    ]


def _pdf(name):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_round_lists_attachments_added(tree, make_nomination, client, individual_form_data):
    nomination = make_nomination(id_number=valid_id_number())
    decide(client, tree.chair, nomination, "approve")
    decide(client, tree.reviewer_a, nomination, "return", comment="请补充职代会纪要")
    client.force_login(tree.submitter)
    data = individual_form_data(
        nominee_name=nomination.nominee_name, action="resubmit", version=fresh(nomination).version,
        attachments=_pdf("职代会纪要.pdf"),
    )
    response = client.post(reverse("awards:nomination_edit", args=[nomination.pk]), data)
    assert response.status_code == 302
    page = client.get(detail_url(nomination)).content.decode()
    assert re.search(r"新增附件[^<]*<ins>职代会纪要\.pdf</ins>", page)


def test_print_job_log_reads_printing_started(tree, client):
    job = PrintJob.objects.create(
        title="证书", organisation=tree.district, status=PrintJobStatus.RUNNING, total=1, attempts=1,
        started=timezone.now(), progressed=timezone.now(), created_by=tree.admin_d,
    )
    client.force_login(tree.admin_d)
    assert "开始打印" in client.get(reverse("print_job_detail", args=[job.pk])).content.decode()


def test_public_home_page(client, tree):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("notice_list")}"' in page and f'href="{reverse("verify_lookup")}"' in page
    client.force_login(tree.submitter)
    assert client.get("/")["Location"] == reverse("inbox")


def test_long_hashes_wrap():
    with open(finders.find("css/app.css"), encoding="utf-8") as f:
        css = f.read()
    assert re.search(r"code[^{]*\{[^}]*overflow-wrap:\s*anywhere", css)
