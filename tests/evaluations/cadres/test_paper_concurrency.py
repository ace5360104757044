"""Two second entries of one paper batch at the same moment (a double
click, two tabs): the batch's ballots go in once. Row locks only mean
something on a database server: PostgreSQL. The control shows the race
without the locks."""

import time

from evaluations.cadres import paper
from evaluations.cadres.models import Ballot, PaperBatch
from ballots.paper import confirm_batch, enter_batch
from evaluations.cadres.paper import PAPER
from tests.concurrency import RACE_MARKS, run_together
from ballots import paper as paper_part
from ballots.models import BatchStatus

pytestmark = RACE_MARKS

THREADS = 6
PILE = "1111\n2222\n3333"


def _confirm_together(batch, teller):
    """THREADS second entries of the same pile at once (the house race
    helper: one connection each, "won" for a confirmation)."""
    def confirm(actor, _seen):
        return confirm_batch(PAPER, batch=batch, declared_count=3, text=PILE, actor=actor)

    return run_together([teller] * THREADS, lambda: None, confirm)


def test_a_batch_confirmed_twice_at_once_counts_once(make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=3)
    batch = enter_batch(PAPER, case=evaluation, declared_count=3, text=PILE, actor=tellers[0])
    outcomes = _confirm_together(batch, tellers[1])
    assert sorted(outcomes) == ["already handled"] * (THREADS - 1) + ["won"], outcomes
    assert Ballot.objects.filter(evaluation=evaluation).count() == 3
    assert PaperBatch.objects.get(pk=batch.pk).status == BatchStatus.CONFIRMED


def test_without_the_locks_the_race_is_real(make_evaluation, tellers, monkeypatch):
    """The control: read the evaluation and the batch without locking them
    (and pause where a slow request would): the pile goes in several times."""
    from evaluations.cadres.models import Evaluation

    def unlocked_count(evaluation):
        return Evaluation.objects.select_related("organisation").get(pk=evaluation.pk)

    def unlocked_batch(batch):
        row = PaperBatch.objects.get(pk=batch.pk)
        time.sleep(0.3)
        return row

    monkeypatch.setattr(paper, "lock_open_count", unlocked_count)
    monkeypatch.setattr(paper_part, "lock_batch", unlocked_batch)
    evaluation = make_evaluation(codes=1, paper_issued=3)
    batch = enter_batch(PAPER, case=evaluation, declared_count=3, text=PILE, actor=tellers[0])
    outcomes = _confirm_together(batch, tellers[1])
    assert outcomes.count("won") > 1
    assert Ballot.objects.filter(evaluation=evaluation).count() == 3 * outcomes.count("won")
