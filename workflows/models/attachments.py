"""A file a case carries, for every process: one model, linked to its case
by content type and id (a process adds a GenericRelation to its case model,
so `case.attachments` reads them in one query and deleting a case deletes
its attachments' rows). Per-case access is the process's own selector
(workflows.attachments.views)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.documents.storage import private_storage


class Attachment(models.Model):
    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    case_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("case_type", "case_id")
    # What the file is for, in the process's own terms: a report's slot
    # name, a self-assessment item's id; blank for a free-form file.
    kind = models.CharField(_("kind"), max_length=50, blank=True, default="")
    file = models.FileField(storage=private_storage, upload_to="attachments/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, blank=True, default="")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    # The id the row had in its process's own table before the engine took
    # the attachments over, so that links written then (bookmarks, e-mails,
    # revision snapshots) still find the file.
    legacy_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["case_type", "case_id"], name="attachment_case")]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("attachment_download", args=[self.pk])
