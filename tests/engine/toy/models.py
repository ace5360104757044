"""The toy process's case: the smallest model the engine runs (a protected
FSM `state`, a `version`, an `organisation`, a creator and a page)."""

from django.conf import settings
from django.db import models
from django_fsm import FSMField

from workflows.models import HeldTitle, InspectionSheet, Organisation, ProtectedStateMixin, ScoreRow, StandardVersion
from workflows.models.case_processes import case_process
from workflows.models.open_rounds import OpenRound


class ToyState(models.TextChoices):
    DRAFT = "draft", "draft"
    SUBMITTED = "submitted", "submitted"
    SIGNOFF = "signoff", "signoff"
    INSPECTION = "inspection", "inspection"
    AWAITING_NOTICE = "awaiting_notice", "awaiting notice"
    IN_NOTICE = "in_notice", "in notice"
    NOTICE_PASSED = "notice_passed", "notice passed"
    RETURNED = "returned", "returned"
    ACCEPTED = "accepted", "accepted"
    REJECTED = "rejected", "rejected"
    WITHDRAWN = "withdrawn", "withdrawn"


class ToyCampaign(models.Model):
    """A round of toy applications a district opens: it carries the
    engine's quotas (tests/engine/toy/quotas.py), a category per size."""

    code = models.SlugField(unique=True)
    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return self.code


class ToyRound(OpenRound):
    """A round that takes toy applications until a deadline: the engine's
    OpenRound made concrete outside any process (its places, issuer,
    notice days; tests/engine/test_open_rounds.py)."""

    certificate_number_format = models.CharField(max_length=100, default="{year}-{seq:04d}")


class ToyLegacyCase(models.Model):
    """A case of a retired process whose cases were carried into toy cases.
    Its audit entries stay under it (the log is never rewritten), written in
    its own codes and states; a toy case carried from it names it as a
    history alias (workflows.history_aliases)."""

    title = models.CharField(max_length=100)

    def __str__(self):
        return self.title


class ToyCase(ProtectedStateMixin, models.Model):
    title = models.CharField(max_length=100)
    # The ToyLegacyCase this case was carried from (its history alias).
    carried_from = models.PositiveBigIntegerField(null=True, blank=True)
    # A case applies in a campaign (with a category: "small" or "large") or
    # on its own (no places to find).
    campaign = models.ForeignKey(ToyCampaign, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    category = models.CharField(max_length=20, blank=True, default="")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The named people of the fan-out step, one task each.
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="toy_inspections")
    # The departments asked to sign the case off after its review (the
    # declaration's "signoff" step, one task each); none: straight to the
    # inspectors.
    signoff_departments = models.ManyToManyField(Organisation, blank=True, related_name="+")
    # Why the case is held out of the next public notice (empty: not held;
    # workflows.notices.holds, tests/engine/toy/notices.py).
    notice_hold = models.CharField(max_length=200, blank=True, default="")
    # The held title a re-inspection case re-inspects (workflows.titles).
    held_title = models.ForeignKey("ToyTitle", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="reinspections")
    state = FSMField(default=ToyState.DRAFT, choices=ToyState.choices, protected=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/toy/{self.pk}/"


# The viewflow process of a toy case (the case its artifact), made by the
# engine as every process's is (tests/engine/test_case_process.py).
ToyProcess = case_process("ToyProcess", __name__, "toy case process", "toy case processes")


class ToyTitle(HeldTitle):
    """A title held for a term, granted in a toy round: the engine's
    HeldTitle made concrete (workflows.titles, tests/engine/test_titles.py)."""

    round = models.ForeignKey(ToyRound, on_delete=models.PROTECT, related_name="titles")

    class Meta:
        ordering = ["due_on", "holder__path", "pk"]

    def __str__(self):
        return f"{self.holder.name} · {self.grade}"

    def get_absolute_url(self):
        return f"/toy/titles/{self.pk}/"


class ToyInspection(InspectionSheet):
    """An inspector's sheet on a toy case, on a standard version: the
    engine's InspectionSheet made concrete, for the inspectors' pages
    (workflows.scoring.pages, tests/engine/test_scoring_pages.py)."""

    case = models.ForeignKey(ToyCase, on_delete=models.CASCADE, related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, related_name="+")


class ToyScore(ScoreRow):
    inspection = models.ForeignKey(ToyInspection, on_delete=models.CASCADE, related_name="scores")
