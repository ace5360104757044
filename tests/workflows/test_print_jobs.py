"""Batch printing in the background: the job, its progress, its PDF, its
failure and retry; through the immediate backend, the real database worker
and RQ where a Redis is at hand."""

import io
import signal

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from workflows import printing, tasks
from workflows.exceptions import NotAllowed
from workflows.models import Certificate, PrintJob, PrintJobStatus
from workflows.services import print_job_create, print_job_retry

from ..conftest import make_org, make_user
from .test_documents import font_names, page_qr_url

NAMES = ["赵一", "钱二", "孙三"]


@pytest.fixture
def certificates(tree, make_nomination, award, settings):
    # Small chunks so that progress has steps to show; one process: the
    # pool is the benchmark's business (and test_pool_joins_in_order's).
    settings.UNIONFLOW_PRINT_CHUNK = 1
    settings.UNIONFLOW_PRINT_PROCESSES = 1
    return [award(make_nomination(nominee_name=name, id_number=f"11010119850301{i:04d}")) for i, name in enumerate(NAMES)]


def create_job(tree, certificates, capture):
    with capture(execute=True):
        return print_job_create(
            actor=tree.admin_d,
            certificates=Certificate.objects.filter(pk__in=[c.pk for c in certificates]),
            organisation=tree.district,
            title="测试打印",
        )


def assert_one_page_per_certificate(job, certificates):
    with job.document.file.open("rb") as f:
        pdf = PdfReader(io.BytesIO(f.read()))
    assert len(pdf.pages) == len(certificates)
    for page, certificate in zip(pdf.pages, sorted(certificates, key=lambda c: c.sequence)):
        assert certificate.holder_name in page.extract_text()
        assert any("CJK" in name for name in font_names(page))
        assert page_qr_url(page).endswith(f"/verify/{certificate.token}/")


def test_job_through_the_immediate_backend(tree, certificates, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    real = tasks.print_certificates

    def watching(ids, out, *, progress, **kwargs):
        def recorded(done, total):
            progress(done, total)
            seen.append(PrintJob.objects.get().done)

        return real(ids, out, progress=recorded, **kwargs)

    monkeypatch.setattr(tasks, "print_certificates", watching)
    job = create_job(tree, certificates, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.DONE and job.error == ""
    assert seen == [0, 1, 2, 3]
    assert job.done == job.total == 3 and job.attempts == 1
    assert job.document.sha256 and job.document.kind == "certificate_batch"
    assert_one_page_per_certificate(job, certificates)


def test_job_pages(client, tree, certificates, django_capture_on_commit_callbacks):
    job = create_job(tree, certificates, django_capture_on_commit_callbacks)
    client.force_login(tree.admin_d)
    page = client.get(reverse("print_job_detail", args=[job.pk])).content.decode()
    assert "3 / 3" in page and reverse("print_job_pdf", args=[job.pk]) in page
    status = client.get(reverse("print_job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["done"] == status["total"] == 3 and status["percent"] == 100
    pdf = client.get(reverse("print_job_pdf", args=[job.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("print_job_list")).status_code == 200
    # Not theirs: a reviewer of the district gets 403 on the list, 404 on a job.
    client.force_login(tree.reviewer_d)
    assert client.get(reverse("print_job_list")).status_code == 403
    assert client.get(reverse("print_job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("print_job_pdf", args=[job.pk])).status_code == 404


def test_printing_from_the_certificate_list(client, tree, certificates, django_capture_on_commit_callbacks):
    client.force_login(tree.admin_d)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("print_job_create"), {"ids": [certificates[0].pk, certificates[2].pk]})
    job = PrintJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("print_job_detail", args=[job.pk])
    assert job.status == PrintJobStatus.DONE and job.total == 2
    assert_one_page_per_certificate(job, [certificates[0], certificates[2]])


def test_a_branch_cannot_print_another_branchs_certificates(client, tree, certificates):
    other = make_org("另一区总工会", "other-district", "district")
    other_admin = make_user("admin_other", (other, "district_admin"))
    client.force_login(other_admin)
    assert client.post(reverse("print_job_create"), {"ids": [certificates[0].pk]}).status_code == 404
    with pytest.raises(NotAllowed):
        print_job_create(
            actor=other_admin, certificates=Certificate.objects.all(), organisation=other, title="x"
        )
    with pytest.raises(NotAllowed):
        print_job_create(
            actor=tree.reviewer_d, certificates=Certificate.objects.all(), organisation=tree.district, title="x"
        )
    assert not PrintJob.objects.exists()


def test_failed_job_says_why_and_can_be_retried(client, tree, certificates, monkeypatch, django_capture_on_commit_callbacks):
    def broken(html, base_url, out_dir):
        raise OSError("No space left on device")

    monkeypatch.setattr(printing.pdfworker, "render_chunk", broken)
    job = create_job(tree, certificates, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.FAILED and job.document is None
    assert "No space left on device" in job.error
    client.force_login(tree.admin_d)
    page = client.get(reverse("print_job_detail", args=[job.pk])).content.decode()
    assert "No space left on device" in page and reverse("print_job_retry", args=[job.pk]) in page

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("print_job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == PrintJobStatus.DONE and job.error == "" and job.attempts == 2
    assert_one_page_per_certificate(job, certificates)
    with pytest.raises(Exception):  # only a failed job is retried
        print_job_retry(job=job, actor=tree.admin_d)


def test_pool_joins_chunks_in_order(tree, certificates, settings):
    settings.UNIONFLOW_PRINT_PROCESSES = 2
    out = io.BytesIO()
    ids = [c.pk for c in reversed(certificates)]
    result = printing.print_certificates(ids, out, chunk=1)
    assert result.processes == 2 and result.chunks == 3 and result.pages == 3
    pdf = PdfReader(io.BytesIO(out.getvalue()))
    assert [p.extract_text().count(c.holder_name) > 0 for p, c in zip(pdf.pages, reversed(certificates))] == [True] * 3


@pytest.mark.django_db(transaction=True)
def test_job_through_the_database_worker(tree, certificates, settings):
    """The real backend: the job is a row in the task table until
    `manage.py db_worker --batch` picks it up and runs it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = print_job_create(
        actor=tree.admin_d, certificates=Certificate.objects.all(), organisation=tree.district, title="worker"
    )
    job.refresh_from_db()
    assert job.status == PrintJobStatus.PENDING and job.task_id
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)
    finally:  # the worker installs its own handlers: give pytest its own back
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.DONE and job.done == 3
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    assert_one_page_per_certificate(job, certificates)


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("No Redis at 127.0.0.1:6379: the RQ backend is tested only where one runs.")


def test_job_through_rq(tree, certificates, settings, django_capture_on_commit_callbacks):
    """The same task on RQ over Redis (database 15, emptied before and
    after), run by an in-process RQ worker in burst mode."""
    _redis_or_skip()
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/15"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.connection.flushdb()
    try:
        job = create_job(tree, certificates, django_capture_on_commit_callbacks)
        job.refresh_from_db()
        assert job.status == PrintJobStatus.PENDING and queue.count == 1
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        job.refresh_from_db()
        assert job.status == PrintJobStatus.DONE and job.done == 3
        assert_one_page_per_certificate(job, certificates)
    finally:
        queue.connection.flushdb()
