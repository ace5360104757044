"""The task-queue side of the outbox: the queue runs a row soon after its
commit; the sweep covers what it never ran."""

from django_tasks import task

from workflows.background.outbox import run_item


@task()
def run_outbox_item(item_id):
    run_item(item_id)
    return item_id
