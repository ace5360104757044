"""The daily jobs `manage.py run_scheduler` runs: the engine's own, and
the management commands a process registers (in its AppConfig.ready) for
work that falls due by the calendar. Each must be idempotent: the scheduler
may run beside a cron entry, or twice."""

ENGINE_DAILY_JOBS = ("send_reminders", "close_notices", "prune_document_cache", "prune_held_uploads")

_registered = []


def register_daily_job(command):
    """Run management command `command` with the daily jobs."""
    if command not in _registered and command not in ENGINE_DAILY_JOBS:
        _registered.append(command)


def daily_jobs():
    return ENGINE_DAILY_JOBS + tuple(_registered)
