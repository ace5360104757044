"""`manage.py check_integrity` finds a case whose state and open tasks
disagree, and passes on sound ones."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from awards.kinds.models import KindCase
from workflows.models import PrintJob, PrintJobStatus
from workflows.steps.decisions import decide


def test_sound_cases_pass_and_a_state_changed_behind_the_engine_is_named(tree, make_mayday_case):
    case = make_mayday_case()
    decide(decision="confirm", case=case, actor=tree.chair)
    out = io.StringIO()
    call_command("check_integrity", "--no-documents", stdout=out)
    assert "0 violations" in out.getvalue()

    KindCase.objects.filter(pk=case.pk).update(state="granted")  # behind the engine's back
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_integrity", "--no-documents", stdout=io.StringIO(), stderr=err)
    report = err.getvalue()
    assert f"KindCase #{case.pk}: state 'granted', last audit entry says 'intermediate'" in report
    assert f"KindCase #{case.pk} (granted): no step is open in this state, yet tasks are" in report


def integrity_report(*args):
    err = io.StringIO()
    try:
        call_command("check_integrity", "--no-documents", *args, stdout=io.StringIO(), stderr=err)
    except CommandError:
        pass
    return err.getvalue()


def test_a_print_job_running_with_no_sign_of_life_has_lost_its_worker(tree):
    job = PrintJob.objects.create(title="t", organisation=tree.district, created_by=tree.admin_d,
                                  status=PrintJobStatus.RUNNING, attempts=1, total=10, done=3,
                                  progressed=timezone.now() - datetime.timedelta(minutes=5))
    assert integrity_report("--stale-after", "600") == ""
    assert f"print job #{job.pk}: running (attempt 1, 3/10) with no worker" in integrity_report("--stale-after", "60")


def test_a_task_claimed_and_never_finished_has_lost_its_worker(tree):
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [1], "kwargs": {}}, backend_name="default", run_after=timezone.now(),
        task_path="workflows.documents.tasks.render_certificate", worker_ids=["w1"],
        started_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    assert integrity_report("--stale-after", "600") == ""
    report = integrity_report("--stale-after", "0")
    assert f"task {result.id} (workflows.documents.tasks.render_certificate): running with no worker" in report
    assert "(worker w1)" in report


def test_a_certificate_left_without_its_pdf_is_named(make_mayday_case, grant_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the process died before the hand-over
        certificate = grant_case(make_mayday_case())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_integrity", stdout=io.StringIO(), stderr=err)
    assert f"certificate #{certificate.pk} {certificate.number}: no document (rendering pending" in err.getvalue()


def test_owed_work_whose_lease_ran_out_or_nobody_took_up_is_named(db):
    from workflows.models import OutboxItem, OutboxState

    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    held = OutboxItem.objects.create(kind="certificate_document", object_id=7, state=OutboxState.RUNNING,
                                     attempts=1, lease_until=long_ago, worker="w2")
    owed = OutboxItem.objects.create(kind="certificate_document", object_id=8, available_at=long_ago)
    assert integrity_report("--stale-after", "600") == ""
    report = integrity_report("--stale-after", "60")
    assert f"background work {held}: running with no worker, its lease ran out" in report and "(worker w2)" in report
    assert f"background work {owed}: owed since" in report and "not taken up (attempt 0 of 5)" in report
