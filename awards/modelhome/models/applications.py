"""A model-home campaign, its applications and their inspections.

An application's lifecycle is its `state` (django-fsm, protected): only the
services of awards.modelhome change it, under a row lock. Self-assessment
answers and inspectors' scores are rows per item of the campaign's
standard version; an inspector's scores are read only through
awards.modelhome.selectors.scores_visible_to (independence)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from workflows.models import Grade, InspectionSheet, Organisation, ScoreRow, StandardItem, StandardVersion
from workflows.models.case_processes import case_process
from workflows.models.cases import CaseRecord
from workflows.models.rounds import Round


class Level(models.TextChoices):
    """The level a unit applies at, on the engine's scoring standards (whose
    two thresholds give the grades, workflows.models.Grade)."""

    HOME = "home", _("Model workers' home (之家)")
    SMALL_HOME = "small_home", _("Model workers' small home (小家)")


class Campaign(Round):
    """A model-home campaign: the engine's round (code, year, title, district,
    the certificates' counter) with its scoring standard and settings."""

    standard_version = models.ForeignKey(
        StandardVersion, verbose_name=_("scoring standard"), on_delete=models.PROTECT,
        related_name="modelhome_campaigns"
    )
    notice_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=5, validators=[MinValueValidator(5), MaxValueValidator(30)]
    )
    term_years = models.PositiveSmallIntegerField(
        _("title term (years)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    disagreement_points = models.DecimalField(
        _("inspectors' disagreement flag (points)"), max_digits=5, decimal_places=2, default=Decimal("5"),
        help_text=_("Flag an application when inspectors' totals differ by more than this."),
    )
    certificate_number_format = models.CharField(
        _("certificate number format"), max_length=80, default="模家〔{year}〕第{seq:03d}号"
    )

    class Meta(Round.Meta):
        verbose_name = _("model-home campaign")
        verbose_name_plural = _("model-home campaigns")

    def get_absolute_url(self):
        return reverse("modelhome:campaign_detail", args=[self.code])


class AppState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting recommendation")
    RETURNED = "returned", _("Returned for revision")
    RECOMMENDED = "recommended", _("Awaiting inspectors")
    INSPECTING = "inspecting", _("Being inspected")
    SCORED = "scored", _("Inspected, awaiting comparison")
    REINSPECTED = "reinspected", _("Re-inspected, awaiting decision")
    IN_NOTICE = "in_notice", _("Under public notice")
    NOTICE_PASSED = "notice_passed", _("Awaiting district decision")
    GRANTED = "granted", _("Granted")
    NOT_GRANTED = "not_granted", _("Not granted")
    REJECTED = "rejected", _("Not recommended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AppKind(models.TextChoices):
    APPLICATION = "application", _("Application")
    REINSPECTION = "reinspection", _("Re-inspection (复查)")


class Application(CaseRecord):
    """A unit's application, or the re-inspection of its title: the engine's
    case (CaseRecord: attachments, an evidence file's `kind` the id of the
    item it backs; version; when created, handed in, decided)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="applications")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=AppKind.choices, default=AppKind.APPLICATION)
    title = models.ForeignKey(
        "modelhome.Title", verbose_name=_("title re-inspected"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reinspections",
    )
    # Changed only by the engine (workflows.steps.decisions), as the route
    # in awards/modelhome/declaration.py allows.
    state = FSMField(_("state"), default=AppState.DRAFT, choices=AppState.choices, protected=True)
    chair_name = models.CharField(_("union chair"), max_length=50, blank=True)
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("union members"), null=True, blank=True)
    satisfaction_surveyed = models.PositiveIntegerField(_("members surveyed"), null=True, blank=True)
    satisfaction_satisfied = models.PositiveIntegerField(_("members satisfied"), null=True, blank=True)
    deeds = models.TextField(_("short account of the work"), blank=True, max_length=1500)
    self_total = models.DecimalField(_("self-assessment total"), max_digits=7, decimal_places=2, null=True,
                                     blank=True, editable=False)
    inspected_total = models.DecimalField(_("inspectors' mean"), max_digits=7, decimal_places=2, null=True,
                                          blank=True, editable=False)
    disagreement = models.BooleanField(_("inspectors disagree"), default=False, editable=False)
    # Why the district holds an inspected application out of the public
    # notice (a dispute to settle first); empty: not held. Changed only by
    # decisions.notice_hold / notice_release.
    notice_hold = models.CharField(_("held out of the public notice because"), max_length=500, blank=True,
                                   editable=False)
    granted_grade = models.CharField(_("grade granted"), max_length=12, choices=Grade.choices, blank=True,
                                     editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["campaign", "organisation__path", "pk"]
        verbose_name = _("model-home application")
        verbose_name_plural = _("model-home applications")

    def __str__(self):
        return f"{self.organisation.name} · {self.get_level_display()}"

    def get_absolute_url(self):
        return reverse("modelhome:application_detail", args=[self.pk])

    @property
    def is_reinspection(self):
        return self.kind == AppKind.REINSPECTION

    @property
    def membership_rate(self):
        return _percent(self.member_count, self.staff_count)

    @property
    def satisfaction_rate(self):
        return _percent(self.satisfaction_satisfied, self.satisfaction_surveyed)


def _percent(part, whole):
    if whole and part is not None:
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
    return None


class ItemAnswer(models.Model):
    """The applicant's self-assessment of one item: a score (or, for a veto
    item, the declaration: does the situation apply?) and its evidence."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("self-assessment"), max_digits=6, decimal_places=2, null=True, blank=True)
    veto_applies = models.BooleanField(_("applies"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, max_length=2000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "item"], name="modelhome_one_answer")]
        ordering = ["item__section__position", "item__position"]


class Inspection(InspectionSheet):
    """One inspector's task on one application: their own scores, private
    to them until they submit (and even then shown to another inspector
    only once that one has submitted too). The sheet's fields are the
    engine's (InspectionSheet)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="modelhome_inspections")

    class Meta:
        ordering = ["application", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "inspector"], name="modelhome_one_inspection_each"),
        ]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self):
        return f"{self.application} · {self.inspector}"


class InspectionScore(ScoreRow):
    """One inspector's score on one item (the engine's ScoreRow)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="scores")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="modelhome_one_score")]
        ordering = ["item__section__position", "item__position"]


# The viewflow process of an application; the application is its artifact.
ApplicationProcess = case_process("ApplicationProcess", __name__, _("model-home process"), _("model-home processes"))
