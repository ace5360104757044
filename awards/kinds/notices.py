"""The public notice (公示) of a campaign of a kind, through the engine's
wiring (workflows.notices.wiring): the district administrator publishes at
once every case of the campaign awaiting it; an entry passing takes the
declaration's `pass_notice` (to the final decision), an upheld objection
its `uphold_objection`.

What the notice shows is the union, the name and the fields the version
marks public; ID numbers, phones and files never (the palette refuses to
mark them public, and the engine drops such names again)."""

from django.utils.translation import gettext as _

from workflows.conflicts import retry_on_conflict
from workflows.dataforms.definition import shown_answers
from workflows.exceptions import NotAllowed
from workflows.notices.wiring import publish_on_notice, register_transition_notices
from workflows.organisations.hats import district_admin_hat

from .models import KindCase, KindCaseState

HANDLER = register_transition_notices(
    "kinds", model=KindCase, in_notice=KindCaseState.IN_NOTICE,
    label=lambda entry: entry.published.get("name") or entry.object_id,
)


def _public(case):
    return dict(shown_answers(case.kind_version.definition["fields"], case.answers, public_only=True))


def awaiting_notice(campaign):
    return KindCase.objects.filter(campaign=campaign, state=KindCaseState.AWAITING_NOTICE)


@retry_on_conflict
def do_publish_notice(*, campaign, actor, ip=None):
    """Publish every case of the campaign awaiting its notice, for the
    version's number of working days."""
    hat = district_admin_hat(actor, campaign.district)
    if hat is None or hat.organisation.pk != campaign.district_id:
        raise NotAllowed(_("Only the district administrator can open a public notice."))
    labels = [spec["label"] for spec in campaign.version.definition["fields"] if spec.get("public")]
    notice, _locked = publish_on_notice(
        scope=campaign, organisation=campaign.district,
        title=_("Public notice: %(campaign)s") % {"campaign": campaign.title},
        cases=awaiting_notice(campaign).select_related("organisation", "kind_version"),
        order=lambda case: (case.organisation.path, case.pk),
        fields=["organisation", "name", *labels], days=campaign.version.definition["route"]["notice_days"],
        actor=actor, handler=HANDLER, ip=ip,
        published=lambda case: {"organisation": case.organisation.name, "name": case.name, **_public(case)},
        empty_message=_("No case of this campaign awaits a public notice."),
    )
    return notice
