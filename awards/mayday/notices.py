"""The May Day award's public notice (公示), on workflows.notices.services.

The district administrator opens a notice for the campaign's nominations
awaiting one (`campaign_notice_open`); each moves to "under public notice".
Objections are lodged on the public page (workflows.notices.services.lodge_objection).
When the window has ended the notice is closed (`notice_close`, or the
`close_notices` command): a nomination with no open objection passes to the
district's decision, with "公示无异议" on its history; one with an open
objection is held until the district records its finding
(`objection_find`): upheld → rejected with the finding; dismissed → it
passes once the window has closed.

The wiring is the engine's (workflows.notices.wiring, and
workflows.notices.rounds for a batch): the locking and publishing, and the
handler that takes the declaration's pass_notice /
uphold_objection transitions; this module says what the notice lists.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from workflows.notices import opening
from workflows.notices.rounds import batch_title, publish_batch, published_values
from workflows.notices.wiring import register_transition_notices
from workflows.conflicts import retry_on_conflict
from workflows.organisations.access import has_role
from workflows.exceptions import NotAllowed
from workflows.round_settings import publishable_fields as _publishable
from awards.roles import Role

from awards.mayday.models import NOTICE_FIELD_CHOICES, Nomination
from awards.mayday.models import NominationState as S


def publishable_fields(campaign):
    """The campaign's notice fields that may be published: only those the
    award offers (NOTICE_FIELD_CHOICES: never an ID number, a phone or a
    date of birth), in the campaign's order, each once."""
    return _publishable(campaign.notice_fields, NOTICE_FIELD_CHOICES)


def _notice_title(campaign):
    """The official (Chinese) title of the campaign's next notice (a second
    batch says so)."""
    return batch_title(campaign, f"关于{campaign.title}推荐对象的公示")


@retry_on_conflict
def campaign_notice_open(*, campaign, actor, nominations=None, days=None, opened_on=None, ip=None):
    """Publish the campaign's nominations awaiting a notice (or the given
    ones, each of which must await one). Returns the PublicNotice. Each
    nomination moves through the declaration's `publish` transition, taken
    by whoever may take its notice step (a reassignment included)."""
    if not has_role(actor, Role.DISTRICT_ADMIN, campaign.district):
        raise NotAllowed(_("Only the district administrator can open a public notice."))
    fields = publishable_fields(campaign)
    notice, _locked = publish_batch(
        scope=campaign,
        of_round=Nomination.objects.filter(campaign=campaign).select_related("organisation", "campaign"),
        awaiting=S.AWAITING_NOTICE, picked=nominations,
        foreign_message=_("A nomination of another campaign cannot be put on this notice."),
        organisation=campaign.district,
        # The notice is an official public document: its title is the
        # Chinese wording it is published under.
        title=lambda: _notice_title(campaign),
        fields=fields, days=days or campaign.notice_days, actor=actor, handler=HANDLER, opened_on=opened_on,
        ip=ip,
        published=lambda n: published_values(n, fields), order=lambda n: (n.kind, n.pk),
        empty_message=_("No nomination of this campaign awaits a public notice."),
    )
    return notice


def notice_preview(campaign, today=None):
    """What opening a notice now would publish (workflows.notices.opening)."""
    fields = publishable_fields(campaign)
    return {"campaign": campaign, **opening.notice_preview(
        scope=campaign, fields=fields, labels=dict(NOTICE_FIELD_CHOICES), days=campaign.notice_days,
        cases=Nomination.objects.filter(campaign=campaign, state=S.AWAITING_NOTICE)
        .select_related("organisation").order_by("kind", "pk"),
        published=lambda n: published_values(n, fields), title=_notice_title(campaign), today=today,
    )}


# The notice step in the inbox: under notice, to the public notice (until
# when it runs); awaiting one, to the preview that opens one.
NOTICE_STEP = opening.NoticeStep(
    in_notice=S.IN_NOTICE, open_url=lambda n: reverse("awards:notice_open", args=[n.campaign.code]))


# The handler workflows.notices calls: the engine's, taking the declaration's
# pass_notice / uphold_objection transitions ----------------------------------

HANDLER = register_transition_notices(
    "mayday", model=Nomination, in_notice=S.IN_NOTICE,
    label=lambda entry: entry.published.get("nominee_name") or entry.object_id,
)
