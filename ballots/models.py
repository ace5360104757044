"""What every secret ballot stores, as abstract models: a process's own
models add the foreign keys to its vote (and to what is graded) and their
Meta (ordering, the unique batch number).

Secrecy is a property of the schema. A ballot and its rows have random
primary keys, no timestamp, and no relation to a user, a voting code, a
voter, a session, an address or an audit entry. A voting code records only
that it was used (a boolean). Paper ballots keep no link to the batch they
came in."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .codes import display_receipt, display_voting_code, new_receipt_code, new_voting_code


class VotingCodeBase(models.Model):
    """A one-time code printed on a slip. `used` is all the register knows:
    not when, not from where, not which ballot. `voided`: the slip was
    reported lost and replaced by a new code; a voided code never votes and
    is not counted as issued."""

    code = models.CharField(max_length=20, unique=True, default=new_voting_code, editable=False)
    used = models.BooleanField(default=False)
    # The rater category the slip is for (weighted votes): handed to a
    # member of that category, passed on to the ballot, naming no one.
    category = models.CharField(_("rater category"), max_length=30, blank=True)
    voided = models.BooleanField(default=False)

    class Meta:
        abstract = True
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self):
        return self.display

    @property
    def display(self):
        return display_voting_code(self.code)


class BallotChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", pgettext_lazy("ballot", "Paper")


class BallotBase(models.Model):
    """A cast ballot. Random primary key, no time, no link to anyone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    receipt = models.CharField(_("receipt code"), max_length=20, unique=True, default=new_receipt_code, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=BallotChannel.choices, default=BallotChannel.ONLINE)
    # The rater category (weighted votes), from the code or the paper batch:
    # shared by every ballot of the category, names no one.
    category = models.CharField(_("rater category"), max_length=30, blank=True)

    class Meta:
        abstract = True
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return self.display_receipt

    @property
    def display_receipt(self):
        return display_receipt(self.receipt)


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the second teller's entry")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class PaperBatchBase(models.Model):
    """A pile of paper ballots keyed by both tellers, each on their own.
    The first teller's entry waits in `entries` (never shown to anyone);
    the second teller's entry is compared with it ballot by ballot in the
    transaction that receives it and is never stored. Agreeing entries
    become ballot rows once and `entries` is emptied, so no ballot keeps a
    link to its batch or its tellers; otherwise the batch is refused and
    `differing` names the positions (1-based) of the ballots to recount."""

    number = models.PositiveIntegerField(_("batch number"))
    declared_count = models.PositiveIntegerField(_("ballots in the pile"))
    entries = models.JSONField(default=list, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    refusal_reason = models.CharField(_("reason"), max_length=200, blank=True)
    category = models.CharField(_("rater category"), max_length=30, blank=True)
    second_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    differing = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        abstract = True
        verbose_name = _("batch of paper ballots")
        verbose_name_plural = _("batches of paper ballots")

    def __str__(self):
        return f"#{self.number}"

    @property
    def refusal(self):
        """Why the batch was refused, in the reader's language (stored as
        figures: the two counts, the positions that differ)."""
        if self.differing:
            return _("The two entries differ on ballot(s) %(positions)s of the pile: recount them and key the batch again.") % {
                "positions": "、".join(str(p) for p in self.differing)}
        if self.second_count is not None and self.second_count != self.declared_count:
            return _("The first teller counted %(first)s ballots, the second %(second)s: recount the pile and key it again.") % {
                "first": self.declared_count, "second": self.second_count}
        return self.refusal_reason
