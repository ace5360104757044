"""What `manage.py check_integrity` checks of an evaluation's ballots (the
declaration's `integrity` hook): no ballot counted twice, none lost.

A used voting code stands for exactly one online ballot (the code is marked
used in the transaction that inserts the ballot); a confirmed paper batch
for its declared number of paper ballots; a ballot grades every cadre once;
a tally records the ballots there are (the count is sealed from then
on: a ballot added or removed after the tally shows here); in a weighted
evaluation every ballot has one of its rater categories."""

from django.db.models import Count, Sum

from .models import Ballot, BallotChannel, BallotGrade, BatchStatus, EvaluationState as S, PaperBatch, VotingCode

TALLIED_STATES = (S.TALLIED, S.RESULTS_APPROVED, S.PUBLISHED, S.ARCHIVED)


def ballot_problems(evaluation):
    label = f"Evaluation #{evaluation.pk} ({evaluation.code})"
    by_channel = dict(
        Ballot.objects.filter(evaluation=evaluation).values_list("channel").annotate(n=Count("pk")).order_by()
    )
    online, paper = by_channel.get(BallotChannel.ONLINE, 0), by_channel.get(BallotChannel.PAPER, 0)
    used = VotingCode.objects.filter(evaluation=evaluation, used=True).count()
    confirmed = PaperBatch.objects.filter(evaluation=evaluation, status=BatchStatus.CONFIRMED).aggregate(
        n=Sum("declared_count"))["n"] or 0
    problems = []
    if online != used:
        problems.append(f"{label}: {online} online ballots for {used} used voting codes"
                        f" ({'a ballot counted twice' if online > used else 'a used code lost its ballot'})")
    if paper != confirmed:
        problems.append(f"{label}: {paper} paper ballots for {confirmed} in confirmed batches")
    cadres = evaluation.cadres.count()
    uneven = (BallotGrade.objects.filter(ballot__evaluation=evaluation).values("ballot")
              .annotate(n=Count("pk")).exclude(n=cadres).count())
    if uneven:
        problems.append(f"{label}: {uneven} ballots do not grade each of the {cadres} cadres once")
    # A weighted evaluation weighs each ballot by its rater category: a
    # ballot of no listed category would silently weigh nothing.
    categories = [c for c, _w in evaluation.category_weights]
    if categories:
        stray = Ballot.objects.filter(evaluation=evaluation).exclude(category__in=categories).count()
        if stray:
            problems.append(f"{label}: {stray} ballots of no rater category the evaluation weighs")
    if evaluation.state in TALLIED_STATES and evaluation.ballots_counted != online + paper:
        problems.append(f"{label}: the tally counted {evaluation.ballots_counted} ballots, "
                        f"{online + paper} were cast")
    return problems
