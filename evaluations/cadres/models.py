"""Democratic evaluation of cadres (民主评议干部).

An Evaluation is the case: a unit's union (the working body) sets it up, the
superior union approves the plan, the voters grade every cadre by secret
ballot, the result is tallied, approved, published and archived. Its route is
declared in declaration.py; the state changes only through the engine
(workflows.steps.decisions), as the declaration allows.

Secrecy is a property of the schema (the ballot, code and batch are the
secret ballot's models, ballots.models): a BallotGrade too has a random
primary key and no other foreign key than to its ballot and the cadre
graded. tests/evaluations/cadres/test_secrecy.py inspects this."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from ballots.models import BallotBase, PaperBatchBase, VotingCodeBase
from workflows.models import Organisation, ProtectedStateMixin
from workflows.models.case_processes import case_process

DEFAULT_CRITERIA = ["德", "能", "勤", "绩", "廉"]


def default_criteria():
    return list(DEFAULT_CRITERIA)


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PLAN_SUBMITTED = "plan_submitted", _("Plan awaiting the superior union")
    PLAN_RETURNED = "plan_returned", _("Plan returned for revision")
    PLAN_APPROVED = "plan_approved", _("Plan approved")
    VOTING_OPEN = "voting_open", _("Voting open")
    VOTING_CLOSED = "voting_closed", _("Voting closed")
    TALLIED = "tallied", _("Tallied, awaiting approval of the results")
    RESULTS_APPROVED = "results_approved", _("Results approved")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


S = EvaluationState
# The set-up (cadres, criteria, voters, window) may change only before the
# superior union has approved the plan.
EDITABLE_STATES = (S.DRAFT, S.PLAN_RETURNED)
# The voters sign in from the approval of the plan to the close.
SLIP_STATES = (S.PLAN_APPROVED, S.VOTING_OPEN)
# Codes are generated and slips printed only before the vote opens: a print
# while voting would leave out exactly the codes just used (who has voted).
PRINT_STATES = (S.PLAN_APPROVED,)
# A lost slip is voided and replaced by a new code until the close.
REPLACE_STATES = (S.PLAN_APPROVED, S.VOTING_OPEN)
# Paper ballots are entered from the opening of the vote to the tally.
PAPER_STATES = (S.VOTING_OPEN, S.VOTING_CLOSED)
RESULT_STATES = (S.TALLIED, S.RESULTS_APPROVED, S.PUBLISHED, S.ARCHIVED)
PUBLIC_STATES = (S.PUBLISHED, S.ARCHIVED)
# States in which a unit has held its evaluation (the vote is over): the coverage page's.
HELD_STATES = (S.VOTING_CLOSED, S.TALLIED, S.RESULTS_APPROVED, S.PUBLISHED, S.ARCHIVED)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASIC = "basic", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")


# As printed and as the tellers key them in (1–4; 0 or - is a blank).
GRADE_ZH = {Grade.EXCELLENT: "优秀", Grade.COMPETENT: "称职", Grade.BASIC: "基本称职", Grade.INCOMPETENT: "不称职"}
GRADE_KEYS = {"1": Grade.EXCELLENT, "2": Grade.COMPETENT, "3": Grade.BASIC, "4": Grade.INCOMPETENT, "0": "", "-": ""}
ABSTAIN = ""


class RateBase(models.TextChoices):
    GRADED = "graded", _("Votes given to the cadre (a blank grade is an abstention)")
    BALLOTS = "ballots", _("All ballots cast (a blank grade counts against)")


class Outcome(models.TextChoices):
    PENDING = "", _("Not tallied")
    VALID = "valid", _("Valid")
    VOID_QUORUM = "void_quorum", _("Void: not more than the required share of those entitled took part")
    VOID_OVER_ISSUED = "void_over_issued", _("Void: more ballots than were issued")


class Evaluation(ProtectedStateMixin, models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True, help_text=_("e.g. pingyi-2024-jixie"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cadre_evaluations"
    )
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    state = FSMField(_("status"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    method = models.CharField(
        _("method"), max_length=100, default="职工代表无记名投票",
        help_text=_("As printed on the result sheet, e.g. 职工代表无记名投票"),
    )
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    criteria = models.JSONField(_("criteria"), default=default_criteria, blank=True)
    voting_opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    voting_closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    entitled_count = models.PositiveIntegerField(_("entitled to vote (应到)"), default=0)
    paper_ballots_issued = models.PositiveIntegerField(_("paper ballots issued"), default=0)
    tellers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("tellers"), blank=True, related_name="+",
        help_text=_("Two tellers key every paper ballot, each on their own; a batch counts when both entries agree."),
    )
    # A rehearsal (演练) runs the whole route for practice and never counts:
    # it is marked on every page and paper and left out of the coverage.
    rehearsal = models.BooleanField(
        _("rehearsal (演练)"), default=False,
        help_text=_("A practice run: marked everywhere, never counted in the coverage or the results."),
    )
    # Optional weights by rater category: [[category, weight], ...] in the
    # order printed. Empty: every ballot weighs the same.
    category_weights = models.JSONField(_("weights by rater category"), default=list, blank=True)

    # Validity and thresholds: settings of the evaluation, defaults from the
    # district's rules (../shared/domain.md §3). Fractions are kept as
    # numerator/denominator so 2/3 is exactly 2/3.
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: more than (numerator)"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: more than (denominator)"), default=2, validators=[MinValueValidator(1)]
    )
    void_if_over_issued = models.BooleanField(_("more ballots than issued voids the vote"), default=True)
    rate_base = models.CharField(_("rates are shares of"), max_length=10, choices=RateBase.choices, default=RateBase.GRADED)
    warning_numerator = models.PositiveSmallIntegerField(_("warning talk below (numerator)"), default=2)
    warning_denominator = models.PositiveSmallIntegerField(
        _("warning talk below (denominator)"), default=3, validators=[MinValueValidator(1)]
    )
    removal_numerator = models.PositiveSmallIntegerField(_("adjustment above (numerator)"), default=1)
    removal_denominator = models.PositiveSmallIntegerField(
        _("adjustment above (denominator)"), default=3, validators=[MinValueValidator(1)]
    )

    # Written by the tally, kept for the archive.
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True, default="", editable=False)
    ballots_counted = models.PositiveIntegerField(_("ballots cast"), default=0, editable=False)
    ballots_issued = models.PositiveIntegerField(_("ballots issued"), default=0, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    # Voters signed in at the tally (None: no voter list), set against the
    # ballots cast on the result sheet.
    signed_in_count = models.PositiveIntegerField(_("signed in"), null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False, null=True
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("democratic evaluation")
        verbose_name_plural = _("democratic evaluations")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cadres:evaluation_detail", args=[self.code])

    @property
    def is_void(self):
        return self.outcome in (Outcome.VOID_QUORUM, Outcome.VOID_OVER_ISSUED)

    @property
    def accepts_votes(self):
        """Open, and inside the voting window (an end not set does not limit it)."""
        now = timezone.now()
        return (self.state == S.VOTING_OPEN and not (self.voting_opens_at and now < self.voting_opens_at)
                and not (self.voting_closes_at and now > self.voting_closes_at))


class Cadre(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="cadres")
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["evaluation", "position", "pk"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")

    def __str__(self):
        return f"{self.name}（{self.post}）"


class Voter(models.Model):
    """One person on the roll: for the sign-in at the meeting and the
    entitled count. Never linked to a code or a ballot."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="voters")
    name = models.CharField(_("name"), max_length=50)
    department = models.CharField(_("department"), max_length=100, blank=True)
    staff_number = models.CharField(_("staff number"), max_length=40, blank=True)
    category = models.CharField(_("rater category"), max_length=30, blank=True)
    signed_in = models.BooleanField(_("signed in"), default=False)

    class Meta:
        ordering = ["evaluation", "department", "name", "pk"]
        verbose_name = _("voter")
        verbose_name_plural = _("voters")

    def __str__(self):
        return self.name


class VotingCode(VotingCodeBase):
    """A one-time code of the evaluation (services.do_replace_lost_slip voids
    a lost slip's)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="codes")

    class Meta(VotingCodeBase.Meta):
        ordering = ["evaluation", "code"]


class Ballot(BallotBase):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="ballots")

    class Meta(BallotBase.Meta):
        ordering = ["evaluation", "receipt"]


class BallotGrade(models.Model):
    """The grade a ballot gives one cadre; "" is an abstention."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="grades")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="grades")
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "cadre"], name="one_grade_per_cadre_per_ballot")]
        indexes = [models.Index(fields=["cadre", "grade"])]
        verbose_name = _("grade on a ballot")
        verbose_name_plural = _("grades on ballots")


class PaperBatch(PaperBatchBase):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="paper_batches")

    class Meta(PaperBatchBase.Meta):
        ordering = ["evaluation", "number"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "number"], name="unique_batch_number")]


EvaluationProcess = case_process("EvaluationProcess", __name__, _("evaluation process"), _("evaluation processes"))
