"""Cases past their due day and not handed in, per organisation: one page
for every process that gives its cases a due day (a report due from each
union). The process names its visible cases, the states still outstanding
and its words; the engine groups, pages and links to the process's list
filtered to the organisation's overdue cases."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Min
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone


def overdue_by_organisation(cases, outstanding, today=None, due="due_on"):
    """[{"organisation_id", "organisation__name", "organisation__parent__name",
    "count", "earliest"}] of `cases` in the `outstanding` states past their
    `due` day, soonest overdue first (one query)."""
    today = today or timezone.localdate()
    return (
        cases.filter(state__in=outstanding, **{f"{due}__lt": today})
        .values("organisation_id", "organisation__name", "organisation__parent__name")
        .annotate(count=Count("pk"), earliest=Min(due)).order_by("earliest", "organisation__name")
    )


@login_required
def overdue_page(request, *, cases, outstanding, list_url, words):
    """`cases(user)`: the cases the user may see; `list_url`: the name of
    the process's list, which takes ?overdue=1&q=<organisation>; `words`:
    {"title", "intro" (with %(date)s), "count", "empty"}."""
    today = timezone.localdate()
    rows = overdue_by_organisation(cases(request.user), outstanding, today)
    return render(request, "workflows/overdue.html", {
        "page_obj": Paginator(rows, 25).get_page(request.GET.get("page")), "today": today,
        "list_url": reverse(list_url), "words": words, "intro": words["intro"] % {"date": today.isoformat()},
    })
