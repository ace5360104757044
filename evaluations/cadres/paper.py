"""An evaluation's paper ballots, keyed by two tellers independently on
the engine's part (ballots.paper: each teller keys the whole
pile on their own, the two entries are compared ballot by ballot in one
transaction, a batch counts only when they agree, the same person never
keys both). What is the evaluation's own: a ballot's line, one figure per
cadre in the ballot's order (1 优秀, 2 称职, 3 基本称职, 4 不称职, 0 or -
blank); its tellers and rater categories; the sealed count (once tallied,
no batch is entered or accepted); and the ballots agreed lines become."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ballots import paper as engine
from ballots.paper_page import PaperPage
from workflows.exceptions import AlreadyHandled, RuleViolation

from .models import GRADE_KEYS, PAPER_STATES, RESULT_STATES, PaperBatch
from .selectors import get_evaluation_for
from .services import lock
from .voting import insert_paper_ballots
from .weights import categories_of


def parse_ballot_lines(text, cadres):
    """[{cadre_id: grade}] from the typed lines, or RuleViolation naming
    every wrong line."""
    entries, errors = [], []
    lines = [line for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, 1):
        keys = "".join(line.split()).replace("，", "").replace(",", "")
        if len(keys) != len(cadres):
            errors.append(
                _("Line %(n)s: %(got)s grades for %(want)s cadres.") % {"n": number, "got": len(keys), "want": len(cadres)}
            )
            continue
        bad = [k for k in keys if k not in GRADE_KEYS]
        if bad:
            errors.append(_("Line %(n)s: “%(key)s” is not a grade (1–4, or 0 / - for a blank).") % {"n": number, "key": bad[0]})
            continue
        entries.append({str(cadre.pk): GRADE_KEYS[k] for cadre, k in zip(cadres, keys)})
    if errors:
        raise RuleViolation(errors)  # a list: one message per wrong line
    return entries


SEALED_MESSAGE = _lazy(
    "The count is sealed: once tallied, no ballot can be added or removed. "
    "Only the district can reopen the count, publicly and with a reason."
)


def lock_open_count(evaluation):
    """The evaluation, locked, if ballots may still come in; a sealed count
    (tallied) is a RuleViolation, any other state AlreadyHandled."""
    current = lock(evaluation)
    if current.state in RESULT_STATES:
        raise RuleViolation(str(SEALED_MESSAGE))
    if current.state not in PAPER_STATES:
        raise AlreadyHandled(_("The evaluation has moved on; this can no longer be done."))
    return current


PAPER = engine.PaperBallots(
    batch_model=PaperBatch, case_field="evaluation", tellers=lambda evaluation: evaluation.tellers.all(),
    # Looked up when called (a test takes the lock away to show the race it prevents).
    lock_open=lambda evaluation: lock_open_count(evaluation),
    parse=lambda evaluation, text: parse_ballot_lines(text, list(evaluation.cadres.all())),
    accept=insert_paper_ballots, categories=categories_of,
    action_prefix="cadres.evaluation",
    words={
        "not_teller": _lazy("Only the evaluation's tellers enter paper ballots."),
        "not_teller_confirm": _lazy("Only the evaluation's tellers confirm paper ballots."),
        "same_teller": _lazy("The same person cannot be both tellers of a batch: the other teller keys it again."),
        "which_category": _lazy("Say which rater category the pile is from."),
        "no_categories": _lazy("This evaluation has no rater categories."),
        "miscounted": _lazy("The pile has %(declared)s ballots but %(entered)s were entered: the batch is refused."),
    },
)

PAGE = PaperPage(
    PAPER, case_for=get_evaluation_for, intro="cadres/_paper_intro.html", open_states=PAPER_STATES,
    sealed_states=RESULT_STATES, sealed_message=SEALED_MESSAGE,
    first_help=_lazy("One figure per cadre in the ballot's order: 1 优秀, 2 称职, 3 基本称职, 4 不称职, 0 or - blank."),
    second_help=_lazy("Key the pile yourself, as the first teller did: one figure per cadre, 0 or - blank."),
    url=lambda evaluation: reverse("cadres:paper_batches", args=[evaluation.code]),
    confirm_url=lambda evaluation, number: reverse("cadres:paper_batch_confirm", args=[evaluation.code, number]),
    badges=lambda evaluation: [("rehearsal", _("Rehearsal"))] if evaluation.rehearsal else [],
)
