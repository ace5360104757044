"""Titles (称号) granted by a campaign: the engine's held titles
(workflows.models.titles: term, re-inspection, 摘牌, expiry), of a level."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workflows.models import HeldTitle

from .applications import Level


class Title(HeldTitle):
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    campaign = models.ForeignKey("modelhome.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="titles")
    application = models.OneToOneField("modelhome.Application", on_delete=models.PROTECT,
                                       related_name="granted_title")

    class Meta:
        ordering = ["due_on", "holder__path", "pk"]
        verbose_name = _("title")
        verbose_name_plural = _("register of titles")

    def __str__(self):
        return f"{self.holder.name} · {self.get_grade_display()} · {self.get_level_display()}"

    def get_absolute_url(self):
        return reverse("modelhome:title_detail", args=[self.pk])
