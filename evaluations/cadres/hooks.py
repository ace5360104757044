"""The route's hooks (declaration.EVALUATION): the checks that belong to
this process, run inside the decision's transaction, what a decision
records beside the state (the count at the close, the tally's figures, the
publication time), and what `manage.py check_integrity` checks of the
ballots."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import integrity, unlinking
from ballots.models import BatchStatus
from workflows.audit import log_action
from workflows.cases.recording import record_on
from workflows.organisations.hats import Hat, task_hat
from workflows.exceptions import RuleViolation

from .models import RESULT_STATES, BallotGrade
from .tally import tally
from .weights import categories_of


def plan_problems(evaluation):
    """What keeps a plan from going to the superior union."""
    problems = []
    if not evaluation.cadres.exists():
        problems.append(_("Add the cadres to be evaluated."))
    if not evaluation.criteria:
        problems.append(_("Give at least one criterion."))
    if evaluation.entitled_count < 1:
        problems.append(_("Give the number entitled to vote, or import the voter list."))
    if not evaluation.voting_opens_at or not evaluation.voting_closes_at:
        problems.append(_("Set the voting window."))
    elif evaluation.voting_closes_at <= evaluation.voting_opens_at:
        problems.append(_("The vote must close after it opens."))
    return problems


def check_plan(case):
    problems = plan_problems(case)
    if problems:
        raise RuleViolation(" ".join(str(p) for p in problems))


def before_decision(case, decision, actor):
    """Hook of the declaration, inside the decision's transaction."""
    code = decision.code
    if code in ("resubmit", "approve"):
        check_plan(case)
    elif code == "open_voting":
        if not case.codes.exists() and not case.paper_ballots_issued:
            raise RuleViolation(_("Generate the voting codes (or record the paper ballots issued) first."))
    elif code == "tally":
        if case.paper_batches.filter(status=BatchStatus.PENDING).exists():
            raise RuleViolation(_("A batch of paper ballots still awaits the second teller."))


def after_decision(case, decision, actor, task=None):
    """Hook of the declaration: record the count when the vote closes (how
    many, never who or how), the tally's figures, the publication time."""
    code = decision.code
    if code == "close_voting":
        # Cut every trace linking a ballot to its code (docs/ballot-secrecy.md):
        # its ballots, their grades and its codes rewritten (ballots.unlinking).
        unlinking.unlink_ballots_from_codes(case.ballots.all(), BallotGrade.objects.filter(ballot__evaluation=case),
                                            case.codes.all())
        cast = case.ballots.count()
        log_action(case, "cadres.evaluation.ballots_counted", actor=actor,
                   hat=task_hat(actor, task) if task is not None else Hat(organisation=case.organisation),
                   data={"ballots": cast, "codes_used": case.codes.filter(used=True).count()})
    elif code == "tally":
        # From here the count is sealed: no service adds or removes a
        # ballot in a tallied state (paper.lock_open_count, the vote's
        # open state), and check_integrity compares the ballots with this
        # record.
        result = tally(case)
        signed_in = case.voters.filter(signed_in=True).count() if case.voters.exists() else None
        record_on(case, outcome=result.outcome, ballots_counted=result.cast, ballots_issued=result.issued,
                  signed_in_count=signed_in)
    elif code == "publish":
        record_on(case, published_at=timezone.now())


def after_transition(case, transition, actor):
    """Hook of the declaration: a reopened count is no longer a result (the
    next tally records one again); the audit entry of the reopening, with
    its reason, is what the public page shows."""
    if transition.code == "reopen_count":
        record_on(case, outcome="")


def ballot_problems(evaluation):
    """The integrity hook: the checks of any secret ballot
    (ballots.integrity), and that a tally records the ballots there are
    (the count is sealed from then on: a ballot added or removed after the
    tally shows here)."""
    label = f"Evaluation #{evaluation.pk} ({evaluation.code})"
    problems, cast = integrity.ballot_problems(
        label, ballots=evaluation.ballots.all(), codes=evaluation.codes.all(), batches=evaluation.paper_batches.all(),
        rows=BallotGrade.objects.filter(ballot__evaluation=evaluation), graded=evaluation.cadres.count(),
        graded_name="cadres", categories=categories_of(evaluation))
    if evaluation.state in RESULT_STATES and evaluation.ballots_counted != cast:
        problems.append(f"{label}: the tally counted {evaluation.ballots_counted} ballots, {cast} were cast")
    return problems
