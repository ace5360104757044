"""Batch printing in the background: the job, its progress, its PDF, its
failure and retry; through the immediate backend, the real database worker
and RQ where a Redis is at hand."""

import datetime
import io
import signal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from pypdf import PdfReader

from workflows.documents import printing

from workflows.documents import tasks
from workflows.audit import action_label, history_of
from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.models import Certificate, Document, PrintJob, PrintJobStatus
from workflows.documents.services import (
    FAILURE_ERROR,
    FAILURE_TIMEOUT,
    FAILURE_WORKER_STOPPED,
    failure_message,
    print_job_create,
    print_job_is_stalled,
    print_job_retry,
)

from ..conftest import make_org, make_user
from .test_documents import drawn_font_names, is_cjk_font, page_qr_url

NAMES = ["赵一", "钱二", "孙三"]


@pytest.fixture
def certificates(tree, make_mayday_case, grant_case, settings):
    # Small chunks so that progress has steps to show; one process: the
    # pool is the benchmark's business (and test_pool_joins_in_order's).
    settings.UNIONFLOW_PRINT_CHUNK = 1
    settings.UNIONFLOW_PRINT_PROCESSES = 1
    return [grant_case(make_mayday_case(name=name)) for name in NAMES]


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
        assert any(is_cjk_font(name) for name in drawn_font_names(page))
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


def english(message):
    with translation.override("en"):
        return escape(str(message))


def test_failed_job_says_why_and_can_be_retried(client, tree, certificates, monkeypatch, django_capture_on_commit_callbacks):
    def broken(html, base_url, out_dir):
        raise OSError("No space left on device")

    monkeypatch.setattr(printing.pdfworker, "render_chunk", broken)
    job = create_job(tree, certificates, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.FAILED and job.document is None
    # The technical text is kept for the admin; the page says it in words.
    assert "No space left on device" in job.error and job.failure == FAILURE_ERROR
    failed = history_of(job).get(action="workflows.print_job.failed")
    assert failed.data == {"reason": FAILURE_ERROR, "attempt": 1}
    client.force_login(tree.admin_d)
    page = client.get(reverse("print_job_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No space left on device" not in page and "OSError" not in page
    assert english(failure_message(FAILURE_ERROR)) in page and reverse("print_job_retry", args=[job.pk]) in page
    assert "workflows.print_job" not in page and english(action_label("workflows.print_job.failed")) in page
    status = client.get(reverse("print_job_status", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").json()
    with translation.override("en"):
        assert status["status"] == "failed" and status["error"] == str(failure_message(FAILURE_ERROR))

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("print_job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == PrintJobStatus.DONE and job.error == job.failure == "" and job.attempts == 2
    assert_one_page_per_certificate(job, certificates)
    with pytest.raises(AlreadyHandled):  # only a failed job is retried
        print_job_retry(job=job, actor=tree.admin_d)


def test_a_chunk_timeout_reads_as_its_own_reason(tree, certificates, monkeypatch, django_capture_on_commit_callbacks):
    def killed(ids, out, *, progress, **kwargs):
        raise printing.ChunkTimeout("A chunk of 1 certificates took longer than 900 s")

    monkeypatch.setattr(tasks, "print_certificates", killed)
    job = create_job(tree, certificates, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.FAILED and job.failure == FAILURE_TIMEOUT
    assert failure_message(FAILURE_TIMEOUT) != failure_message(FAILURE_ERROR)
    assert failure_message("") == failure_message("made-up") == failure_message(FAILURE_ERROR)


def _running(tree, certificates, capture):
    """A job a worker claimed (attempt 1) and then died on: RUNNING, with no
    task behind it any more."""
    with capture(execute=False):
        job = print_job_create(
            actor=tree.admin_d, certificates=Certificate.objects.filter(pk__in=[c.pk for c in certificates]),
            organisation=tree.district, title="卡住的任务",
        )
    tasks._claim(job.pk)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.RUNNING and job.attempts == 1 and job.progressed
    return job


def _silent_for(job, seconds):
    PrintJob.objects.filter(pk=job.pk).update(progressed=timezone.now() - datetime.timedelta(seconds=seconds))
    job.refresh_from_db()


def test_a_running_job_with_a_live_worker_is_not_retried(client, tree, certificates, settings, django_capture_on_commit_callbacks):
    settings.UNIONFLOW_PRINT_CHUNK_TIMEOUT = 60
    job = _running(tree, certificates, django_capture_on_commit_callbacks)
    _silent_for(job, 59)
    assert not print_job_is_stalled(job)
    with pytest.raises(AlreadyHandled):
        print_job_retry(job=job, actor=tree.admin_d)
    client.force_login(tree.admin_d)
    page = client.get(reverse("print_job_detail", args=[job.pk])).content.decode()
    assert reverse("print_job_retry", args=[job.pk]) not in page
    assert client.post(reverse("print_job_retry", args=[job.pk])).status_code == 409
    job.refresh_from_db()
    assert job.status == PrintJobStatus.RUNNING and job.attempts == 1


def test_a_job_whose_worker_stopped_can_be_retried(client, tree, certificates, settings, django_capture_on_commit_callbacks):
    settings.UNIONFLOW_PRINT_CHUNK_TIMEOUT = 60
    job = _running(tree, certificates, django_capture_on_commit_callbacks)
    _silent_for(job, 61)
    assert print_job_is_stalled(job)
    client.force_login(tree.admin_d)
    page = client.get(reverse("print_job_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english(failure_message(FAILURE_WORKER_STOPPED)) in page
    assert reverse("print_job_retry", args=[job.pk]) in page
    assert client.get(reverse("print_job_status", args=[job.pk])).json()["error"]
    # Someone who may see but not administer the job gets no retry.
    with pytest.raises(NotAllowed):
        print_job_retry(job=job, actor=tree.reviewer_d)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("print_job_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == PrintJobStatus.DONE and job.attempts == 2 and job.done == job.total == 3
    assert_one_page_per_certificate(job, certificates)
    failed, retried = history_of(job).filter(action__in=["workflows.print_job.failed", "workflows.print_job.retried"])
    assert failed.action == "workflows.print_job.failed" and failed.data["reason"] == FAILURE_WORKER_STOPPED
    assert failed.from_state == PrintJobStatus.RUNNING and failed.actor is None
    assert retried.actor == tree.admin_d and retried.pk > failed.pk


@pytest.mark.parametrize("successor", ["printing", "finished"])
@pytest.mark.parametrize("wakes_up", ["with_progress", "with_result"])
def test_a_run_given_up_for_dead_cannot_overwrite_its_successor(
    tree, certificates, settings, monkeypatch, django_capture_on_commit_callbacks, wakes_up, successor
):
    """The first run hangs after its first chunk; the administrator retries;
    a second run claims the job (and is still printing, or has finished).
    Then the first run wakes up: its next progress report, or its finished
    PDF, belongs to an attempt that is no longer the job's, so it stops and
    writes nothing."""
    settings.UNIONFLOW_PRINT_CHUNK_TIMEOUT = 60
    real = tasks.print_certificates
    hung = []

    def first_run_hangs(ids, out, *, progress, **kwargs):
        if hung:  # the second run prints normally
            return real(ids, out, progress=progress, **kwargs)
        hung.append(True)
        progress(0, len(ids))
        job = PrintJob.objects.get()
        _silent_for(job, 61)
        with django_capture_on_commit_callbacks(execute=successor == "finished"):
            print_job_retry(job=job, actor=tree.admin_d)
        if successor == "printing":
            tasks._claim(job.pk)
            PrintJob.objects.filter(pk=job.pk).update(done=1)  # the second run's own progress
        job.refresh_from_db()
        assert job.attempts == 2
        # ...and the first run wakes up.
        return real(ids, out, progress=progress if wakes_up == "with_progress" else None, **kwargs)

    monkeypatch.setattr(tasks, "print_certificates", first_run_hangs)
    with django_capture_on_commit_callbacks(execute=False):
        job = print_job_create(
            actor=tree.admin_d, certificates=Certificate.objects.all(), organisation=tree.district, title="x"
        )
    assert tasks.run_print_job.call(job.pk) is None  # the first run: superseded, no result
    job.refresh_from_db()
    assert job.attempts == 2 and job.error == job.failure == ""
    assert history_of(job).filter(action="workflows.print_job.failed").count() == 1
    if successor == "printing":
        assert job.status == PrintJobStatus.RUNNING and job.done == 1 and job.document is None
        assert not Document.objects.filter(kind="certificate_batch").exists()
    else:
        assert job.status == PrintJobStatus.DONE and job.done == job.total == 3
        assert Document.objects.filter(kind="certificate_batch").get() == job.document
        assert_one_page_per_certificate(job, certificates)


def test_pool_joins_chunks_in_order(tree, certificates, settings):
    settings.UNIONFLOW_PRINT_PROCESSES = 2
    out = io.BytesIO()
    ids = [c.pk for c in reversed(certificates)]
    laid_out = printing.page_counter()
    result = printing.print_certificates(ids, out, chunk=1, laid_out=laid_out)
    assert result.processes == 2 and result.chunks == 3 and result.pages == 3
    assert laid_out.value == 3  # each page counted once, in the pool's processes
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


# Worker death noticed by lease, taken up by the sweep -----------------------

def _lease_expired(job):
    PrintJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    job.refresh_from_db()


def test_the_running_job_holds_a_lease_well_under_a_minute(tree, certificates, django_capture_on_commit_callbacks):
    from workflows.background.leases import lease_seconds
    from workflows.background.sweep import sweep_seconds

    job = _running(tree, certificates, django_capture_on_commit_callbacks)
    assert job.worker and job.lease_until > timezone.now()
    assert (job.lease_until - job.started).total_seconds() == lease_seconds()
    assert lease_seconds() + sweep_seconds() < 60  # noticed within a minute
    assert not print_job_is_stalled(job)
    _lease_expired(job)
    assert print_job_is_stalled(job)  # long before the 900 s a chunk may take


def test_a_job_whose_worker_died_is_printed_again_by_itself(client, tree, certificates, django_capture_on_commit_callbacks):
    from workflows.background.sweep import sweep

    job = _running(tree, certificates, django_capture_on_commit_callbacks)
    assert sweep().print_jobs_requeued == 0  # alive: its lease holds
    _lease_expired(job)
    client.force_login(tree.admin_d)
    page = client.get(reverse("print_job_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english(failure_message(FAILURE_WORKER_STOPPED)) in page  # shown as stopped at once

    with django_capture_on_commit_callbacks(execute=False):
        assert sweep().print_jobs_requeued == 1
    job.refresh_from_db()
    assert job.status == PrintJobStatus.PENDING and job.failure == FAILURE_WORKER_STOPPED
    page = client.get(reverse("print_job_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "it is being printed again by itself (attempt 2 of 3)" in page
    assert reverse("print_job_retry", args=[job.pk]) not in page
    assert "attempt 2 of 3" in client.get(reverse("print_job_status", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").json()["notice"]

    # The hand-over after that commit was lost too: the next sweep queues it.
    PrintJob.objects.filter(pk=job.pk).update(created=timezone.now() - datetime.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().print_jobs_queued == 1
    job.refresh_from_db()
    assert job.status == PrintJobStatus.DONE and job.attempts == 2 and job.failure == job.error == ""
    assert job.lease_until is None
    assert_one_page_per_certificate(job, certificates)
    actions = list(history_of(job).values_list("action", "actor", "data"))
    assert ("workflows.print_job.failed", None, {"reason": FAILURE_WORKER_STOPPED, "attempt": 1}) in actions
    assert ("workflows.print_job.requeued", None, {"reason": FAILURE_WORKER_STOPPED, "attempt": 2}) in actions


def test_once_its_attempts_are_used_up_it_waits_for_a_person(client, tree, certificates, settings, django_capture_on_commit_callbacks):
    from workflows.background.sweep import sweep

    settings.UNIONFLOW_PRINT_ATTEMPTS = 1
    job = _running(tree, certificates, django_capture_on_commit_callbacks)
    _lease_expired(job)
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep()
    assert result.print_jobs_failed == 1 and result.print_jobs_requeued == 0
    job.refresh_from_db()
    assert job.status == PrintJobStatus.FAILED and job.failure == FAILURE_WORKER_STOPPED
    client.force_login(tree.admin_d)
    page = client.get(reverse("print_job_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("print_job_retry", args=[job.pk]) in page


def test_a_job_never_handed_to_the_queue_is_queued_by_the_sweep(tree, certificates, django_capture_on_commit_callbacks):
    from workflows.background.sweep import sweep

    with django_capture_on_commit_callbacks(execute=False):  # the server died right after the commit
        job = print_job_create(
            actor=tree.admin_d, certificates=Certificate.objects.all(), organisation=tree.district, title="lost"
        )
    assert sweep().print_jobs_queued == 0  # fresh: left to the on-commit hand-over
    PrintJob.objects.filter(pk=job.pk).update(created=timezone.now() - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().print_jobs_queued == 1
    job.refresh_from_db()
    assert job.status == PrintJobStatus.DONE and job.attempts == 1


def test_a_retry_of_a_finished_job_is_refused(client, tree, certificates, django_capture_on_commit_callbacks):
    job = create_job(tree, certificates, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == PrintJobStatus.DONE
    client.force_login(tree.admin_d)
    response = client.post(reverse("print_job_retry", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409 and "has already finished" in response.content.decode()
    job.refresh_from_db()
    assert job.status == PrintJobStatus.DONE and job.attempts == 1
    assert not history_of(job).filter(action="workflows.print_job.retried").exists()


@pytest.mark.django_db(transaction=True)
def test_progress_moves_page_by_page_within_a_chunk(tree, certificates, settings, monkeypatch):
    """One chunk of three: joining reports only 0 and 3, but the heartbeat
    records the pages as they are laid out (data committed: the heartbeat
    has its own connection)."""
    settings.UNIONFLOW_PRINT_CHUNK = 3
    settings.UNIONFLOW_PRINT_HEARTBEAT_SECONDS = 0.01
    seen = []

    class Watching(tasks.Heartbeat):
        def __init__(self, renew, interval=None):
            def renew_and_look():
                alive = renew()
                seen.append(PrintJob.objects.values_list("done", flat=True).get())
                return alive

            super().__init__(renew_and_look, interval)

    monkeypatch.setattr(tasks, "Heartbeat", Watching)
    job = print_job_create(
        actor=tree.admin_d, certificates=Certificate.objects.all(), organisation=tree.district, title="pages"
    )
    job.refresh_from_db()
    assert job.status == PrintJobStatus.DONE and job.done == 3 and job.attempts == 1
    assert any(0 < done < 3 for done in seen), seen
    assert seen == sorted(seen)  # never goes down


def test_posted_series_or_ids_that_are_no_such_thing_print_nothing(client, tree):
    """Found by the form fuzzer on PostgreSQL (which refuses a NUL in a
    query): a series with a NUL, or an id of non-ASCII digits, was a 500."""
    client.force_login(tree.admin_d)
    for data in ({"series": "mayday\x00"}, {"ids": ["²"]}):
        response = client.post(reverse("print_job_create"), data)
        assert response.status_code == 302 and response["Location"] == reverse("certificate_list"), data
    assert not PrintJob.objects.exists()
