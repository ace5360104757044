"""A campaign's public notice and award list as pages and paper: the
preview that publishes the notice (the engine's notice-opening page), the
printed notice (district only, the engine's document cache) and the award
list (表彰名单) for everyone who sees the campaign, their branch's rows."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from workflows.documents.notice_print import notice_pdf_response
from workflows.exceptions import NotAllowed
from workflows.notices.opening import notice_open_page
from workflows.pages.listing import grouped_list_page

from . import award_list as awards
from . import endings, notice_print, notices, selectors


@login_required
@require_http_methods(["GET", "POST"])
def campaign_notice(request, pk):
    """The district administrator's preview of the campaign's notice (rows
    and columns as they will be published, kind by kind); publishing needs
    the confirmation posted from it. The notice's own pages are the
    engine's."""
    campaign = selectors.administered_campaign(request.user, pk)
    return notice_open_page(
        request, may_open=notices.may_open(request.user, campaign),
        refusal=_("Only the district administrator can open a public notice."),
        preview=lambda: notices.notice_preview(campaign), back_url=campaign.get_absolute_url(),
        open_notice=lambda ip: notices.do_publish_notice(campaign=campaign, actor=request.user, ip=ip),
        empty_message=_("No case of this campaign awaits a public notice."),
    )


@login_required
@require_GET
def notice_pdf(request, pk):
    """The notice running now, else the latest, as printed and posted."""
    campaign = selectors.campaign_for(request.user, pk)
    if not notice_print.may_print(request.user, campaign):
        raise NotAllowed(_("Only the district federation may print the public notice."))
    return notice_pdf_response(request, campaign, notice_print.notice_document_html,
                               _("Public notice %(campaign)s.pdf") % {"campaign": campaign.title})


@login_required
@require_GET
def award_list(request, pk):
    """表彰名单: the granted cases the reader sees, by kind then union; the
    downloads for those who may have the lists (endings.may_see_lists)."""
    campaign = selectors.campaign_for(request.user, pk)
    if not awards.listed_versions(campaign):
        raise Http404()
    links = []
    if endings.may_see_lists(request.user, campaign):
        links = [(reverse("kinds:approved_list", args=[campaign.pk, "pdf"]), _("Download PDF")),
                 (reverse("kinds:approved_list", args=[campaign.pk, "xlsx"]), _("Download Excel"))]
    return grouped_list_page(
        request, awards.award_groups(request.user, campaign), title=_("Award list"),
        back=(campaign.get_absolute_url(), campaign.title), columns=awards.award_columns(campaign),
        empty=_("Nobody has been awarded yet."), links=links,
    )
