"""The guard of a decision that grants a grade: the grade the inspectors'
mean reaches on the standard's thresholds (none when one of them found a
veto situation), and the refusal of a decision above it (a mean of 85,
where the top grade starts at 90, refuses the decision granting it)."""

from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation
from workflows.models import Grade

from .sheet import grade_for

RANK = {"": 0, Grade.QUALIFIED: 1, Grade.MODEL: 2}


def earned_grade(version, mean, sheets):
    """The grade `mean` reaches on `version`; none when a submitted sheet
    (an InspectionSheet) found a veto situation."""
    return grade_for(version, mean, veto=any(sheet.veto_found for sheet in sheets))


def refuse_above(earned, wanted):
    if RANK[wanted] > RANK[earned]:
        raise RuleViolation(_("The inspectors' mean (or a veto found) does not reach this grade; choose a lower one."))
