"""The version's outcomes of a case, for the decision panel (the engine's
decision page gives the panel only `case`)."""

from django import template

from awards.kinds.outcomes import outcome_choices as _outcome_choices

register = template.Library()


@register.simple_tag
def outcome_choices(case):
    return _outcome_choices(case)
