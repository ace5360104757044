"""The roles the reports' route names, declared with the engine's
DeclaredRole. The same codes as the award chain's (a membership stores the
code): the grassroots union's submitter and chair, the reviewers of the
intermediate union and of the district, and the district's administrator
(the engine's). The declaration lists them (Process.roles)."""

from django.utils.translation import gettext_lazy as _

from workflows.organisations.roles import ADMINISTRATOR, DeclaredRole

SUBMITTER = DeclaredRole("submitter", _("Submitter"))
# Reviewers see the reports of the whole branch below them.
REVIEWER = DeclaredRole("reviewer", _("Reviewer"), sees_branch=True)
DISTRICT_ADMIN = ADMINISTRATOR
CHAIR = DeclaredRole("chair", _("Union chair"))  # a union's chair may keep its facts
