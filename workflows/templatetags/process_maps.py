"""`{% include "workflows/process_map.html" with case=... %}`: the process
map of a case (workflows.steps.process_map), for every process's page."""

from django import template

from workflows.steps.process_map import build_map

register = template.Library()


@register.simple_tag
def process_map_of(case):
    return build_map(case) if case is not None else None
