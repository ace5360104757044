"""The round a process's cases belong to (a campaign, a year): its code,
year, title and district, and the counter that numbers its certificates.
Abstract: a process's round model adds its own settings (and its
`certificate_number_format`, the Python format with {year} and {seq})."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models.core import Organisation


class Round(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    district = models.ForeignKey(
        Organisation, verbose_name=_("district federation"), on_delete=models.PROTECT, related_name="+"
    )
    last_certificate_seq = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["-year", "code"]

    def __str__(self):
        return self.title

    def format_certificate_number(self, seq):
        return self.certificate_number_format.format(year=self.year, seq=seq)

    def take_certificate_number(self):
        """(sequence, number) of the round's next certificate; the caller
        holds the row's lock (workflows.rowlocks.locked_related)."""
        self.last_certificate_seq += 1
        self.save(update_fields=["last_certificate_seq"])
        return self.last_certificate_seq, self.format_certificate_number(self.last_certificate_seq)
