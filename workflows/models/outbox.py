"""Work owed after a commit (the outbox): a row written in the same
transaction as the decision that owes it, so that a process dying between
the commit and the hand-over to the task queue loses nothing. A runner
holds a row under a lease it renews while it works; a row whose lease ran
out is taken up again (workflows.background)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class OutboxItem(models.Model):
    # What to do (a handler registered under this name) to which row.
    kind = models.CharField(_("kind"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("object id"))
    state = models.CharField(_("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    # Each run takes the next attempt number and writes only while the row
    # still carries it: a runner given up for dead that wakes up writes nothing.
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("attempts allowed"), default=5)
    # Not before (a failed attempt waits a little before the next).
    available_at = models.DateTimeField(_("due"), default=timezone.now)
    # Held by `worker` until then; renewed by its heartbeat while it works.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    # The task-queue entry that was to run it (the database backend's row is
    # marked failed when its worker is found dead).
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("background work item")
        verbose_name_plural = _("background work")
        indexes = [
            models.Index(fields=["state", "available_at"], name="outbox_due"),
            models.Index(fields=["kind", "object_id"], name="outbox_object"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id} ({self.state})"
