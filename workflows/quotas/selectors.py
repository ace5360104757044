"""What the pages show of a campaign's places: the table of places used,
the district's edit rows, the shares handed down."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Sum

from workflows.models import Organisation, OrgKind, Quota
from workflows.organisations.access import can_see_organisation, memberships
from workflows.quotas.registry import scheme_for
from workflows.quotas.services import quotas_of


def concerns(user, organisation):
    """The organisation is the user's, above one of theirs, or in their branch."""
    if can_see_organisation(user, organisation):
        return True
    return any(m.organisation.path.startswith(organisation.path) for m in memberships(user))


def intermediates_of(top):
    return Organisation.objects.filter(kind=OrgKind.INTERMEDIATE, path__startswith=top.path).exclude(pk=top.pk)


def quota_table(scope, user):
    """Rows {organisation, cells: [{kind, label, used, places}]} for the
    intermediate unions the user is concerned with; `used` counts the cases
    holding a place (the same rule as services.check_places)."""
    scheme = scheme_for(scope)
    intermediates = [org for org in intermediates_of(scheme.top(scope)) if concerns(user, org)]
    places = {
        (q.organisation_id, q.category): q.count
        for q in quotas_of(scope).filter(organisation__in=intermediates, parent__isnull=True)
    }
    used = defaultdict(int)
    by_path = {org.path: org for org in intermediates}
    counted = (
        scheme.holders(scope).order_by()
        .values("organisation__path", scheme.category_field)
        .annotate(n=Count("pk"))
    )
    for row in counted:
        for path, org in by_path.items():
            if row["organisation__path"].startswith(path):
                used[(org.pk, row[scheme.category_field])] += row["n"]
    categories = [(code, scheme.label(code)) for code in scheme.categories(scope)]
    rows = [
        {
            "organisation": org,
            "cells": [
                {"kind": code, "label": label, "used": used[(org.pk, code)], "places": places.get((org.pk, code), 0)}
                for code, label in categories
            ],
        }
        for org in intermediates
    ]
    closed_on = scheme.closed_on(scope)
    if closed_on is not None:
        # A closed campaign shows the tree as it was when it closed: a union
        # that joined the tree after was never part of it; one of unknown
        # date with neither place nor case is taken for one too.
        def was_there(row):
            established = row["organisation"].established_on
            if established is None:
                return any(cell["used"] or cell["places"] for cell in row["cells"])
            return established <= closed_on

        rows = [row for row in rows if was_there(row)]
    return rows


def _input_rows(scope, organisations, existing, prefix, posted):
    """[{organisation, cells: [{kind, label, name, count, value}]}] for the
    inputs of `_edit_places.html`: one row per organisation, one cell per
    category, `existing` {(organisation pk, category): count}."""
    scheme = scheme_for(scope)
    categories = [(code, scheme.label(code)) for code in scheme.categories(scope)]
    rows = []
    for organisation in organisations:
        cells = []
        for code, label in categories:
            name = f"{prefix}-{organisation.pk}-{code}"
            count = existing.get((organisation.pk, code), 0)
            cells.append({"kind": code, "label": label, "name": name, "count": count,
                          "value": posted.get(name, count) if posted is not None else count})
        rows.append({"organisation": organisation, "cells": cells})
    return rows


def quota_edit_rows(scope, posted=None):
    """The district's places per intermediate union and category, as
    inputs: [{organisation, cells: [{kind, label, name, count, value}]}].
    `posted` keeps what was typed when a save was refused."""
    existing = {(q.organisation_id, q.category): q.count for q in quotas_of(scope).filter(parent__isnull=True)}
    intermediates = scheme_for(scope).top(scope).children.filter(kind=OrgKind.INTERMEDIATE).order_by("path")
    return _input_rows(scope, intermediates, existing, "quota", posted)


def quota_tree(scope):
    """[(intermediate union's quota, [its shares])] of the campaign."""
    shares = Prefetch("shares", queryset=Quota.objects.select_related("organisation"))
    parents = quotas_of(scope).filter(parent__isnull=True).select_related("organisation").prefetch_related(shares)
    return [(q, list(q.shares.all())) for q in parents]


def share_edit_rows(scope, intermediate, posted=None):
    """An intermediate union's shares per grassroots union of its branch and
    category, as inputs (the rows of `_edit_places.html`, as
    quota_edit_rows). `posted` keeps what was typed when a save was refused."""
    existing = {(q.organisation_id, q.category): q.count
                for q in quotas_of(scope).filter(parent__organisation=intermediate)}
    unions = Organisation.objects.filter(kind=OrgKind.GRASSROOTS, path__startswith=intermediate.path).order_by("path")
    return _input_rows(scope, unions, existing, "share", posted)


def places_of(scope, intermediate):
    """[(label, places, shared)] of an intermediate union, per category."""
    scheme = scheme_for(scope)
    parents = {q.category: q for q in quotas_of(scope).filter(organisation=intermediate, parent__isnull=True)
               .annotate(shared=Sum("shares__count"))}
    return [(scheme.label(code), parents[code].count if code in parents else 0,
             (parents[code].shared or 0) if code in parents else 0)
            for code in scheme.categories(scope)]
