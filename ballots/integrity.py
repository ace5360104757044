"""What `manage.py check_integrity` checks of a vote's ballots (through the
process's `integrity` hook): no ballot counted twice, none lost.

A used voting code stands for exactly one online ballot (the code is marked
used in the transaction that inserts the ballot); a confirmed paper batch
for its declared number of paper ballots; a ballot has one row for each of
the things it grades; in a weighted vote every ballot has one of its rater
categories (a ballot of no listed category would silently weigh nothing)."""

from django.db.models import Count, Sum

from .models import BallotChannel, BatchStatus


def ballot_problems(label, *, ballots, codes, batches, rows, graded, graded_name, categories=()):
    """(problems as sentences, ballots cast) for the querysets of one vote's
    `ballots`, voting `codes`, paper `batches` and ballot `rows`, where each
    ballot grades `graded` things (`graded_name`, the process's word for them)."""
    by_channel = dict(ballots.values_list("channel").annotate(n=Count("pk")).order_by())
    online, paper = by_channel.get(BallotChannel.ONLINE, 0), by_channel.get(BallotChannel.PAPER, 0)
    used = codes.filter(used=True).count()
    confirmed = batches.filter(status=BatchStatus.CONFIRMED).aggregate(n=Sum("declared_count"))["n"] or 0
    problems = []
    if online != used:
        problems.append(f"{label}: {online} online ballots for {used} used voting codes"
                        f" ({'a ballot counted twice' if online > used else 'a used code lost its ballot'})")
    if paper != confirmed:
        problems.append(f"{label}: {paper} paper ballots for {confirmed} in confirmed batches")
    uneven = rows.values("ballot").annotate(n=Count("pk")).exclude(n=graded).count()
    if uneven:
        problems.append(f"{label}: {uneven} ballots do not grade each of the {graded} {graded_name} once")
    if categories:
        stray = ballots.exclude(category__in=categories).count()
        if stray:
            problems.append(f"{label}: {stray} ballots of no rater category the vote weighs")
    return problems, online + paper
