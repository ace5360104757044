"""The May Day award's paper as downloads: the recommendation-approval form
of a nomination, the public notice of a campaign, printing a campaign's
certificates in the background (reissuing a revoked certificate is the
engine's page, workflows.documents.case_certificates, routed in awards.urls).

The form and the notice are rendered once per content
(workflows.documents.pdf_cache), after the access checks here."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workflows.documents import pdf_cache
from workflows.documents.notice_print import notice_pdf_response
from workflows.documents.round_certificates import print_round_certificates
from workflows.exceptions import NotAllowed
from workflows.middleware import client_ip

from awards.mayday import documents, id_numbers, selectors


@login_required
@require_GET
def recommendation_form(request, pk):
    """推荐审批表: anyone who sees the nomination may print it."""
    nomination = selectors.get_nomination_for(request.user, pk)
    # The district and the departments asked for a sign-off print the full
    # ID number (recorded); everyone else prints it masked.
    full_id = ""
    if id_numbers.may_read_full_id_number(request.user, nomination):
        full_id = id_numbers.id_number_reveal(
            nomination=nomination, actor=request.user, where=id_numbers.ON_FORM, ip=client_ip(request)
        )
    return pdf_cache.pdf_response(
        request,
        documents.recommendation_form_html(nomination, full_id_number=full_id),
        _("Recommendation form %(pk)s.pdf") % {"pk": pk},
        # A form with the full ID number is rendered for this request and
        # kept nowhere (not in the document cache, not in the browser's).
        private=bool(full_id),
    )


@login_required
@require_GET
def public_notice(request, code):
    campaign = selectors.get_campaign_for(request.user, code)
    if not selectors.is_district_staff(request.user, campaign):
        raise NotAllowed(_("Only the district federation may print the public notice."))
    # The notice running now, else the latest one.
    return notice_pdf_response(request, campaign, lambda notice: documents.public_notice_html(notice),
                               _("Public notice %(code)s.pdf") % {"code": campaign.code})


@login_required
@require_POST
def print_campaign_certificates(request, code):
    """Queue a background job printing every valid certificate of the
    campaign; the job's page shows its progress."""
    campaign = selectors.get_campaign_for(request.user, code)
    return print_round_certificates(
        request, campaign, title=_("Certificates of %(campaign)s") % {"campaign": campaign.title})
