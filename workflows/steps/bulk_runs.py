"""The record of a bulk decision as it runs (workflows.models.bulk_runs):
every chosen case is written down before the first is decided, and each
case's outcome commits with its decision. A run that never finished
(cut off mid-way) is shown in the reviewer's inbox until they dismiss it:
which cases went through, which are still to decide."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from workflows.models import BulkItemStatus, BulkRun, BulkRunItem
from workflows.steps.registry import process_named


def stale_seconds():
    """An unfinished run silent this long was cut off (a live one records
    each case as it goes: well under a second apiece)."""
    return int(getattr(settings, "UNIONFLOW_BULK_STALE_SECONDS", 60))


def start_run(*, actor, process, decision, model, pks):
    run = BulkRun.objects.create(actor=actor, process=process.key, decision=decision)
    ct = ContentType.objects.get_for_model(model)
    BulkRunItem.objects.bulk_create(
        BulkRunItem(run=run, position=i, content_type=ct, object_id=pk) for i, pk in enumerate(pks)
    )
    return run


def mark(run, position, status):
    now = timezone.now()
    BulkRunItem.objects.filter(run=run, position=position).update(status=status, handled=now)
    BulkRun.objects.filter(pk=run.pk).update(updated=now)


def finish_run(run):
    BulkRun.objects.filter(pk=run.pk).update(finished=timezone.now(), updated=timezone.now())


def _decision_label(process, code):
    for step in process.steps:
        for decision in step.decisions:
            if decision.code == code:
                return decision.label
    return code


def interrupted_runs(user, limit=3):
    """The user's runs that were cut off and not yet dismissed, each with
    the cases that went through and those still to decide. Only cases the
    user may see now are named (the process's scoped selector). A fixed
    number of queries whatever the inbox holds."""
    cutoff = timezone.now() - datetime.timedelta(seconds=stale_seconds())
    runs = list(BulkRun.objects.filter(actor=user, finished__isnull=True, acknowledged=False, updated__lt=cutoff)[:limit])
    if not runs:
        return []
    items = list(BulkRunItem.objects.filter(run__in=runs))
    wanted = {}
    for run in runs:
        wanted.setdefault(run.process, set()).update(i.object_id for i in items if i.run_id == run.pk)
    cases = {}
    for key, pks in wanted.items():
        process = process_named(key)
        for case in process.selector(user).filter(pk__in=pks):
            cases[(key, case.pk)] = case
    accounts = []
    for run in runs:
        done, not_done = [], []
        for item in (i for i in items if i.run_id == run.pk):
            case = cases.get((run.process, item.object_id))
            if case is None:
                continue
            (done if item.status == BulkItemStatus.DONE else not_done).append(
                {"case": case, "status": item.get_status_display()}
            )
        accounts.append({"run": run, "decision": _decision_label(process_named(run.process), run.decision),
                         "done": done, "not_done": not_done})
    return accounts


def dismiss_run(*, user, run_id):
    """The reviewer has read the account; only their own run."""
    return BulkRun.objects.filter(pk=run_id, actor=user, finished__isnull=True).update(acknowledged=True)
