from django import template

from workflows.steps.due_panel import due_panels

register = template.Library()


@register.simple_tag
def due_cases_for(user):
    """The inbox's panels of cases due from the user's organisations."""
    return due_panels(user)
