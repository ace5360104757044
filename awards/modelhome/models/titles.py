"""Titles (称号) granted by a campaign: they hold for a term, are
re-inspected (复查) and may be kept, downgraded, revoked (摘牌) or expire.
Their history is the audit log of the Title row."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models import Certificate, Organisation

from .standards import Grade, Level


class TitleStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    DOWNGRADED = "downgraded", _("Downgraded")
    REVOKED = "revoked", _("Revoked (摘牌)")
    EXPIRED = "expired", _("Expired")


# Statuses in which the holder still holds a title.
HELD_STATUSES = [TitleStatus.VALID, TitleStatus.DOWNGRADED]


class Title(models.Model):
    holder = models.ForeignKey(Organisation, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    campaign = models.ForeignKey("modelhome.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="titles")
    application = models.OneToOneField("modelhome.Application", on_delete=models.PROTECT,
                                       related_name="granted_title")
    granted_on = models.DateField(_("granted on"))
    term_years = models.PositiveSmallIntegerField(_("term (years)"))
    due_on = models.DateField(_("due for re-inspection"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=TitleStatus.choices, default=TitleStatus.VALID,
                              db_index=True)
    status_changed_on = models.DateField(_("status since"), null=True, blank=True)
    certificate = models.ForeignKey(Certificate, verbose_name=_("certificate"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_on", "holder__path", "pk"]
        verbose_name = _("title")
        verbose_name_plural = _("register of titles")

    def __str__(self):
        return f"{self.holder.name} · {self.get_grade_display()} · {self.get_level_display()}"

    def get_absolute_url(self):
        return reverse("modelhome:title_detail", args=[self.pk])

    @property
    def is_held(self):
        return self.status in HELD_STATUSES
