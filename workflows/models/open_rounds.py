"""A round that takes submissions until a deadline (a campaign): the
engine's Round with what such a round carries for the engine's parts — its
places handed down the tree (workflows.quotas), the body that issues its
certificates, the working days of its public notice, and who opened it.
Abstract: a process's campaign adds its own settings."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models.rounds import Round


class OpenRound(Round):
    # Its places: the engine's quotas. The reverse name is each concrete
    # round's own, "<app label>_<model>" (a round model `Campaign` of app
    # `awards`: `Quota.objects.filter(awards_campaign=...)`): one fixed name would
    # clash as soon as a second process's round is concrete, and a lookup
    # by it would read one of the two models only.
    quotas = GenericRelation(
        "workflows.Quota", content_type_field="scope_type", object_id_field="scope_id",
        related_query_name="%(app_label)s_%(class)s",
    )
    submission_deadline = models.DateTimeField(_("submission deadline"))
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=5, validators=[MinValueValidator(5), MaxValueValidator(30)],
        help_text=_("At least 5 working days; statutory holidays and make-up working days count as the calendar says."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta(Round.Meta):
        abstract = True

    @property
    def submissions_close_at(self):
        """The first instant after the deadline. A deadline reads as a
        minute ("截止 12月7日 23:59"), and people take it to include that
        whole minute: a submission at 23:59:30 is on time, one at 00:00:00
        is not."""
        return self.submission_deadline.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)

    @property
    def is_open(self):
        return timezone.now() < self.submissions_close_at

    @property
    def issuing_body(self):
        return self.issuer or self.district.name
