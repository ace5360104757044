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


def register_import_rules():
    """Where the start-up import (workflows.organisations.imports) may give
    the award chain's roles. Department officers are not imported: their
    departments are set up with the sign-off departments."""
    from workflows.models import OrgKind
    from workflows.organisations.import_sheets import register_importable_role

    register_importable_role(Role.SUBMITTER, (OrgKind.GRASSROOTS, OrgKind.SUB_UNION), synonyms=["填报人", "经办人"])
    register_importable_role(Role.CHAIR, (OrgKind.GRASSROOTS, OrgKind.SUB_UNION), synonyms=["主席"])
    register_importable_role(Role.REVIEWER, (OrgKind.INTERMEDIATE, OrgKind.DISTRICT), synonyms=["审核员"])
