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

The wiring is the engine's (workflows.notices.wiring): the locking and
publishing, and the handler that takes the declaration's pass_notice /
uphold_objection transitions; this module says what the notice lists.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from workflows.notices import opening
from workflows.notices import services as notices
from workflows.notices.wiring import publish_on_notice, register_transition_notices
from workflows.conflicts import retry_on_conflict
from workflows.steps.decisions import sync
from workflows.organisations.access import has_role
from workflows.exceptions import AlreadyHandled, NotAllowed
from awards.roles import Role

from awards.mayday.models import NOTICE_FIELD_CHOICES, Nomination
from awards.mayday.models import NominationState as S



def publishable_fields(campaign):
    """The campaign's notice fields that may be published: only those the
    award offers (NOTICE_FIELD_CHOICES: never an ID number, a phone or a
    date of birth), in the campaign's order, each once. A field typed into
    the JSON by hand that is not offered is dropped."""
    offered = {name for name, _label in NOTICE_FIELD_CHOICES}
    fields = []
    for name in campaign.notice_fields or []:
        if isinstance(name, str) and name in offered and notices.publishable(name) and name not in fields:
            fields.append(name)
    return fields


def _published(nomination, fields):
    values = {}
    for name in fields:
        if name == "organisation":
            values["organisation"] = nomination.organisation.name
        else:
            values[name] = getattr(nomination, name)
    return values


_BATCH_NUMERALS = "一二三四五六七八九十"


def _notice_title(campaign):
    """The official (Chinese) title of the campaign's next notice: a second
    batch says so, so two notices never read alike."""
    title = f"关于{campaign.title}推荐对象的公示"
    earlier = campaign_notices(campaign).count()
    if earlier:
        batch = _BATCH_NUMERALS[earlier] if earlier < len(_BATCH_NUMERALS) else str(earlier + 1)
        title += f"（第{batch}批）"
    return title


@retry_on_conflict
def campaign_notice_open(*, campaign, actor, nominations=None, days=None, opened_on=None, ip=None):
    """Publish the campaign's nominations awaiting a notice (or the given
    ones, each of which must await one). Returns the PublicNotice. Each
    nomination moves through the declaration's `publish` transition, taken
    by whoever may take its notice step (a reassignment included)."""
    if not has_role(actor, Role.DISTRICT_ADMIN, campaign.district):
        raise NotAllowed(_("Only the district administrator can open a public notice."))
    days = days or campaign.notice_days
    if nominations is None:
        cases = Nomination.objects.filter(campaign=campaign, state=S.AWAITING_NOTICE)
    else:
        pks = {n.pk for n in nominations}
        cases = Nomination.objects.filter(pk__in=pks, campaign=campaign)

    def check(locked):
        if nominations is not None and len(locked) != len(pks):
            raise NotAllowed(_("A nomination of another campaign cannot be put on this notice."))
        if any(n.state != S.AWAITING_NOTICE for n in locked):
            raise AlreadyHandled()

    fields = publishable_fields(campaign)
    notice, locked = publish_on_notice(
        scope=campaign, cases=cases.select_related("organisation", "campaign"), organisation=campaign.district,
        # The notice is an official public document: its title is the
        # Chinese wording it is published under.
        title=lambda: _notice_title(campaign),
        fields=fields, days=days, actor=actor, handler=HANDLER, opened_on=opened_on, ip=ip,
        published=lambda n: _published(n, fields), order=lambda n: (n.kind, n.pk), check=check,
        empty_message=_("No nomination of this campaign awaits a public notice."),
    )
    for given in nominations or []:
        for nomination in locked:
            if nomination.pk == given.pk:
                sync(given, nomination)
    return notice


@retry_on_conflict
def notice_close(*, notice, actor=None, today=None, ip=None):
    """Close a notice whose window has ended (see workflows.notices.services)."""
    return notices.close_notice(notice=notice, actor=actor, today=today, ip=ip)


@retry_on_conflict
def objection_find(*, objection, actor, upheld, finding, ip=None):
    """The district records its finding on an objection."""
    return notices.record_finding(objection=objection, actor=actor, upheld=upheld, finding=finding, ip=ip)


def notice_preview(campaign, today=None):
    """What opening a notice now would publish (workflows.notices.opening)."""
    fields = publishable_fields(campaign)
    return {"campaign": campaign, **opening.notice_preview(
        scope=campaign, fields=fields, labels=dict(NOTICE_FIELD_CHOICES), days=campaign.notice_days,
        cases=Nomination.objects.filter(campaign=campaign, state=S.AWAITING_NOTICE)
        .select_related("organisation").order_by("kind", "pk"),
        published=lambda n: _published(n, fields), title=_notice_title(campaign), today=today,
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


campaign_notices = opening.notices_of
