"""Closing a year of coverage: the district freezes a past year's figures.

Until a year is closed its figures are computed from what the database
holds now (evaluations.congress.coverage), so a union imported later or a
fact corrected later moves them. Closing takes the figures of every target,
overall and per intermediate union, and the unions each target did not
count (or, for a count target, counted), and keeps them in a CoverageYear;
from then on the dashboard, the drill-down and the Excel export of that
year read the closed figures, with the branches named as they were. A
closed year is never reopened or recomputed: a correction to a closed
year's figures is a matter for the record, not an edit.

Only a district administrator closes, only a year that has ended, once."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action, register_action_labels
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import Organisation, Sector
from workflows.organisations.access import has_role

from .coverage import Figure, coverage, not_counted
from .models import CoverageTarget, CoverageYear
from .roles import DISTRICT_ADMIN

CLOSED = "congress.coverage_year.closed"
register_action_labels({CLOSED: gettext_lazy("Coverage year closed")})


def closed_year(district, year):
    return CoverageYear.objects.filter(district=district, year=year).first()


def may_close(user, district):
    return has_role(user, DISTRICT_ADMIN, district)


def do_close_coverage_year(*, district, year, acting_user, ip=None, today=None):
    """Freeze `district`'s figures of `year` (a year that has ended)."""
    today = today or timezone.localdate()
    if not may_close(acting_user, district):
        raise NotAllowed(_("Only the district administrator closes a year."))
    if year >= today.year:
        raise RuleViolation(_("Only a year that has ended can be closed (%(year)s has not).") % {"year": year})
    try:
        with transaction.atomic():
            Organisation.objects.select_for_update().get(pk=district.pk)
            if closed_year(district, year):
                raise RuleViolation(_("%(year)s is closed already.") % {"year": year})
            data = coverage(district, year, today=today)
            branches = [[b.pk, b.name] if b is not None else [0, None] for b in data["branches"]]
            targets = []
            for entry in data["targets"]:
                target = entry["target"]
                listed = not_counted(district, target.code, year, today=today)
                targets.append({
                    "code": target.code, "label": target.label, "target": str(target.target), "unit": target.unit,
                    "overall": [entry["overall"].met, entry["overall"].base],
                    "rows": [[figure.met, figure.base] for _key, figure in entry["rows"]],
                    "listed": [[o.pk, o.code, o.name, o.parent.name if o.parent_id else "",
                                _branch_of(o, data["branches"]), o.sector]
                               for o in (listed.select_related("parent") if listed is not None else [])],
                })
            closing = CoverageYear.objects.create(district=district, year=year, closed_by=acting_user,
                                                  snapshot={"branches": branches, "targets": targets})
            log_action(closing, CLOSED, actor=acting_user, organisation=district, role=DISTRICT_ADMIN, ip=ip,
                       data={"year": year, "targets": {t["code"]: t["overall"] for t in targets}})
    except IntegrityError:  # a second closing committed first
        raise RuleViolation(_("%(year)s is closed already.") % {"year": year}) from None
    return closing


def _branch_of(org, branches):
    for branch in branches:
        if branch is not None and org.path.startswith(branch.path):
            return branch.pk
    return 0


def district_of_scope(scope):
    return scope if scope.parent_id is None else Organisation(pk=scope.ancestor_ids[0])


def figures(scope, year, today=None):
    """What the dashboard, the export and the API show for `year`: the
    closed figures when the district closed that year, else computed now."""
    closing = closed_year(district_of_scope(scope), year)
    if closing is not None:
        return frozen_coverage(closing, scope)
    data = coverage(scope, year, today=today)
    data["closed"] = None
    return data


def frozen_coverage(closing, scope):
    """The closed figures in the shape of `coverage()`: the whole district,
    or one intermediate union's own row when `scope` is one."""
    snapshot = closing.snapshot
    keys = [pk for pk, _name in snapshot["branches"]]
    names = {pk: Organisation(pk=pk, name=name) for pk, name in snapshot["branches"] if pk}
    wanted = [i for i, key in enumerate(keys) if scope.pk == closing.district_id or key == scope.pk]
    result = []
    for item in snapshot["targets"]:
        target = CoverageTarget(code=item["code"], label=item["label"], target=Decimal(item["target"]),
                                unit=item["unit"])
        rows = [(keys[i], Figure(*item["rows"][i], target.target, target.unit)) for i in wanted]
        if scope.pk == closing.district_id:
            overall = Figure(*item["overall"], target.target, target.unit)
        else:
            overall = Figure(sum(f.met for _k, f in rows), sum(f.base for _k, f in rows), target.target, target.unit)
        result.append({"target": target, "overall": overall, "rows": rows})
    return {"targets": result, "branches": [names.get(keys[i]) for i in wanted], "keys": [keys[i] for i in wanted],
            "closed": closing}


def frozen_listed(closing, scope, code):
    """The unions a closed target listed, within `scope`: dicts of code,
    name and parent name as they were; None for an unknown target."""
    for item in closing.snapshot["targets"]:
        if item["code"] == code:
            return [{"pk": pk, "code": org_code, "name": name, "parent": parent,
                     "sector": Sector(sector).label if sector in Sector.values else ""}
                    for pk, org_code, name, parent, branch, sector in item["listed"]
                    if scope.pk == closing.district_id or branch == scope.pk]
    return None
