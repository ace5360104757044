"""The daily jobs on a schedule (`manage.py run_scheduler`, started by
`make run` beside the worker): they run at start and every day at the set
time, and one failing job does not stop the other."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command

from awards.kinds.notices import do_publish_notice
from tests.awards.kinds.test_mayday_rules import review_up
from workflows.management.commands import run_scheduler
from workflows.models import NoticeStatus, PublicNotice

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
AT = datetime.time(8, 15)


def local(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "now, expected",
    [
        (local(2026, 5, 4, 7, 0), local(2026, 5, 4, 8, 15)),
        (local(2026, 5, 4, 8, 15), local(2026, 5, 5, 8, 15)),
        (local(2026, 5, 4, 23, 59), local(2026, 5, 5, 8, 15)),
        (local(2026, 5, 4, 1, 0).astimezone(datetime.timezone.utc), local(2026, 5, 4, 8, 15)),  # 17:00 UTC the day before
    ],
)
def test_next_run_is_the_next_local_morning(now, expected):
    assert run_scheduler.next_run(now, AT) == expected


@pytest.fixture
def due_notice(tree, mayday_campaign, make_mayday_case):
    review_up(tree, make_mayday_case())
    notice = do_publish_notice(campaign=mayday_campaign, actor=tree.admin_d)
    PublicNotice.objects.filter(pk=notice.pk).update(closes_on=datetime.date.today() - datetime.timedelta(days=2))
    return notice


def test_once_runs_the_daily_jobs_and_a_failing_one_does_not_stop_the_other(due_notice, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr("workflows.management.commands.send_reminders.send_reminders", broken)
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    due_notice.refresh_from_db()
    assert due_notice.status == NoticeStatus.CLOSED
    assert "1 notice(s) closed" in out.getvalue()


def test_the_loop_runs_at_start_then_waits_for_the_next_morning(db, monkeypatch):
    runs, naps = [], []

    class Stop(Exception):
        pass

    def nap(seconds):
        naps.append(seconds)
        raise Stop

    monkeypatch.setattr(run_scheduler.Command, "run_jobs", lambda self: runs.append(1))
    monkeypatch.setattr(run_scheduler.time, "sleep", nap)
    out = io.StringIO()
    with pytest.raises(Stop):
        call_command("run_scheduler", "--at", "08:15", stdout=out)
    assert runs == [1] and "next run of the daily jobs" in out.getvalue()
    assert 1 <= naps[0] <= 60
