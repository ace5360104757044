"""The public notice (公示) of a campaign of a kind, through the engine's
wiring (workflows.notices.wiring): the district administrator publishes at
once every case of the campaign awaiting it; an entry passing takes the
declaration's `pass_notice` (to the final decision), an upheld objection
its `uphold_objection`.

What the notice shows is the union, the name and the fields the versions
mark public (the fields of every kind the campaign offers, by label, each
once; a case shows those of its own kind); when the campaign offers
several kinds, the kind's title as well. ID numbers, phones and files
never (the palette refuses to mark them public, and the engine drops such
names again). One notice lists the cases of every kind and runs the
longest of the offered versions' notice days."""

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
    """Publish every case of the campaign awaiting its notice, kind by kind
    in the campaign's order, for the longest of the offered versions'
    numbers of working days."""
    hat = district_admin_hat(actor, campaign.district)
    if hat is None or hat.organisation.pk != campaign.district_id:
        raise NotAllowed(_("Only the district administrator can open a public notice."))
    versions = campaign.offered_versions
    labels = list(dict.fromkeys(spec["label"] for version in versions for spec in version.definition["fields"]
                                if spec.get("public")))
    # The kind's column is named in the publisher's words, as the fields'
    # labels are: the notice keeps what it published.
    kind_column = [_("Kind of campaign")] if len(versions) > 1 else []
    position = {version.pk: n for n, version in enumerate(versions)}

    def published(case):
        kind = {kind_column[0]: case.kind_version.title} if kind_column else {}
        return {"organisation": case.organisation.name, "name": case.name, **kind, **_public(case)}

    notice, _locked = publish_on_notice(
        scope=campaign, organisation=campaign.district,
        title=_("Public notice: %(campaign)s") % {"campaign": campaign.title},
        cases=awaiting_notice(campaign).select_related("organisation", "kind_version"),
        order=lambda case: (position.get(case.kind_version_id, 0), case.organisation.path, case.pk),
        fields=["organisation", "name", *kind_column, *labels],
        days=max(version.definition["route"]["notice_days"] for version in versions),
        actor=actor, handler=HANDLER, ip=ip, published=published,
        empty_message=_("No case of this campaign awaits a public notice."),
    )
    return notice
