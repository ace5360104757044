"""The departments' sign-offs of a case (every round, newest first), for
the engine's sign-off panel on the case's page (workflows/_case_panels.html,
as May Day's page shows it)."""

from django import template

from workflows.signoffs.services import signoffs_of

register = template.Library()


@register.simple_tag
def case_signoffs(case):
    """One query, however many departments and rounds."""
    return list(signoffs_of(case).order_by("-round", "department__path"))
