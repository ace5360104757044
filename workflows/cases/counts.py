"""How many cases of a round stand in each state, per category (an award,
a kind): the table a round's page shows over the cases a user may see."""

from collections import defaultdict

from django.db.models import Count


def state_counts(cases, states, categories, field):
    """Rows {state, label, counts: [{kind, label, n}], total} over `cases`
    (a queryset), for `states` and `categories` ((code, label) pairs) by the
    category in `field`; states with no case left out. One query."""
    counts = defaultdict(int)
    for row in cases.values("state", field).annotate(n=Count("pk")):
        counts[(row["state"], row[field])] = row["n"]
    table = []
    for state, label in states:
        cells = [{"kind": code, "label": name, "n": counts[(state, code)]} for code, name in categories]
        total = sum(cell["n"] for cell in cells)
        if total:
            table.append({"state": state, "label": label, "counts": cells, "total": total})
    return table
