"""A roll call (签到) of the people a case lists, for any process that holds
a meeting (a vote's voters, a session's delegates): the people with a
search and pages, who came marked, and, for whoever may keep the roll, a
button to sign each in or undo it. The process gives its people (a
queryset with `signed_in`), the fields searched, its columns and its
service that records a sign-in; the count of those present heads the
page. A post names the person by their id among the case's people in
`field` (anything else is refused as `refused`)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render

from workflows.exceptions import NotAllowed, RuleViolation

from .query import query_without_page

PER_PAGE = 50


def roll_page(request, case, people, *, search, columns, may_keep, may_sign, sign, refused, note, empty,
              field="person"):
    """`columns`: [(label, person → value)]; `may_keep`: the user keeps
    the roll (a post otherwise is refused); `may_sign`: the buttons are
    shown (the roll is open); `sign(person, present)` records it."""
    if request.method == "POST":
        pk = request.POST.get(field, "")
        person = people.filter(pk=pk).first() if pk.isascii() and pk.isdigit() else None
        if person is None or not may_keep:
            raise NotAllowed(refused)
        try:
            sign(person, request.POST.get("signed_in") == "1")
        except RuleViolation as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    q = (request.GET.get("q") or "").strip()
    found = people
    if q:
        query = Q()
        for searched in search:
            query |= Q(**{f"{searched}__icontains": q})
        found = people.filter(query)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "workflows/pages/roll.html", {
        "case": case, "page_obj": page, "q": q, "query_string": query_without_page(request), "note": note,
        "empty": empty, "may_sign": may_sign, "field": field, "headers": [label for label, _value in columns],
        "rows": [(person, [(label, value(person)) for label, value in columns]) for person in page.object_list],
        "signed_in": people.filter(signed_in=True).count(), "total": people.count(),
    })
