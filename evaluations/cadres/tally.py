"""The count: votes per grade for every cadre in one aggregate query, the
rates, the threshold results and the validity of the vote.

The database counts (one GROUP BY over the grades, conditional counts per
grade); Python only divides the handful of totals per cadre. Rates are
shares of the votes given to the cadre (a blank grade is an abstention) or,
if the evaluation says so, of all ballots cast. The quorum compares whole
numbers (ballots.counting) and the thresholds exact fractions, so 20 of 30
is exactly 2/3 and not "below" it."""

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ballots.counting import as_percent, fewest_more_than, more_than, percent

from .models import ABSTAIN, Cadre, Grade, Outcome, RateBase, VotingCode
from .weights import counts_by_category, weighted_shares

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
    # weights.WeightedShares when the evaluation weights rater categories.
    weighted: object = None

    @property
    def weighted_excellent_rate(self):
        return as_percent(self.weighted.excellent) if self.weighted is not None else None

    @property
    def weighted_competent_or_better_rate(self):
        return as_percent(self.weighted.good) if self.weighted is not None else None

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
    number of ballots cast (given, so a caller that has it asks no more);
    with weights by rater category, one more query for the counts per
    category (weights.py)."""
    rows = []
    by_category = counts_by_category(evaluation) if evaluation.category_weights else None
    for cadre in grade_counts(evaluation):
        f = CadreFigures(cadre, cadre.n_excellent, cadre.n_competent, cadre.n_basic, cadre.n_incompetent,
                         cadre.n_abstained)
        f.base = ballots_cast if evaluation.rate_base == RateBase.BALLOTS else f.graded
        if by_category is not None:
            f.weighted = weighted_shares(evaluation, by_category.get(cadre.pk, {}))
        f.results = threshold_results(evaluation, f)
        rows.append(f)
    return rows


def threshold_results(evaluation, f):
    """Exact fractions: the shares of the base, or the weighted shares when
    the evaluation weights rater categories."""
    results = []
    if f.weighted is not None:
        good, incompetent = f.weighted.good, f.weighted.incompetent
    elif evaluation.category_weights or not f.base:
        return results  # weighted, but no category graded the cadre; or no base at all
    else:
        good = Fraction(f.excellent + f.competent, f.base)
        incompetent = Fraction(f.incompetent, f.base)
    # 优秀+称职 below num/den → warning talk.
    if good < Fraction(evaluation.warning_numerator, evaluation.warning_denominator):
        results.append(RESULT_WARNING)
    # 不称职 above num/den → adjustment proposed.
    if incompetent > Fraction(evaluation.removal_numerator, evaluation.removal_denominator):
        results.append(RESULT_ADJUST)
    return results


def ballots_issued(evaluation):
    """Codes printed for phones (a voided code's slip was replaced: the new
    code counts, not both) plus the paper ballots handed out."""
    return VotingCode.objects.filter(evaluation=evaluation, voided=False).count() + evaluation.paper_ballots_issued


def quorum_met(evaluation, cast):
    """Valid only if more than num/den of those entitled took part."""
    return more_than(cast, evaluation.entitled_count, evaluation.quorum_numerator, evaluation.quorum_denominator)


def quorum_minimum(evaluation):
    """The fewest ballots that meet the quorum (more than num/den of those
    entitled): 21 of 40 for 1/2, 21 of 30 for 2/3."""
    return fewest_more_than(evaluation.entitled_count, evaluation.quorum_numerator, evaluation.quorum_denominator)


def below_quorum_warning(evaluation):
    """What the chair reads before closing a vote below its quorum (None
    when the quorum is met): the ballots so far against the rule, and the
    paper batches still waiting. Shown on the engine's confirmation page,
    which then asks for the box under it to be ticked."""
    from django.utils.translation import gettext, ngettext

    cast = evaluation.ballots.count()
    if quorum_met(evaluation, cast):
        return None
    text = gettext(
        "The vote is below its quorum: %(cast)s ballots have been cast of %(entitled)s entitled; the vote is valid "
        "only if more than %(n)s/%(d)s of those entitled take part, that is at least %(minimum)s ballots."
    ) % {"cast": cast, "entitled": evaluation.entitled_count, "n": evaluation.quorum_numerator,
         "d": evaluation.quorum_denominator, "minimum": quorum_minimum(evaluation)}
    pending = evaluation.paper_batches.filter(status="pending").count()
    if pending:
        text += " " + ngettext("%(n)s paper batch still awaits its second entry.",
                               "%(n)s paper batches still await their second entry.", pending) % {"n": pending}
    return text + " " + gettext("Paper ballots can still be entered after the close; if the tally stays below the "
                                "quorum, the vote is void.")


def outcome_of(evaluation, cast, issued):
    if evaluation.void_if_over_issued and cast > issued:
        return Outcome.VOID_OVER_ISSUED
    if not quorum_met(evaluation, cast):
        return Outcome.VOID_QUORUM
    return Outcome.VALID


@dataclass
class Tally:
    evaluation: object
    cast: int
    issued: int
    outcome: str
    rows: list
    # Voters signed in on the roll (None: no voter list), set against the
    # ballots cast.
    signed_in: object = None

    @property
    def is_void(self):
        return self.outcome != Outcome.VALID

    @property
    def quorum_met(self):
        return quorum_met(self.evaluation, self.cast)

    @property
    def quorum_minimum(self):
        return quorum_minimum(self.evaluation)

    @property
    def exceeds_sign_ins(self):
        """More ballots than people signed in: flagged on the page and the
        sheet (a ballot without a voter present, or a roll kept badly)."""
        return self.signed_in is not None and self.cast > self.signed_in

    @property
    def outcome_label(self):
        return Outcome(self.outcome).label

    @property
    def weighted(self):
        return bool(self.evaluation.category_weights)

    @property
    def participation_rate(self):
        return percent(self.cast, self.evaluation.entitled_count)


def tally(evaluation):
    """The whole count as it stands now (three queries, whatever the
    number of ballots and cadres)."""
    cast = evaluation.ballots.count()
    issued = ballots_issued(evaluation)
    return Tally(evaluation, cast, issued, outcome_of(evaluation, cast, issued), figures(evaluation, cast))


def recorded_tally(evaluation):
    """The tally as recorded when it was taken (for the result pages after
    the tally): the recorded totals, the figures from the ballots, which no
    longer change."""
    return Tally(
        evaluation, evaluation.ballots_counted, evaluation.ballots_issued, evaluation.outcome,
        figures(evaluation, evaluation.ballots_counted), evaluation.signed_in_count,
    )
