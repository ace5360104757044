"""The count: votes per grade for every cadre in one aggregate query, the
rates, the threshold results and the validity of the vote.

The database counts (one GROUP BY over the grades, conditional counts per
grade); Python only divides the handful of totals per cadre. Rates are
shares of the votes given to the cadre (a blank grade is an abstention) or,
if the evaluation says so, of all ballots cast. Thresholds compare whole
numbers (a·den < num·b), so 20 of 30 is exactly 2/3 and not "below" it."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import ABSTAIN, Ballot, Cadre, Grade, Outcome, RateBase, VotingCode

RESULT_WARNING = "warning"
RESULT_ADJUST = "adjust"
RESULT_PASS = "pass"
RESULT_LABELS = {
    RESULT_PASS: _("Competent or better"),
    RESULT_WARNING: _("Warning talk (诫勉谈话)"),
    RESULT_ADJUST: _("Adjustment proposed (建议调整)"),
}
RESULT_ZH = {RESULT_PASS: "称职以上", RESULT_WARNING: "诫勉谈话", RESULT_ADJUST: "建议调整"}


@dataclass
class CadreFigures:
    cadre: Cadre
    excellent: int
    competent: int
    basic: int
    incompetent: int
    abstained: int
    base: int = 0
    results: list = field(default_factory=list)

    @property
    def graded(self):
        return self.excellent + self.competent + self.basic + self.incompetent

    @property
    def excellent_rate(self):
        return percent(self.excellent, self.base)

    @property
    def competent_or_better_rate(self):
        return percent(self.excellent + self.competent, self.base)

    @property
    def result(self):
        """The strongest result: adjustment over a warning talk."""
        if RESULT_ADJUST in self.results:
            return RESULT_ADJUST
        if RESULT_WARNING in self.results:
            return RESULT_WARNING
        return RESULT_PASS

    @property
    def result_label(self):
        return RESULT_LABELS[self.result]

    @property
    def result_zh(self):
        return RESULT_ZH[self.result]

    def counts(self):
        return [self.excellent, self.competent, self.basic, self.incompetent]


def percent(part, whole):
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade_counts(evaluation):
    """Every cadre of the evaluation with its votes per grade: ONE query
    (cadres LEFT JOIN grades, GROUP BY cadre, a conditional COUNT per
    grade). A cadre nobody graded has zeros."""
    def count(grade):
        return Count("grades", filter=Q(grades__grade=grade))

    return list(
        Cadre.objects.filter(evaluation=evaluation)
        .annotate(
            n_excellent=count(Grade.EXCELLENT),
            n_competent=count(Grade.COMPETENT),
            n_basic=count(Grade.BASIC),
            n_incompetent=count(Grade.INCOMPETENT),
            n_abstained=count(ABSTAIN),
        )
        .order_by("position", "pk")
    )


def figures(evaluation, ballots_cast):
    """CadreFigures for each cadre, from grade_counts (one query) and the
    number of ballots cast (given, so a caller that has it asks no more)."""
    rows = []
    for cadre in grade_counts(evaluation):
        f = CadreFigures(
            cadre=cadre,
            excellent=cadre.n_excellent,
            competent=cadre.n_competent,
            basic=cadre.n_basic,
            incompetent=cadre.n_incompetent,
            abstained=cadre.n_abstained,
        )
        f.base = ballots_cast if evaluation.rate_base == RateBase.BALLOTS else f.graded
        f.results = threshold_results(evaluation, f)
        rows.append(f)
    return rows


def threshold_results(evaluation, f):
    results = []
    if not f.base:
        return results
    good = f.excellent + f.competent
    # 优秀+称职 below num/den of the base → warning talk.
    if good * evaluation.warning_denominator < evaluation.warning_numerator * f.base:
        results.append(RESULT_WARNING)
    # 不称职 above num/den of the base → adjustment proposed.
    if f.incompetent * evaluation.removal_denominator > evaluation.removal_numerator * f.base:
        results.append(RESULT_ADJUST)
    return results


def ballots_cast(evaluation):
    return Ballot.objects.filter(evaluation=evaluation).count()


def ballots_issued(evaluation):
    """Codes printed for phones (a voided code's slip was replaced: the new
    code counts, not both) plus the paper ballots handed out."""
    return VotingCode.objects.filter(evaluation=evaluation, voided=False).count() + evaluation.paper_ballots_issued


def outcome_of(evaluation, cast, issued):
    if evaluation.void_if_over_issued and cast > issued:
        return Outcome.VOID_OVER_ISSUED
    # Valid only if more than num/den of those entitled took part.
    if cast * evaluation.quorum_denominator <= evaluation.quorum_numerator * evaluation.entitled_count:
        return Outcome.VOID_QUORUM
    return Outcome.VALID


@dataclass
class Tally:
    evaluation: object
    cast: int
    issued: int
    outcome: str
    rows: list

    @property
    def is_void(self):
        return self.outcome != Outcome.VALID

    @property
    def outcome_label(self):
        return Outcome(self.outcome).label

    @property
    def participation_rate(self):
        return percent(self.cast, self.evaluation.entitled_count)


def tally(evaluation):
    """The whole count as it stands now (three queries, whatever the
    number of ballots and cadres)."""
    cast = ballots_cast(evaluation)
    issued = ballots_issued(evaluation)
    return Tally(evaluation, cast, issued, outcome_of(evaluation, cast, issued), figures(evaluation, cast))


def recorded_tally(evaluation):
    """The tally as recorded when it was taken (for the result pages after
    the tally): the recorded totals, the figures from the ballots, which no
    longer change."""
    return Tally(
        evaluation, evaluation.ballots_counted, evaluation.ballots_issued, evaluation.outcome,
        figures(evaluation, evaluation.ballots_counted),
    )
