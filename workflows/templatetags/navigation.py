from django import template

from workflows.navigation import nav_links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_links(context):
    request = context.get("request")
    if request is None:
        return []
    return nav_links_for(request)
