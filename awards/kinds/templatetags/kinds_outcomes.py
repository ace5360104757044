"""The version's outcomes of a case, for the decision panel (the engine's
decision page gives the panel only `case`)."""

from django import template

from awards.kinds.outcomes import outcome_choices as _outcome_choices

register = template.Library()


@register.simple_tag
def outcome_choices(case):
    return _outcome_choices(case)


@register.simple_tag
def inspectors_mean(case):
    """The mean of the inspectors' submitted totals, when the case's route
    has scoring (the final decision is taken on it), else None."""
    from awards.kinds.scoring import inspectors_needed
    from workflows.scoring.inspections import mean_of

    if not inspectors_needed(case):
        return None
    return mean_of(case.inspections.filter(submitted_at__isnull=False).values_list("total", flat=True))
