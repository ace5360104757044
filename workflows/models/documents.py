"""Batch printing jobs: a set of certificates printed into one PDF by a
background worker, with progress the page can show."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models.core import Certificate, Document, Organisation


# Why a print job failed (PrintJob.failure); the messages are the services'.
FAILURE_ERROR = "error"
FAILURE_TIMEOUT = "timeout"
FAILURE_WORKER_STOPPED = "worker_stopped"


class PrintJobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Printing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class PrintJob(models.Model):
    """`done` only rises while the job runs and equals `total` when it is
    done; the result is a stored Document, never rewritten (a retry makes a
    new one)."""

    title = models.CharField(_("title"), max_length=200)
    # Who may see the job: the district (or other organisation) it prints for.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    # The campaign's code when a whole series is printed; blank for a chosen set.
    series = models.CharField(_("series"), max_length=80, blank=True)
    certificates = models.ManyToManyField(Certificate, verbose_name=_("certificates"), related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=PrintJobStatus.choices, default=PrintJobStatus.PENDING, db_index=True
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    # The technical text of the last failure (admin and log only); pages
    # show the translated message of `failure`, a code (workflows.documents.services).
    error = models.TextField(_("error"), blank=True)
    failure = models.CharField(_("reason for failure"), max_length=20, blank=True)
    # Each run claims the next attempt number and writes progress and result
    # only while the job still carries it: a run given up for dead that
    # finishes late cannot overwrite its successor's.
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Last sign of life of the running attempt (claim or a chunk joined).
    progressed = models.DateTimeField(_("last progress"), null=True, blank=True)
    # The running attempt's lease, renewed by its heartbeat every few
    # seconds whatever a chunk takes: once it runs out the worker is dead
    # and the sweep takes the job up again (workflows.documents.recovery).
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    document = models.ForeignKey(
        Document, verbose_name=_("PDF"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")

    def __str__(self):
        return self.title

    @property
    def percent(self):
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_active(self):
        return self.status in (PrintJobStatus.PENDING, PrintJobStatus.RUNNING)
