"""The roles of the award chain, registered with the engine by the award
processes' declarations (a membership stores the code)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.organisations.roles import ADMINISTRATOR


class Role(models.TextChoices):
    SUBMITTER = "submitter", _("Submitter")
    CHAIR = "chair", _("Union chair")
    REVIEWER = "reviewer", _("Reviewer")
    DISTRICT_ADMIN = ADMINISTRATOR, _("District administrator")
    # An officer of a department (an organisation of kind DEPARTMENT) who
    # gives that department's sign-off opinion.
    DEPARTMENT = "department", _("Department officer")


# Reviewers see the cases of the whole branch below them.
BRANCH_ROLES = (Role.REVIEWER,)
