"""The links of a campaign's page to its award list and its printed
notice (awards/kinds/paper_views.py), for whoever may open them; the
campaign's page gives its template only the campaign and the request."""

from django import template

from awards.kinds.award_list import listed_versions
from awards.kinds.notice_print import may_print

register = template.Library()


@register.inclusion_tag("kinds/_paper_links.html", takes_context=True)
def paper_links(context, campaign):
    user = context["request"].user
    return {
        "campaign": campaign,
        "award_list": bool(listed_versions(campaign)),
        # A route with a notice: the print view finds the latest one (or
        # says there is none yet).
        "notice_pdf": may_print(user, campaign) and any(
            "notice" in version.definition["route"]["steps"] for version in campaign.offered_versions),
    }
