"""Places handed down the organisation tree, for any process with
campaigns (workflows.quotas): the top of the tree (the district) gives an
intermediate union `count` places of a category (parent None); the
intermediate union may share them among its grassroots unions (parent =
its own row). The shares never add up to more than the parent's places; a
grassroots union without a share draws on the places not shared out.

A row belongs to its campaign by content type and id (as an Attachment
belongs to its case), so the engine holds the places of every process
without naming one; the category is the process's own code (an award,
a size of grant)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Quota(models.Model):
    scope_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    scope_id = models.PositiveBigIntegerField()
    scope = GenericForeignKey("scope_type", "scope_id")
    category = models.CharField(_("category"), max_length=50)
    organisation = models.ForeignKey(
        "workflows.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("places"))
    parent = models.ForeignKey(
        "self", verbose_name=_("shared from"), null=True, blank=True, on_delete=models.CASCADE, related_name="shares"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_type", "scope_id", "organisation", "category"], name="unique_scope_quota"
            ),
        ]
        indexes = [models.Index(fields=["scope_type", "scope_id", "category"], name="quota_scope")]
        ordering = ["organisation__path", "category"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")

    def __str__(self):
        return f"{self.organisation} {self.category_label} {self.count}"

    @property
    def category_label(self):
        """The category as the process names it (its registered label)."""
        from workflows.quotas.registry import scheme_for_model

        scheme = scheme_for_model(ContentType.objects.get_for_id(self.scope_type_id).model_class())
        return scheme.label(self.category) if scheme else self.category
