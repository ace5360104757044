"""The roles the democratic evaluation names, declared with the engine's
DeclaredRole (the existing codes: a membership stores the code): the
working body's submitter and chair at the unit, and the superior union's
reviewer, who sees the branch below. The declaration lists them
(Process.roles)."""

from django.utils.translation import gettext_lazy as _

from workflows.organisations.acting_body import ActingBody
from workflows.organisations.roles import DeclaredRole
from workflows.steps.places import unit

SUBMITTER = DeclaredRole("submitter", _("Submitter"))
CHAIR = DeclaredRole("chair", _("Union chair"))
REVIEWER = DeclaredRole("reviewer", _("Reviewer"), sees_branch=True)

# The evaluation's working body at the unit: it sets the evaluation up
# (services); its acts are filed as its submitter's, else its chair's.
WORKING_BODY = ActingBody((SUBMITTER, CHAIR), at=unit,
                          refusal=_("Only the unit's union (its submitter or chair) may do this."))
