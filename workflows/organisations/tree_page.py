"""The district's organisation tree as its administrator reads it: every
unit in tree order, who holds which role there, and the roles nobody holds
(a vacancy: a grassroots union without a chair cannot confirm a single
case it sends up). Filterable by name or code, kind and vacancy; exported to
Excel with the same filter (through workflows.documents.xlsx).

What counts as a vacancy: a role that the start-up import gives at units of
that kind (`import_sheets.IMPORT_ROLES`, registered by the processes) with
no active holder. Deactivated accounts are shown, marked, and hold nothing.

Cost: two queries whatever the size of the tree (the units, and their
memberships with the users), then one page of rows."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from urllib.parse import urlencode

from workflows.documents.xlsx import table_workbook, xlsx_response
from workflows.models import Membership, Organisation, OrgKind

from .import_sheets import IMPORT_ROLES
from .administration import administered_districts
from .roles import role_label

PAGE_SIZE = 100


@dataclass
class TreeRow:
    organisation: Organisation
    depth: int
    holders: list = field(default_factory=list)  # [(role label, [(name, active)])]
    vacancies: list = field(default_factory=list)  # [role label]


def expected_roles(kind):
    return [code for code, kinds in IMPORT_ROLES.items() if kind in kinds]


def tree_rows(district, *, q="", kind="", vacant=False):
    """The rows of `district`'s tree under the filter, in tree order."""
    orgs = Organisation.objects.filter(path__startswith=district.path)
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind:
        orgs = orgs.filter(kind=kind)
    orgs = list(orgs.order_by("path"))
    held = {}
    for m in Membership.objects.filter(organisation__in=[o.pk for o in orgs]).select_related("user").order_by(
            "organisation_id", "role", "user__username"):
        held.setdefault(m.organisation_id, {}).setdefault(m.role, []).append(m.user)
    base_depth = len(district.ancestor_ids)
    rows = []
    for org in orgs:
        roles = held.get(org.pk, {})
        row = TreeRow(org, len(org.ancestor_ids) - base_depth)
        for code, users in roles.items():
            row.holders.append((str(role_label(code)), [(u.get_full_name() or u.username, u.is_active) for u in users]))
        row.vacancies = [str(role_label(code)) for code in expected_roles(org.kind)
                         if not any(u.is_active for u in roles.get(code, []))]
        if vacant and not row.vacancies:
            continue
        rows.append(row)
    return rows


def _district(user):
    districts = administered_districts(user)
    if not districts:
        raise Http404()
    return districts[0]


def _filters(request):
    kind = request.GET.get("kind", "")
    return {
        "q": (request.GET.get("q") or "").strip()[:100],
        "kind": kind if kind in OrgKind.values else "",
        "vacant": request.GET.get("vacant") == "1",
    }


@login_required
def organisation_tree(request):
    district = _district(request.user)
    filters = _filters(request)
    rows = tree_rows(district, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: ("1" if v is True else v) for k, v in filters.items() if v})
    return render(request, "workflows/organisations/tree.html", {
        "district": district, "page_obj": page, "filters": filters, "query_string": query,
        "kinds": [(k, label) for k, label in OrgKind.choices if k != OrgKind.DISTRICT],
        "vacancy_count": sum(1 for row in rows if row.vacancies),
    })


@login_required
def organisation_tree_xlsx(request):
    district = _district(request.user)
    rows = tree_rows(district, **_filters(request))
    headers = [_("Depth"), _("Code"), _("Unit name"), _("Kind"), _("Sector"), _("Roles and holders"), _("Vacancies")]
    body = []
    for row in rows:
        org = row.organisation
        holders = "\n".join(
            "%s：%s" % (label, "、".join(name if active else _("%(name)s (deactivated)") % {"name": name}
                                         for name, active in users))
            for label, users in row.holders)
        body.append([row.depth, org.code, "　" * row.depth + org.name, org.get_kind_display(),
                     org.get_sector_display() or "", holders, "、".join(row.vacancies)])
    title = _("Organisation tree of %(district)s") % {"district": district.name}
    return xlsx_response(table_workbook(title, headers, body), "organisation-tree.xlsx")
