"""The May Day award's pages for the engine's deeper rules: opening the
public notice of a campaign, departmental sign-offs, shared quotas. The pages are the engine's
(workflows.notices.opening, workflows.signoffs, workflows.quotas.share_page);
this module says what of May Day they show.

Objects come from awards.mayday.selectors (404 outside the user's reach); changes go
through the services (NotAllowed → 403, AlreadyHandled → 409)."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows.notices.opening import notice_open_page
from workflows.organisations.access import has_role
from workflows.quotas.share_page import share_page
from workflows.signoffs.forms import SignoffForm
from workflows.signoffs.views import signoff_page
from awards.roles import Role

from awards.mayday import selectors
from awards.mayday.notices import campaign_notice_open, notice_preview
from awards.mayday.signoffs import asked_my_department, my_open_task, nomination_signoff


@login_required
@require_http_methods(["GET", "POST"])
def notice_open(request, code):
    campaign = selectors.get_campaign_for(request.user, code)
    return notice_open_page(
        request, may_open=has_role(request.user, Role.DISTRICT_ADMIN, campaign.district),
        refusal=_("Only the district administrator can open a public notice."),
        preview=lambda: notice_preview(campaign), back_url=campaign.get_absolute_url(),
        open_notice=lambda ip: campaign_notice_open(campaign=campaign, actor=request.user, ip=ip),
        empty_message=_("No nomination of this campaign awaits a public notice."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def signoff(request, pk):
    nomination = selectors.get_nomination_for(request.user, pk)
    return signoff_page(
        request, nomination, subject=nomination.nominee_name,
        form_class=partial(SignoffForm, refuse_label=_("Refuse: the nomination stops"),
                           refuse_help=_("Required when refusing: the reason is shown on the nomination.")),
        subtitle=f"{nomination.campaign.title} · {nomination.get_kind_display()} · {nomination.organisation}",
        # The officers of the departments asked (one whose department has
        # answered still sees it; deciding again is a 409).
        may_answer=my_open_task(nomination, request.user) is not None or asked_my_department(nomination, request.user),
        answer=lambda **given: nomination_signoff(nomination=nomination, actor=request.user, **given),
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_quota(request, code):
    return share_page(request, selectors.get_campaign_for(request.user, code), category_label=_("Award"))
