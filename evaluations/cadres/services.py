"""The only place an evaluation's set-up changes, and the route's entry
points. Each set-up service is one transaction that locks the evaluation's
row, re-checks its state and the actor, and writes an audit entry; the route
(who decides what, in which state) is declaration.EVALUATION, run by the
engine's one decision service (workflows.steps.decisions)."""

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.audit import log_action
from ballots.codes import display_voting_code, fresh_codes, normalise_code
from workflows.cases.locking import lock_seen
from workflows.exceptions import RuleViolation
from workflows.steps.decisions import do_transition

from .models import EDITABLE_STATES, PRINT_STATES, REPLACE_STATES, SLIP_STATES, Cadre, VotingCode
from .hooks import check_plan
from .roles import WORKING_BODY
from .weights import categories_of

MAX_CODES = 5000


def lock(evaluation, *, states=None, version=None):
    return lock_seen(evaluation, states=states, version=version, related=("organisation",),
                     moved=_("The evaluation has moved on; this can no longer be done."))


# Set-up ------------------------------------------------------------------------

def do_create_evaluation(*, evaluation, cadres, actor, tellers=(), ip=None):
    """`evaluation` unsaved with its organisation set; `cadres` a list of
    (name, post); `tellers` the two users who enter paper ballots."""
    WORKING_BODY.check(actor, evaluation)
    with transaction.atomic():
        evaluation.created_by = actor
        _save_setup(evaluation, "cadres.evaluation.created", cadres, tellers, actor, ip, to_state=evaluation.state)
    return evaluation


def do_update_evaluation(*, evaluation, fields, cadres, tellers, actor, version=None, ip=None):
    """Save the set-up form's `fields` ({name: value}) and cadres; only
    while the plan is a draft or returned."""
    WORKING_BODY.check(actor, evaluation)
    with transaction.atomic():
        current = lock(evaluation, states=EDITABLE_STATES, version=version)
        for name, value in fields.items():
            setattr(current, name, value)
        current.version += 1
        _save_setup(current, "cadres.evaluation.updated", cadres, tellers, actor, ip)
    evaluation.refresh_from_db()
    return evaluation


def _save_setup(evaluation, action, cadres, tellers, actor, ip, **audit):
    """The set-up saved with its tellers and cadres, audited as `action`."""
    evaluation.save()
    evaluation.tellers.set(tellers)
    # Only before the vote: no grade refers to a cadre yet.
    Cadre.objects.filter(evaluation=evaluation).delete()
    Cadre.objects.bulk_create(
        [Cadre(evaluation=evaluation, name=name, post=post, position=i) for i, (name, post) in enumerate(cadres, 1)]
    )
    log_action(evaluation, action, actor=actor, hat=WORKING_BODY.hat(actor, evaluation), ip=ip,
               data={"cadres": len(cadres)}, **audit)


def _refuse_print_while_voting(evaluation):
    if evaluation.state not in PRINT_STATES:
        raise RuleViolation(_("Codes are generated and slips printed only before the vote opens: a print now "
                              "would show which codes have been used. Replace a lost slip instead."))


def do_generate_codes(*, evaluation, count, actor, ip=None, category=""):
    """`count` new one-time codes (unique; a clash with any code of any
    evaluation is drawn again by the unique index). Only before the vote
    opens (PRINT_STATES). A weighted evaluation's codes are for one of its
    rater categories, which the ballot cast with them carries."""
    WORKING_BODY.check(actor, evaluation)
    if count < 1 or count > MAX_CODES:
        raise RuleViolation(_("Between 1 and %(max)s codes at a time.") % {"max": MAX_CODES})
    _refuse_print_while_voting(evaluation)
    with transaction.atomic():
        current = lock(evaluation, states=PRINT_STATES)
        categories = categories_of(current)
        if categories and category not in categories:
            raise RuleViolation(_("Say which rater category the codes are for."))
        if not categories and category:
            raise RuleViolation(_("This evaluation has no rater categories."))
        codes = fresh_codes(VotingCode, count, evaluation=current, category=category)
        VotingCode.objects.bulk_create(codes)
        log_action(current, "cadres.evaluation.codes_generated", actor=actor, hat=WORKING_BODY.hat(actor, current),
                   ip=ip, data={"count": count, "category": category} if category else {"count": count})
    return codes


def unused_codes(evaluation):
    """The codes to print: before the vote opens, every code not voided."""
    return VotingCode.objects.filter(evaluation=evaluation, used=False, voided=False).order_by("code")


def do_record_slips_printed(*, evaluation, count, actor, ip=None, via_command=False):
    """The audit entry of a print of the unused codes: how many, by whom.
    Never which slip went to whom (the system does not know). On the web
    only the working body prints; `via_command` is the server's operator
    (manage.py print_voting_slips), recorded as such."""
    if not via_command:
        WORKING_BODY.check(actor, evaluation)
    _refuse_print_while_voting(evaluation)
    with transaction.atomic():
        current = lock(evaluation, states=PRINT_STATES)
        data = {"count": count, "via": "command"} if via_command else {"count": count}
        log_action(current, "cadres.evaluation.slips_printed", actor=actor, hat=WORKING_BODY.hat(actor, current),
                   ip=ip, data=data)


def do_replace_lost_slip(*, evaluation, lost_code, actor, ip=None):
    """A voter lost their slip (or it was spoilt): void its code and issue a
    new one, in one transaction, audited with the voided code and the actor
    (never the new code: it is a live credential). Returns the new code, to
    be printed on one slip.

    Refused if the lost code has already voted (it cannot be replaced, or
    one person would vote twice). That refusal tells the organiser that
    this code was used, so it is audited too, naming the code and the
    actor: probing codes this way is on the record, and probing an unused
    code voids it, which its holder finds out at once."""
    WORKING_BODY.check(actor, evaluation)
    code = normalise_code(lost_code)
    if not code:
        raise RuleViolation(_("This is not a voting code: it has 12 letters and digits, like 7KQ4-M2XD-9PRT."))
    refused = None
    with transaction.atomic():
        current = lock(evaluation, states=REPLACE_STATES)
        row = VotingCode.objects.select_for_update().filter(evaluation=current, code=code).first()
        if row is None:
            raise RuleViolation(_("This code is not one of this evaluation's slips. Check what you typed."))
        if row.voided:
            raise RuleViolation(_("This slip has already been replaced."))
        if row.used:
            log_action(current, "cadres.evaluation.slip_replacement_refused", actor=actor,
                       hat=WORKING_BODY.hat(actor, current), ip=ip, data={"code": display_voting_code(code)})
            refused = _("This slip has already been used to vote: it cannot be replaced.")
        else:
            VotingCode.objects.filter(pk=row.pk).update(voided=True)
            new = fresh_codes(VotingCode, 1, evaluation=current, category=row.category)[0]  # the same rater category
            new.save()
            log_action(current, "cadres.evaluation.slip_replaced", actor=actor, hat=WORKING_BODY.hat(actor, current),
                       ip=ip, data={"voided": display_voting_code(code)})
    if refused:
        raise RuleViolation(refused)
    return new


def do_sign_in_voter(*, voter, signed_in, actor):
    evaluation = voter.evaluation
    WORKING_BODY.check(actor, evaluation)
    with transaction.atomic():
        lock(evaluation, states=SLIP_STATES)
        type(voter).objects.filter(pk=voter.pk).update(signed_in=signed_in)


# The route ------------------------------------------------------------------------

def do_submit_plan(*, evaluation, actor, version=None, ip=None):
    """The working body sends the plan to the superior union (starts the
    flow); the plan must be complete."""
    return do_transition(case=evaluation, actor=actor, code="submit", version=version, ip=ip, check=check_plan)


def do_reopen_count(*, evaluation, actor, reason, version=None, ip=None):
    """The district reopens a tallied count for a recount: a declared
    transition through the engine (row lock, version, audit naming the
    actor), with the reason, which the public page shows. The audit entry
    keeps what the reopened tally said."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Say why the count is reopened: the public page shows it."))
    return do_transition(case=evaluation, actor=actor, code="reopen_count", comment=reason, version=version, ip=ip,
                         data={"ballots": evaluation.ballots_counted, "outcome": evaluation.outcome})
