"""A kind of campaign and its versions.

Invariants: a version's definition has passed `definition.problems_of_kind`;
a version that a campaign uses never changes (revising the kind then makes
the next version); a kind belongs to one district, and other districts
neither see nor use it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models import Organisation

CREATED = "kinds.kind.created"
REVISED = "kinds.kind.revised"
NEW_VERSION = "kinds.kind.versioned"
IMPORTED = "kinds.kind.imported"

ACTION_LABELS = {
    CREATED: _("Kind of campaign created"),
    REVISED: _("Kind of campaign revised"),
    NEW_VERSION: _("New version of the kind of campaign"),
    IMPORTED: _("Kind of campaign imported"),
}


class CampaignKind(models.Model):
    district = models.ForeignKey(Organisation, verbose_name=_("district federation"), on_delete=models.PROTECT,
                                 related_name="campaign_kinds")
    code = models.SlugField(_("code"), max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="kinds_code_unique_in_district")]
        verbose_name = _("kind of campaign")
        verbose_name_plural = _("kinds of campaign")

    def __str__(self):
        current = self.current_version
        return current.title if current else self.code

    @property
    def current_version(self):
        # Prefetched as `versions` on lists; one query otherwise.
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number) if versions else None


class KindVersion(models.Model):
    kind = models.ForeignKey(CampaignKind, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=100)
    definition = models.JSONField(_("definition"))
    # sha256 of the canonical JSON: an import of the same definition makes
    # no new version, and a shared file can be compared with what runs here.
    fingerprint = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now, editable=False)
    # Set when the first campaign starts on this version: from then on it
    # never changes.
    in_use = models.BooleanField(_("in use by a campaign"), default=False)

    class Meta:
        ordering = ["kind", "-number"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="kinds_version_number_unique")]
        verbose_name = _("version of a kind of campaign")
        verbose_name_plural = _("versions of kinds of campaign")

    def __str__(self):
        return f"{self.title} v{self.number}"
