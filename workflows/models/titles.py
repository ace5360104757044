"""A title held for a term (称号): granted by a process's final decision,
re-inspected (复查) before it falls due, kept, downgraded, revoked (摘牌) or
expired by the calendar (workflows.titles). Abstract: a process's title
model adds what the title is of (its level, its round, the granting case).
Its history is the audit log of its row."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models.core import Certificate, Organisation
from workflows.models.scoring import Grade


class TitleStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    DOWNGRADED = "downgraded", _("Downgraded")
    REVOKED = "revoked", _("Revoked (摘牌)")
    EXPIRED = "expired", _("Expired")


# Statuses in which the holder still holds a title.
HELD_STATUSES = [TitleStatus.VALID, TitleStatus.DOWNGRADED]


class HeldTitle(models.Model):
    holder = models.ForeignKey(Organisation, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
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
        abstract = True

    @property
    def is_held(self):
        return self.status in HELD_STATUSES
