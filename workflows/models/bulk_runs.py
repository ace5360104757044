"""A bulk decision's run: which cases it was asked to decide and, committed
with each decision, what became of each. A run cut off mid-way (the server
stopped, the connection dropped) stays unfinished, and the reviewer's inbox
says which cases went through and which are still to decide."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BulkRun(models.Model):
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                              related_name="+")
    process = models.CharField(_("process"), max_length=60)
    decision = models.CharField(_("decision"), max_length=40)
    created = models.DateTimeField(_("started"), default=timezone.now)
    # Last case handled: a run silent for a while and not finished was cut off.
    updated = models.DateTimeField(_("last progress"), default=timezone.now)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    # The reviewer has read the inbox's account of a run that was cut off.
    acknowledged = models.BooleanField(_("acknowledged"), default=False)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("bulk decision run")
        verbose_name_plural = _("bulk decision runs")
        indexes = [models.Index(fields=["actor", "finished", "acknowledged"], name="bulkrun_open")]

    def __str__(self):
        return f"{self.process}.{self.decision} #{self.pk}"


class BulkItemStatus(models.TextChoices):
    PENDING = "pending", _("Not decided")
    DONE = "done", _("Decided")
    CHANGED = "changed", _("Changed meanwhile")
    REFUSED = "refused", _("Refused")
    INVALID = "invalid", _("Refused")
    MISSING = "missing", _("Not found")


class BulkRunItem(models.Model):
    run = models.ForeignKey(BulkRun, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    status = models.CharField(_("status"), max_length=10, choices=BulkItemStatus.choices,
                              default=BulkItemStatus.PENDING)
    handled = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="bulkrunitem_position")]
