"""Reports to the workers' congress (职代会) and the facts the district's
coverage targets are computed from.

A report kind is data: its fields (`fields`), its attachments, its period
and its due rule live in the database (shipped by a data migration), so
the district adds a kind or a field without a release. A report's state is
a protected django-fsm field: only the engine's decide()/do_transition()
move it, along the route declared in `declaration.py`."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField
from viewflow.workflow.models import Process

from workflows.models import Organisation, ProtectedStateMixin


class Period(models.TextChoices):
    HALF_YEAR = "half_year", _("Half-yearly")
    YEAR = "year", _("Yearly")
    SESSION = "session", _("Per congress session")


class ReportKind(models.Model):
    """What a report holds. `fields` is a form described as data, drawn
    from the engine's palette (workflows.dataforms)::

        [{"key": "budget", "label": "预算金额（元）", "type": "money", "required": true}, ...]

    `checks` are its cross-field rules, the engine's too
    (workflows.dataforms.completeness: items_total, quorum). `attachments`
    lists the files a report carries (``{"name", "label", "required"}``).
    `due_rule` says when a report is due: ``{"after": "period_end" |
    "session", "working_days": 20}``."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    period = models.CharField(_("period"), max_length=20, choices=Period.choices)
    fields = models.JSONField(_("fields"), default=list)
    checks = models.JSONField(_("checks"), default=list, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    due_rule = models.JSONField(_("due rule"), default=dict)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("report kind")
        verbose_name_plural = _("report kinds")

    def __str__(self):
        return self.name


class ReportingPeriod(models.Model):
    """A round of reports the district opens for some sectors: one report is
    due from every grassroots union of those sectors."""

    kind = models.ForeignKey(ReportKind, verbose_name=_("report kind"), on_delete=models.PROTECT, related_name="periods")
    year = models.PositiveIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(
        _("half-year"), null=True, blank=True, choices=[(1, _("First half")), (2, _("Second half"))]
    )
    title = models.CharField(_("title"), max_length=200)
    district = models.ForeignKey(Organisation, verbose_name=_("district federation"), on_delete=models.PROTECT,
                                 related_name="+")
    sectors = models.JSONField(_("sectors"), default=list)
    due_on = models.DateField(_("due on"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-half", "kind__ordering", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "kind", "year", "half"], name="one_period_per_kind_and_half"),
        ]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # A period's page is the list of its reports.
        return f"{reverse('congress:report_list')}?period={self.pk}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHECKED = "checked", _("Checked by the intermediate union")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")
    ARCHIVED = "archived", _("Archived")


# States in which the union has not (yet) handed the report in.
OUTSTANDING_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class Report(ProtectedStateMixin, models.Model):
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("reporting period"), on_delete=models.PROTECT,
                               related_name="reports")
    kind = models.ForeignKey(ReportKind, verbose_name=_("report kind"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("grassroots union"), on_delete=models.PROTECT,
                                     related_name="congress_reports")
    # "<period> · <union>", kept so that pages listing other apps' cases (the
    # inbox, notifications) name a report without two queries per row.
    title = models.CharField(_("title"), max_length=300, editable=False, default="")
    state = FSMField(_("status"), default=ReportState.DRAFT, choices=ReportState.choices, protected=True,
                     db_index=True)
    version = models.PositiveIntegerField(default=0)
    data = models.JSONField(_("content"), default=dict, blank=True)
    due_on = models.DateField(_("due on"), db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    last_comment = models.TextField(_("comments"), blank=True)
    document = models.ForeignKey("workflows.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    created = models.DateTimeField(default=timezone.now)
    # The engine's attachments (workflows.models.Attachment); a file's
    # `kind` is the name of the kind's slot it fills.
    attachment_files = GenericRelation("workflows.Attachment", content_type_field="case_type",
                                       object_id_field="case_id")

    inbox_search_fields = ("organisation__name", "kind__name")

    class Meta:
        ordering = ["due_on", "organisation__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "organisation"], name="one_report_per_period_and_union"),
        ]
        verbose_name = _("report to the workers' congress")
        verbose_name_plural = _("reports to the workers' congress")

    def __str__(self):
        # The period's title names the kind already.
        return self.title or f"{self.period.title} · {self.organisation.name}"

    def get_absolute_url(self):
        return reverse("congress:report_detail", args=[self.pk])

    def is_overdue(self, today=None):
        return self.state in OUTSTANDING_STATES and self.due_on < (today or timezone.localdate())


class ReportProcess(Process):
    """The viewflow process of a report; the report is its artifact."""

    class Meta:
        proxy = True
        verbose_name = _("report process")
        verbose_name_plural = _("report processes")


# The year facts stated without a year hold from: facts kept before they
# were kept per year, and rows made without a year, hold for every year until
# a later year's facts say otherwise (see OrganisationFacts).
FACTS_SINCE_EVER = 2000


class OrganisationFacts(models.Model):
    """What the work plan's targets count, for one grassroots union, as of
    one year. A union's facts for a year are its row of that year or, when
    nobody stated them for that year, of the latest year before it: facts
    hold until they change, and a change made for 2026 never alters what
    2024 counted (evaluations.congress.coverage.facts_year).
    Whether the unit is a non-public enterprise comes from its
    organisation's sector."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="congress_facts",
                                     verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"), default=FACTS_SINCE_EVER)
    unionised = models.BooleanField(_("unionised"), default=True)
    above_size_threshold = models.BooleanField(_("above the size threshold"), default=False)
    has_congress = models.BooleanField(_("has a workers' congress"), default=False)
    collective_contract = models.BooleanField(_("collective contract signed"), default=False)
    wage_bargaining = models.BooleanField(_("wage collective bargaining"), default=False)
    mediation_body = models.BooleanField(_("labour-dispute mediation body"), default=False)
    women_special_contract = models.BooleanField(_("women workers' special contract"), default=False)
    standardised = models.BooleanField(_("standardised union work"), default=False)
    union_founded_year = models.PositiveIntegerField(_("year the union was founded"), null=True, blank=True)
    democratic_evaluation_on = models.DateField(_("last democratic evaluation of cadres"), null=True, blank=True)
    updated = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["organisation__path", "-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_facts_row_per_union_year")]
        verbose_name = _("organisation facts")
        verbose_name_plural = _("organisation facts")

    def __str__(self):
        return f"{self.organisation} · {self.year}"


class CoverageTarget(models.Model):
    """A target of the district's work plan. `code` names the computation
    (evaluations.congress.coverage); the figure the plan asks for is data."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("per cent")
        COUNT = "count", _("count")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("target"), max_length=200)
    target = models.DecimalField(_("target figure"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("coverage target")
        verbose_name_plural = _("coverage targets")

    def __str__(self):
        return self.label


class CoverageYear(models.Model):
    """A year of the district's coverage, closed: its figures as they stood
    when the district closed it, kept here and shown from here ever after,
    so a union imported, a fact corrected or a target changed later never
    changes a closed year (workflows.coverage.year_closing). `snapshot`
    holds the branches (id and name as they were), every target's label,
    figure asked and unit, its counts overall and per branch, and the
    unions it did not count (or counted) by branch."""

    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district"))
    year = models.PositiveSmallIntegerField(_("year"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("closed by"))
    snapshot = models.JSONField(default=dict, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="one_closing_per_district_year")]
        ordering = ["-year"]
        verbose_name = _("closed coverage year")
        verbose_name_plural = _("closed coverage years")

    def __str__(self):
        return f"{self.district} · {self.year}"
