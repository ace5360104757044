"""The scoped selectors every process writes the same way, derived from its
declaration: the cases a user may see (their organisations', the branch
below a branch role, those a department was asked to sign off; a draft
only by its own union), a case by its key with 404 outside them, and the
rounds (campaigns, years) of the districts above the user. A process's
selectors call these with what is its own (the role its departments hold,
what its pages read with the case) and register the result as the
declaration's `selector`."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from workflows.organisations.access import memberships, visible_organisations_q
from workflows.signoffs.services import asked_cases_q


def cases_visible_to(process, user, *, asked_role=None, related=("organisation",)):
    """The cases of `process` the user may see: those of the user's
    organisations and, for a branch role (reviewer, district administrator),
    of the branch below; for the officers of a department (where they hold
    `asked_role`), those it was asked to sign off. A case in the
    declaration's initial state (a draft) is its union's own work: only its
    members see it. `related`: what the pages read with each case."""
    model = process.get_model()
    own = {m.organisation_id for m in memberships(user)}
    seen = visible_organisations_q(user)
    if asked_role:
        seen |= asked_cases_q(user, model, asked_role)
    return (model.objects.filter(seen).filter(~Q(state=process.initial) | Q(organisation_id__in=own))
            .select_related(*related))


def case_or_404(process, user, pk):
    """The case `pk` through the declaration's selector: a 404 outside the
    user's reach that does not say whether it exists."""
    return get_object_or_404(process.selector(user), pk=pk)


def rounds_above(model, user, *, field="district", **lookup):
    """The rounds of `model` (a campaign, a year) held by the districts
    above, or equal to, the user's organisations (its `field`); with
    `lookup` (code=...), that one round or a 404."""
    ancestors = {pk for m in memberships(user) for pk in m.organisation.ancestor_ids}
    rounds = model.objects.filter(**{f"{field}_id__in": ancestors}).select_related(field)
    return get_object_or_404(rounds, **lookup) if lookup else rounds
