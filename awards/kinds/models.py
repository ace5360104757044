"""A kind of campaign and its versions.

Invariants: a version's definition has passed `definition.problems_of_kind`;
a version that a campaign uses never changes (revising the kind then makes
the next version); a kind belongs to one district, and other districts
neither see nor use it."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from workflows.models import InspectionSheet, Organisation, ProtectedStateMixin, ScoreRow
from workflows.models.case_processes import case_process

CREATED = "kinds.kind.created"
REVISED = "kinds.kind.revised"
NEW_VERSION = "kinds.kind.versioned"
IMPORTED = "kinds.kind.imported"

ACTION_LABELS = {
    CREATED: _("Kind of campaign created"),
    REVISED: _("Kind of campaign revised"),
    NEW_VERSION: _("New version of the kind of campaign"),
    IMPORTED: _("Kind of campaign imported"),
}


class CampaignKind(models.Model):
    district = models.ForeignKey(Organisation, verbose_name=_("district federation"), on_delete=models.PROTECT,
                                 related_name="campaign_kinds")
    code = models.SlugField(_("code"), max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="kinds_code_unique_in_district")]
        verbose_name = _("kind of campaign")
        verbose_name_plural = _("kinds of campaign")

    def __str__(self):
        current = self.current_version
        return current.title if current else self.code

    @property
    def current_version(self):
        # Prefetched as `versions` on lists; one query otherwise.
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number) if versions else None


class KindVersion(models.Model):
    kind = models.ForeignKey(CampaignKind, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=100)
    definition = models.JSONField(_("definition"))
    # sha256 of the canonical JSON: an import of the same definition makes
    # no new version, and a shared file can be compared with what runs here.
    fingerprint = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now, editable=False)
    # Set when the first campaign starts on this version: from then on it
    # never changes.
    in_use = models.BooleanField(_("in use by a campaign"), default=False)

    class Meta:
        ordering = ["kind", "-number"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="kinds_version_number_unique")]
        verbose_name = _("version of a kind of campaign")
        verbose_name_plural = _("versions of kinds of campaign")

    def __str__(self):
        return f"{self.title} v{self.number}"


# Campaigns of a kind and their cases ------------------------------------------

CAMPAIGN_OPENED = "kinds.campaign.opened"
ACTION_LABELS[CAMPAIGN_OPENED] = _("Campaign of a kind opened")
# The district administrator's correction of a running campaign's title or
# deadline (cases.do_correct_campaign), and a draft edited before handing in.
CAMPAIGN_CORRECTED = "kinds.campaign.corrected"
ACTION_LABELS[CAMPAIGN_CORRECTED] = _("Campaign corrected")
CASE_EDITED = "kinds.case.edited"
ACTION_LABELS[CASE_EDITED] = _("Draft edited")


class KindCampaign(models.Model):
    """One year's campaign in one district, offering one or more kinds,
    each on one version (`CampaignOffer`): a case follows its kind's
    version's form and route whatever later versions say."""

    offers = models.ManyToManyField(KindVersion, verbose_name=_("kinds offered"), through="CampaignOffer",
                                    related_name="campaigns")
    district = models.ForeignKey(Organisation, verbose_name=_("district federation"), on_delete=models.PROTECT,
                                 related_name="+")
    # Names the campaign's certificate series (endings.series_of) and its
    # print runs, as May Day's Campaign.code does; a campaign without one
    # numbers in `kinds-<pk>`. Null, not blank: unique among those given.
    code = models.SlugField(_("code"), max_length=50, unique=True, null=True, blank=True)
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    # The last minute a case may be handed in, that minute included
    # (submissions_close_at), as May Day's OpenRound reads its deadline.
    deadline = models.DateTimeField(_("submission deadline"))
    # The engine's scoring standard the inspectors score against, when an
    # offered version's route has scoring. PROTECT: a version in use is
    # frozen, so revising the standard makes the next one (workflows.scoring).
    standard_version = models.ForeignKey("workflows.StandardVersion", verbose_name=_("scoring standard"),
                                         on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="kind_campaigns")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("campaign of a kind")
        verbose_name_plural = _("campaigns of a kind")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("kinds:campaign_detail", args=[self.pk])

    @property
    def submissions_close_at(self):
        """The first instant after the deadline. "截止 12月7日 23:59" is
        read as including that whole minute: a case handed in at 23:59:30
        is on time, one at 00:00:00 is not (as workflows.OpenRound)."""
        return self.deadline.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)

    @property
    def is_open(self):
        return timezone.now() < self.submissions_close_at

    @cached_property
    def offered_versions(self):
        """The versions the campaign offers, in their order, each with its
        kind: from the `offered` prefetch (selectors.with_offers) when the
        campaign was loaded with it, else one query, once per object."""
        if "offered" in getattr(self, "_prefetched_objects_cache", {}):
            offers = sorted(self.offered.all(), key=lambda offer: offer.position)
        else:
            offers = self.offered.select_related("version__kind").order_by("position")
        return [offer.version for offer in offers]

    def offered_version(self, code):
        """The version the campaign offers of the kind `code`, or None."""
        return next((v for v in self.offered_versions if v.kind.code == code), None)

    @property
    def has_several_kinds(self):
        return len(self.offered_versions) > 1


class CampaignOffer(models.Model):
    """A kind a campaign offers, on the version it runs, at its place in
    the campaign's list. At most one version of a kind per campaign: the
    database cannot say so without copying the kind onto the row, so the
    service that opens the campaign (cases.do_open_campaign) refuses it."""

    campaign = models.ForeignKey(KindCampaign, on_delete=models.CASCADE, related_name="offered")
    version = models.ForeignKey(KindVersion, verbose_name=_("version of the kind"), on_delete=models.PROTECT,
                                related_name="offers")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "version"], name="kinds_offer_once_per_campaign"),
            models.UniqueConstraint(fields=["campaign", "position"], name="kinds_offer_position_unique"),
        ]
        verbose_name = _("kind offered by a campaign")
        verbose_name_plural = _("kinds offered by campaigns")

    def __str__(self):
        return f"{self.campaign} · {self.version}"


class KindCaseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMING = "confirming", _("Awaiting the chair's confirmation")
    INTERMEDIATE = "intermediate", _("Under review by the intermediate union")
    DISTRICT = "district", _("Under review by the district")
    SIGNOFFS = "signoffs", _("Awaiting the departments' sign-offs")
    ASSIGNING = "assigning", _("Awaiting the district's inspectors")
    SCORING = "scoring", _("Being scored by the inspectors")
    RETURNED = "returned", _("Returned to the union for revision")
    AWAITING_NOTICE = "awaiting_notice", _("Awaiting public notice")
    IN_NOTICE = "in_notice", _("On public notice")
    DECIDING = "deciding", _("Awaiting the final decision")
    GRANTED = "granted", _("Granted by the final decision")
    NOT_GRANTED = "not_granted", _("Not granted by the final decision")
    REJECTED = "rejected", _("Not recommended")
    WITHDRAWN = "withdrawn", _("Withdrawn by the union")


class KindCase(ProtectedStateMixin, models.Model):
    """A nomination or an application in a campaign of a kind. `answers`
    hold the version's fields as `workflows.dataforms.stored_answers` keeps
    them; files are the engine's attachments, `kind` the field's key."""

    campaign = models.ForeignKey(KindCampaign, verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="cases")
    # The version of the kind the case was handed in under (one of its
    # campaign's offers): its form and route are read without the campaign.
    kind_version = models.ForeignKey(KindVersion, verbose_name=_("version of the kind"), on_delete=models.PROTECT,
                                     related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("union"), on_delete=models.PROTECT,
                                     related_name="kind_cases")
    name = models.CharField(_("applicant or candidate"), max_length=100)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Only the engine changes it, as the declaration allows.
    state = FSMField(_("status"), default=KindCaseState.DRAFT, choices=KindCaseState.choices, protected=True,
                     db_index=True)
    version = models.PositiveIntegerField(default=0)
    # Handed in once is round 1; each resubmission after a return adds one.
    round = models.PositiveIntegerField(_("round"), default=0)
    # The value of the version's outcome the final decision chose.
    outcome = models.CharField(_("outcome of the decision"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now, editable=False)
    # The first hand-in (cases.do_submit_case; a resubmission keeps it) and
    # the move into a final state (set by the engine's decision service).
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True, editable=False)
    attachment_files = GenericRelation("workflows.Attachment", content_type_field="case_type",
                                       object_id_field="case_id")
    # The row of a retired process the case was carried from (carried.py):
    # its audit entries are part of the case's history, and its old links
    # find the case.
    carried_from_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+", editable=False)
    carried_from_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    inbox_search_fields = ("organisation__name", "name")
    # What the engine's inbox reads with the cases of its rows (one query
    # for the page): the union a row shows and the version the recusal
    # check reads (declaration.recusal_subject), not once per row.
    inbox_related = ("organisation", "kind_version")

    class Meta:
        ordering = ["campaign", "organisation__path", "pk"]
        constraints = [models.UniqueConstraint(fields=["carried_from_type", "carried_from_id"],
                                               name="kinds_case_carried_once")]
        verbose_name = _("case of a kind of campaign")
        verbose_name_plural = _("cases of kinds of campaign")

    def __str__(self):
        return f"{self.name} · {self.organisation.name}"

    def get_absolute_url(self):
        return reverse("kinds:case_detail", args=[self.pk])

    @property
    def route(self):
        return self.kind_version.definition["route"]

    def has_step(self, code):
        return code in self.route["steps"]

    @property
    def outcomes(self):
        return self.route["outcomes"]


class KindCaseRound(models.Model):
    """The answers of one round as they were handed in, kept when the case
    is handed in again after a return (the case holds the newest)."""

    case = models.ForeignKey(KindCase, on_delete=models.CASCADE, related_name="rounds")
    round = models.PositiveIntegerField(_("round"))
    answers = models.JSONField(_("answers"), default=dict)
    # The case's files as they were in this round, [[pk, name], ...], so the
    # case's page says which files the next round added (files are the
    # engine's attachments, not answers). Null for rounds kept before.
    attachments = models.JSONField(_("attachments"), null=True, blank=True)
    # When and by whom this round was replaced (the next one handed in).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["case", "round"]
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="kinds_case_round_unique")]
        verbose_name = _("round of a case of a kind")
        verbose_name_plural = _("rounds of cases of a kind")


class KindInspection(InspectionSheet):
    """One assigned inspector's sheet on a case, scored against the
    campaign's standard version (the engine's InspectionSheet): their own
    until they submit it (the district reads it side by side with the
    others' once submitted)."""

    case = models.ForeignKey(KindCase, on_delete=models.CASCADE, related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="kind_inspections")

    class Meta:
        ordering = ["case", "assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "inspector"], name="kinds_one_inspection_each")]
        verbose_name = _("inspection of a case of a kind")
        verbose_name_plural = _("inspections of cases of a kind")


class KindInspectionScore(ScoreRow):
    """An inspector's score (or, for a veto item, yes/no) on one item."""

    inspection = models.ForeignKey(KindInspection, on_delete=models.CASCADE, related_name="scores")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="kinds_one_score_each")]
        ordering = ["item__section__position", "item__position"]


# The viewflow process of a case; the case is its artifact.
KindCaseProcess = case_process("KindCaseProcess", __name__, _("case process of a kind"),
                               _("case processes of a kind"))
