"""Scoring standards as data (评分标准), versioned: the engine's, for any
process whose route scores a case against a district's sheet.

A Standard is the district's sheet (e.g. "模范职工之家考核标准"); its
content lives in StandardVersions. A version a case or campaign uses is
frozen: revising the standard then makes a new version, and whatever uses
the old one keeps it (workflows.scoring.standards). What uses a version is
whatever points at it with a PROTECT foreign key: the engine finds it
through the model's relations and so names no process."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models.core import Organisation


class Grade(models.TextChoices):
    """The grades a version's two thresholds give."""

    MODEL = "model", _("Model (模范)")
    QUALIFIED = "qualified", _("Qualified (合格)")


class ItemKind(models.TextChoices):
    SCORED = "scored", _("Scored")
    BONUS = "bonus", _("Bonus")
    DEDUCTION = "deduction", _("Deduction")
    VETO = "veto", _("Veto (一票否决)")


class Standard(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey(
        Organisation, verbose_name=_("district federation"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("scoring standard")
        verbose_name_plural = _("scoring standards")

    def __str__(self):
        return self.name

    def latest_version(self):
        return self.versions.order_by("-number").first()


def _users_of(model):
    """The relations of others' models to `model` (a process's campaign to
    a version, its scores to an item): what counts as using a row."""
    own = {Standard, StandardVersion, StandardSection, StandardItem}
    return [rel for rel in model._meta.related_objects if rel.related_model not in own and not rel.many_to_many]


class StandardVersion(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    qualified_threshold = models.DecimalField(
        _("qualified from (points)"), max_digits=6, decimal_places=2, default=Decimal("75"),
        validators=[MinValueValidator(0)],
    )
    model_threshold = models.DecimalField(
        _("model from (points)"), max_digits=6, decimal_places=2, default=Decimal("90"),
        validators=[MinValueValidator(0)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["standard", "-number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="workflows_standard_version")]
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")

    def __str__(self):
        return f"{self.standard.name} v{self.number}"

    def users(self):
        """What uses this version (a process's campaigns), each a queryset."""
        return [rel.related_model._default_manager.filter(**{rel.field.name: self}) for rel in _users_of(StandardVersion)]

    @property
    def is_in_use(self):
        return any(qs.exists() for qs in self.users())

    def ordered_items(self):
        return (
            StandardItem.objects.filter(section__version=self).select_related("section")
            .order_by("section__position", "position", "pk")
        )

    @property
    def base_points(self):
        """The points of the scored items (the sheet's 100)."""
        return sum(
            (i.max_points for i in StandardItem.objects.filter(section__version=self, kind=ItemKind.SCORED)),
            Decimal("0"),
        )


class StandardSection(models.Model):
    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("section"), max_length=200)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title


class StandardItem(models.Model):
    """One line of the sheet. `max_points`: a scored item's 标准分, a
    bonus item's most points, a deduction item's cap (most points taken
    off); 0 for a veto item, which is answered yes/no."""

    section = models.ForeignKey(StandardSection, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    code = models.CharField(_("number"), max_length=20)
    text = models.TextField(_("requirement"))
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices, default=ItemKind.SCORED)
    max_points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    mandatory = models.BooleanField(_("mandatory (必备)"), default=False)
    guidance = models.CharField(_("evidence expected"), max_length=300, blank=True)

    class Meta:
        ordering = ["section", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return f"{self.code} {self.text[:40]}"

    @property
    def is_veto(self):
        return self.kind == ItemKind.VETO


class InspectionSheet(models.Model):
    """What every process's inspection of a case holds, beside its case and
    its inspector (the process's own foreign keys): who assigned it and
    when, the submission, the total, whether a veto situation was found,
    the remarks. Abstract: the rows are the process's."""

    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, null=True, blank=True)
    veto_found = models.BooleanField(_("veto situation found"), default=False)
    comment = models.TextField(_("inspector's remarks"), blank=True, max_length=2000)

    class Meta:
        abstract = True

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class ScoreRow(models.Model):
    """An inspector's score on one item of the standard (for a veto item,
    whether it applies) and their note: what
    workflows.scoring.inspections.write_scores writes. Abstract: the
    process's row adds its inspection."""

    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("inspection score"), max_digits=6, decimal_places=2, null=True, blank=True)
    veto_applies = models.BooleanField(_("applies"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        abstract = True
