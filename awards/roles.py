"""The roles of the award chain, declared with the engine's DeclaredRole
and listed in the award processes' declarations (a membership stores the
code)."""

from django.utils.translation import gettext_lazy as _

from workflows.organisations.roles import ADMINISTRATOR, DeclaredRole


class Role:
    """The award chain's role declarations, by name."""

    SUBMITTER = DeclaredRole("submitter", _("Submitter"))
    CHAIR = DeclaredRole("chair", _("Union chair"))
    # Reviewers see the cases of the whole branch below them.
    REVIEWER = DeclaredRole("reviewer", _("Reviewer"), sees_branch=True)
    DISTRICT_ADMIN = ADMINISTRATOR
    # An officer of a department (an organisation of kind DEPARTMENT) who
    # gives that department's sign-off opinion.
    DEPARTMENT = DeclaredRole("department", _("Department officer"))
    # The model workers' home's on-site inspector, at the district.
    INSPECTOR = DeclaredRole("inspector", _("Inspector"))


# Every role of the May Day chain (Process.roles).
AWARD_ROLES = (Role.SUBMITTER, Role.CHAIR, Role.REVIEWER, Role.DISTRICT_ADMIN, Role.DEPARTMENT)


def register_import_rules():
    """Where the start-up import (workflows.organisations.imports) may give
    the award chain's roles. Department officers are not imported: their
    departments are set up with the sign-off departments."""
    from workflows.models import OrgKind
    from workflows.organisations.import_sheets import register_importable_role

    register_importable_role(Role.SUBMITTER, (OrgKind.GRASSROOTS, OrgKind.SUB_UNION), synonyms=["填报人", "经办人"])
    register_importable_role(Role.CHAIR, (OrgKind.GRASSROOTS, OrgKind.SUB_UNION), synonyms=["主席"])
    register_importable_role(Role.REVIEWER, (OrgKind.INTERMEDIATE, OrgKind.DISTRICT), synonyms=["审核员"])
