"""Smaller points of the engine's pages, with no process app (moved from
tests/awards/test_smaller_points.py): the rounds' diff compares numbers as
words, the print-job log reads "开始打印", the public home page, and hashes
that wrap."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from workflows.cases.revisions import text_diff
from workflows.models import PrintJob, PrintJobStatus


def test_the_diff_compares_numbers_as_words():
    segments = text_diff("年产值约260万元。", "年产值261万元。")
    assert ("delete", "约260") in segments and ("insert", "261") in segments
    changed = [text for op, text in segments if op != "equal"]
    assert all("2601" not in text and text not in ("1", "0") for text in changed)
    assert text_diff("score 3.5 points", "score 3.75 points") == [
        ("equal", "score "), ("delete", "3.5"), ("insert", "3.75"), ("equal", " points"),
    ]


@pytest.mark.django_db
def test_the_print_job_log_reads_printing_started(people, client):
    job = PrintJob.objects.create(
        title="证书", organisation=people.district, status=PrintJobStatus.RUNNING, total=1, attempts=1,
        started=timezone.now(), progressed=timezone.now(), created_by=people.admin,
    )
    client.force_login(people.admin)
    response = client.get(reverse("print_job_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and "开始打印" in response.content.decode()


@pytest.mark.django_db
def test_the_public_home_page(people, client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("notice_list")}"' in page and f'href="{reverse("verify_lookup")}"' in page
    client.force_login(people.submitter)
    assert client.get("/")["Location"] == reverse("inbox")


def test_long_hashes_wrap():
    with open(finders.find("css/app.css"), encoding="utf-8") as f:
        css = f.read()
    assert re.search(r"code[^{]*\{[^}]*overflow-wrap:\s*anywhere", css)
