"""The public notice (公示) of a campaign of a kind, through the engine's
wiring (workflows.notices.wiring, and workflows.notices.rounds for a
batch): the district administrator sees what would be published (the
preview, `notice_preview`), confirms, and every case of the campaign
awaiting a notice is published at once; a later notice of the same
campaign says which batch it is. An entry passing takes the declaration's
`pass_notice` (to the final decision), an upheld objection its
`uphold_objection`.

What the notice shows is the union, the name and the fields the versions
mark public (the fields of every kind the campaign offers, by label, each
once; a case shows those of its own kind); when the campaign offers
several kinds, the kind's title as well. ID numbers, phones and files
never (the palette refuses to mark them public, and the engine drops such
names again). One notice lists the cases of every kind, kind by kind in
the campaign's order then union by union, and runs the longest of the
offered versions' notice days.

An entry stores its values under their labels (the fields' labels and the
kind's column), so the public page (NoticeEntry.published_rows), the
objection form and the printed notice (notice_print.py) show them as
published, whatever the kind's form later becomes. The union and the name
are the case model's own fields and keep their names."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from workflows.conflicts import retry_on_conflict
from workflows.dataforms.definition import shown_answers
from workflows.exceptions import NotAllowed
from workflows.notices import opening
from workflows.notices.rounds import batch_title, publish_batch
from workflows.notices.wiring import register_transition_notices
from workflows.organisations.hats import district_admin_hat

from .models import KindCase, KindCaseState

HANDLER = register_transition_notices(
    "kinds", model=KindCase, in_notice=KindCaseState.IN_NOTICE,
    label=lambda entry: entry.published.get("name") or entry.object_id,
)

# The case model's fields every notice publishes, under their own names.
OWN_FIELDS = ("organisation", "name")


def _public(case):
    return dict(shown_answers(case.kind_version.definition["fields"], case.answers, public_only=True))


def awaiting_notice(campaign):
    return KindCase.objects.filter(campaign=campaign, state=KindCaseState.AWAITING_NOTICE)


def kind_column(campaign):
    """The label of the kind's column ([] when the campaign offers one kind:
    its title is the notice's)."""
    return [_("Kind of campaign")] if len(campaign.offered_versions) > 1 else []


def field_labels(campaign):
    """The public fields' labels of every kind the campaign offers, each
    once, in the campaign's order of kinds."""
    return list(dict.fromkeys(spec["label"] for version in campaign.offered_versions
                              for spec in version.definition["fields"] if spec.get("public")))


def notice_columns(campaign):
    """What a row of the campaign's notice publishes, in order."""
    return [*OWN_FIELDS, *kind_column(campaign), *field_labels(campaign)]


def notice_title(campaign):
    """The official title of the campaign's next notice (关于…推荐对象的公示);
    a later batch says so (workflows.notices.rounds.batch_title)."""
    return batch_title(campaign, _("Public notice of the candidates recommended for %(campaign)s")
                       % {"campaign": campaign.title})


def _offer_order(campaign):
    """Sort key of a case on the notice: its kind's place among the
    campaign's offers, then its union in the tree, then its id."""
    position = {version.pk: n for n, version in enumerate(campaign.offered_versions)}
    return lambda case: (position.get(case.kind_version_id, len(position)), case.organisation.path, case.pk)


def _published(campaign):
    kind = kind_column(campaign)

    def published(case):
        return {"organisation": case.organisation.name, "name": case.name,
                **({kind[0]: case.kind_version.title} if kind else {}), **_public(case)}
    return published


def _days(campaign):
    """The longest notice of the kinds that have one. A campaign none of
    whose kinds has a notice never has a case awaiting one; its preview
    counts the engine's shortest window (one day) and publishes nothing."""
    return max((version.definition["route"]["notice_days"] for version in campaign.offered_versions
                if "notice" in version.definition["route"]["steps"]), default=1)


def may_open(user, campaign):
    hat = district_admin_hat(user, campaign.district)
    return hat is not None and hat.organisation.pk == campaign.district_id


@retry_on_conflict
def do_publish_notice(*, campaign, actor, cases=None, ip=None, opened_on=None):
    """Publish every case of the campaign awaiting its notice (or the
    picked `cases`, each of which must await one), kind by kind in the
    campaign's order, for the longest of the offered versions' numbers of
    working days."""
    if not may_open(actor, campaign):
        raise NotAllowed(_("Only the district administrator can open a public notice."))
    # An official public document: titled, labelled and worded in the
    # district's language, whatever the publisher reads the site in.
    with translation.override(settings.LANGUAGE_CODE):
        notice, _locked = publish_batch(
            scope=campaign, organisation=campaign.district,
            of_round=KindCase.objects.filter(campaign=campaign).select_related("organisation", "kind_version"),
            awaiting=KindCaseState.AWAITING_NOTICE, picked=cases,
            foreign_message=_("A case of another campaign cannot be put on this notice."),
            title=lambda: notice_title(campaign), order=_offer_order(campaign),
            fields=notice_columns(campaign), days=_days(campaign), actor=actor, handler=HANDLER, ip=ip,
            opened_on=opened_on, published=_published(campaign),
            empty_message=_("No case of this campaign awaits a public notice."),
        )
    return notice


def notice_preview(campaign, today=None):
    """What publishing now would publish (workflows.notices.opening): the
    rows in the notice's order, each column as it will read; a kind's row
    leaves another kind's fields blank."""
    with translation.override(settings.LANGUAGE_CODE):
        columns, published, title = notice_columns(campaign), _published(campaign), notice_title(campaign)
    labels = {name: name for name in columns}
    labels.update({name: KindCase._meta.get_field(name).verbose_name for name in OWN_FIELDS})
    cases = sorted(awaiting_notice(campaign).select_related("organisation", "kind_version"),
                   key=_offer_order(campaign))
    return {"campaign": campaign, **opening.notice_preview(
        scope=campaign, fields=columns, labels=labels, days=_days(campaign), cases=cases, title=title,
        published=lambda case: dict.fromkeys(columns, "") | published(case), today=today,
    )}


# The notice step in the inbox: under notice, to the public notice (until
# when it runs); awaiting one, to the preview that publishes one.
NOTICE_STEP = opening.NoticeStep(
    in_notice=KindCaseState.IN_NOTICE, open_url=lambda case: reverse("kinds:campaign_notice", args=[case.campaign_id]))
