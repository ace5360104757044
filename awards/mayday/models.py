"""May Day awards: campaigns and nominations (their quotas: workflows.quotas).

A nomination's lifecycle is its `state` (django-fsm, protected): the
engine's decision service changes it, as the May Day declaration
(declaration.py) allows, and the flow built from it (flows.py) routes the
nomination through the organisations."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from workflows.models import ENTERPRISE_SECTORS, Organisation, Sector
from workflows.models.case_processes import case_process
from workflows.models.cases import CaseRecord, RoundSnapshot
from workflows.models.open_rounds import OpenRound

DEEDS_MAX = 2000
SUMMARY_MAX = 500


class AwardKind(models.TextChoices):
    UNIT = "unit", _("May Day Labour Certificate (units)")
    INDIVIDUAL = "individual", _("May Day Labour Medal (individuals)")
    TEAM = "team", _("Workers' Pioneer (teams)")


# The campaign's field offering each award.
OFFERS = {"offers_unit_award": AwardKind.UNIT, "offers_individual_award": AwardKind.INDIVIDUAL,
          "offers_team_award": AwardKind.TEAM}

# What a new campaign publishes on its notice (of NOTICE_FIELD_CHOICES, below).
DEFAULT_NOTICE_FIELDS = ["kind", "nominee_name", "gender", "organisation", "work_unit", "post", "job_title", "summary"]


def default_notice_fields():
    return list(DEFAULT_NOTICE_FIELDS)


# Working days each human step may take before its reminders and escalation.
def default_step_deadline_days():
    """A campaign sets its own working days per step when it opens; a step
    it leaves out takes the days the May Day declaration gives it."""
    return {}


class Campaign(OpenRound):
    """A May Day campaign: the engine's round taking submissions (code,
    year, title, district, deadline, places (a quota category per award),
    certificate counter, issuer, notice days) with the awards it offers and
    its settings."""

    offers_unit_award = models.BooleanField(_("May Day Labour Certificate (units)"), default=True)
    offers_individual_award = models.BooleanField(_("May Day Labour Medal (individuals)"), default=True)
    offers_team_award = models.BooleanField(_("Workers' Pioneer (teams)"), default=True)
    certificate_number_format = models.CharField(
        _("certificate number format"),
        max_length=80,
        default="工奖〔{year}〕第{seq:04d}号",
        help_text=_("Python format with {year} and {seq}, e.g. 涪工奖〔{year}〕第{seq:04d}号"),
    )
    notice_fields = models.JSONField(
        _("fields published on the notice"), default=default_notice_fields, blank=True,
        help_text=_("Never the ID number or a phone number."),
    )
    step_deadline_days = models.JSONField(
        _("working days per step"), default=default_step_deadline_days, blank=True,
        help_text=_("Step name → working days before the step is overdue."),
    )

    class Meta(OpenRound.Meta):
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def get_absolute_url(self):
        return reverse("awards:campaign_detail", args=[self.code])

    @property
    def kinds(self):
        return [kind for name, kind in OFFERS.items() if getattr(self, name)]


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting chair's confirmation")
    CONFIRMED = "confirmed", _("Awaiting intermediate review")
    INTERMEDIATE_APPROVED = "intermediate_approved", _("Awaiting district review")
    SIGNOFF = "signoff", _("Awaiting departmental sign-offs")
    AWAITING_NOTICE = "awaiting_notice", _("Awaiting public notice")
    IN_NOTICE = "in_notice", _("Under public notice")
    DISTRICT_APPROVED = "district_approved", _("Awaiting district decision")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Not recommended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = NominationState
# States that hold a place of the quota and block a second nomination of the
# same person in the campaign.
ACTIVE_STATES = [
    S.SUBMITTED, S.CONFIRMED, S.INTERMEDIATE_APPROVED, S.SIGNOFF, S.AWAITING_NOTICE, S.IN_NOTICE,
    S.DISTRICT_APPROVED, S.AWARDED, S.RETURNED,
]


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", _("CPC member")
    CPC_PROBATION = "cpc_probation", _("CPC probationary member")
    CYL = "cyl", _("Communist Youth League member")
    OTHER_PARTY = "other_party", _("Member of another party")
    MASSES = "masses", _("No party affiliation")


class Education(models.TextChoices):
    JUNIOR = "junior", _("Junior middle school or below")
    SENIOR = "senior", _("Senior middle school / vocational")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctorate")


class CandidateCategory(models.TextChoices):
    INDUSTRIAL_WORKER = "industrial_worker", _("Industrial worker")
    FRONT_LINE = "front_line", _("Front-line worker")
    TECHNICAL = "technical", _("Technical staff")
    ENTERPRISE_HEAD = "enterprise_head", _("Enterprise head")
    CADRE = "cadre", _("Cadre")
    MIGRANT_WORKER = "migrant_worker", _("Migrant worker")


class Nomination(CaseRecord):
    """A nomination for one of the campaign's awards; the engine's case
    (CaseRecord: attachments, version, when created, handed in, decided)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="nominations")
    kind = models.CharField(_("award"), max_length=20, choices=AwardKind.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("nominating union"), on_delete=models.PROTECT, related_name="nominations"
    )
    state = FSMField(_("status"), default=S.DRAFT, choices=NominationState.choices, protected=True, db_index=True)
    round = models.PositiveIntegerField(_("submission round"), default=0, editable=False)

    nominee_name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    # Individuals
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = models.CharField(_("ID card number"), max_length=18, blank=True)
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=200, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    job_title = models.CharField(_("job title / technical grade"), max_length=100, blank=True)
    candidate_category = models.CharField(
        _("candidate category"), max_length=30, choices=CandidateCategory.choices, blank=True
    )
    honours = models.TextField(_("honours already held"), blank=True)
    # Units and teams
    legal_representative = models.CharField(_("legal representative / head"), max_length=100, blank=True)
    headcount = models.PositiveIntegerField(_("number of staff / members"), null=True, blank=True, validators=[MinValueValidator(1)])
    # All kinds
    deeds = models.TextField(_("deeds"), validators=[MaxLengthValidator(DEEDS_MAX)])
    summary = models.TextField(_("summary of deeds"), validators=[MaxLengthValidator(SUMMARY_MAX)])
    congress_discussed_on = models.DateField(_("date the workers' congress discussed the nomination"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    inbox_search_fields = ("nominee_name", "organisation__name", "work_unit")
    # What an inbox row shows of a nomination (workflows.steps.inbox).
    inbox_related = ("organisation", "campaign")

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "state"]),
            # Lists show a campaign's newest nominations first.
            models.Index(fields=["campaign", "created"], name="nomination_campaign_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "id_number"],
                condition=Q(state__in=ACTIVE_STATES) & ~Q(id_number=""),
                name="one_active_nomination_per_person",
            ),
        ]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self):
        return f"{self.nominee_name} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("awards:nomination_detail", args=[self.pk])

    @property
    def masked_id_number(self):
        from workflows.dataforms.identity import masked_id_number

        return masked_id_number(self.id_number)

    @property
    def effective_sector(self):
        return self.sector or self.organisation.sector

    @property
    def is_enterprise_candidate(self):
        """Units and individuals of enterprises need departmental sign-offs."""
        return self.kind in (AwardKind.UNIT, AwardKind.INDIVIDUAL) and self.effective_sector in ENTERPRISE_SECTORS

    def recusal_subject(self):
        """Who the case is about, for workflows.organisations.recusal."""
        if self.kind == AwardKind.INDIVIDUAL:
            return {"organisation": self.organisation, "id_number": self.id_number, "name": self.nominee_name}
        return {"organisation": self.organisation}


# The fields a campaign may publish on its public notice, by the model's names
# (never the ID number or the contact phone); "organisation" is the nominating
# union's name.
NOTICE_FIELD_CHOICES = [(name, Nomination._meta.get_field(name).verbose_name) for name in (
    "kind", "nominee_name", "gender", "ethnicity", "political_status", "education", "organisation", "work_unit",
    "post", "job_title", "candidate_category", "honours", "summary")]


class NominationRevision(RoundSnapshot):
    """What was submitted in each round, so a resubmission shows what changed."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="revisions")

    class Meta:
        ordering = ["nomination", "round"]
        constraints = [models.UniqueConstraint(fields=["nomination", "round"], name="unique_revision_round")]


NominationProcess = case_process("NominationProcess", __name__, _("nomination process"), _("nomination processes"))


# Departmental sign-offs --------------------------------------------------------

class DepartmentFunction(models.TextChoices):
    TAX = "tax", _("Tax")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    SAFETY = "safety", _("Work safety")
    ENVIRONMENT = "environment", _("Environment")
    AUDIT = "audit", _("Audit")
    DISCIPLINE = "discipline", _("Discipline inspection")


class Department(models.Model):
    """A department asked for the May Day award's sign-offs: an
    Organisation of kind DEPARTMENT whose officers hold Role.DEPARTMENT
    there."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="department"
    )
    function = models.CharField(_("function"), max_length=30, choices=DepartmentFunction.choices)
    state_owned_only = models.BooleanField(
        _("state-owned enterprises only"), default=False,
        help_text=_("Audit and discipline inspection sign off state-owned enterprises only."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__path"]
        verbose_name = _("sign-off department")
        verbose_name_plural = _("sign-off departments")

    def __str__(self):
        return self.organisation.name
