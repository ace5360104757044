"""Closing a year of coverage: a section's figures of a past year frozen,
so its page, lists and download never change again, whatever is imported
or corrected later.

A section computes its figures from what the database holds now
(`{"targets": [{"target", "overall": Figure, "rows": [(key, Figure)]}],
"branches"}`, workflows.coverage.figures), so a union imported later moves
them. `snapshot` keeps those figures, overall and per branch, the units
each target listed and the branches' names as they stood, as JSON the
process stores in a row of its own; `frozen_figures` and `frozen_listed`
read them back in the shapes the page asks for. A closed year is never
reopened or recomputed."""

from decimal import Decimal

from workflows.models import Organisation, Sector

from .figures import Figure


def district_of_scope(scope):
    return scope if scope.parent_id is None else Organisation(pk=scope.ancestor_ids[0])


def _branch_of(org, branches):
    for branch in branches:
        if branch is not None and org.path.startswith(branch.path):
            return branch.pk
    return 0


def snapshot(data, listed):
    """The JSON kept for a closed year; `listed(code)` is the queryset of
    the units a target lists (not yet counted, or counted), or None."""
    targets = []
    for entry in data["targets"]:
        target, units = entry["target"], listed(entry["target"].code)
        targets.append({
            "code": target.code, "label": target.label, "target": str(target.target), "unit": target.unit,
            "overall": [entry["overall"].met, entry["overall"].base],
            "rows": [[figure.met, figure.base] for _key, figure in entry["rows"]],
            "listed": [[o.pk, o.code, o.name, o.parent.name if o.parent_id else "", _branch_of(o, data["branches"]),
                        o.sector] for o in (units.select_related("parent") if units is not None else [])],
        })
    return {"branches": [[b.pk, b.name] if b is not None else [0, None] for b in data["branches"]],
            "targets": targets}


def frozen_figures(kept, district_id, scope, target_of):
    """The closed figures in the shape a section computes them: the whole
    district, or one intermediate union's own row when `scope` is one.
    `target_of(code=, label=, target=, unit=)` makes an (unsaved) target."""
    keys = [pk for pk, _name in kept["branches"]]
    names = {pk: Organisation(pk=pk, name=name) for pk, name in kept["branches"] if pk}
    whole = scope.pk == district_id
    wanted = [i for i, key in enumerate(keys) if whole or key == scope.pk]
    result = []
    for item in kept["targets"]:
        target = target_of(code=item["code"], label=item["label"], target=Decimal(item["target"]), unit=item["unit"])
        rows = [(keys[i], Figure(*item["rows"][i], target.target, target.unit)) for i in wanted]
        if whole:
            overall = Figure(*item["overall"], target.target, target.unit)
        else:
            overall = Figure(sum(f.met for _k, f in rows), sum(f.base for _k, f in rows), target.target, target.unit)
        result.append({"target": target, "overall": overall, "rows": rows})
    return {"targets": result, "branches": [names.get(keys[i]) for i in wanted], "keys": [keys[i] for i in wanted]}


def frozen_listed(kept, district_id, scope, code):
    """The units a closed target listed, within `scope`: dicts of code,
    name and parent name as they were; None for an unknown target."""
    for item in kept["targets"]:
        if item["code"] == code:
            return [{"pk": pk, "code": org_code, "name": name, "parent": parent,
                     "sector": Sector(sector).label if sector in Sector.values else ""}
                    for pk, org_code, name, parent, branch, sector in item["listed"]
                    if scope.pk == district_id or branch == scope.pk]
    return None
