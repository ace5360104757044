"""Smaller points of the engine's pages, with no process app (moved from
tests/awards/test_smaller_points.py): the rounds' diff compares numbers as
words, the print-job log reads "开始打印", the public home page, hashes
that wrap; and from tests/awards/test_views.py's admin test, the engine's
admin pages with the audit log read only."""

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


@pytest.mark.django_db
def test_the_engines_admin_pages_and_the_audit_log_read_only(people, client, django_user_model):
    """Moved from the May Day admin test: the engine's records are shown in
    the admin; the audit log is neither added to, changed nor deleted there."""
    from workflows.audit import log_action
    from workflows.models import AuditEntry

    log_action(people.unit, "test.thing.done", actor=people.admin, comment="原文")
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(superuser)
    for name, args in [("admin:workflows_organisation_changelist", []), ("admin:workflows_membership_changelist", []),
                       ("admin:auth_user_change", [people.submitter.pk]),
                       ("admin:workflows_auditentry_changelist", []), ("admin:workflows_certificate_changelist", []),
                       ("admin:workflows_document_changelist", [])]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    entry = AuditEntry.objects.get()
    assert client.get(reverse("admin:workflows_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:workflows_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    answer = client.post(reverse("admin:workflows_auditentry_change", args=[entry.pk]), {"comment": "changed"})
    assert answer.status_code == 403 and AuditEntry.objects.get(pk=entry.pk).comment == "原文"
    changelist = client.get(reverse("admin:workflows_auditentry_changelist")).content.decode()
    assert 'name="action"' not in changelist  # no bulk actions, not even delete
