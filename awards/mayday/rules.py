"""The May Day award's rules at submission: the campaign offers the award,
the deadline, the quota handed down (and shared out below), no second
nomination of the same person; and the rounds a nomination goes through
(each submission keeps a snapshot, so a later round shows its changes)."""

from django.db.models import Q  # noqa: F401
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.mayday.models import ACTIVE_STATES, AwardKind, Nomination, NominationRevision, Quota
from workflows.exceptions import RuleViolation


# The fields a submitter fills in; a revision snapshot keeps these.
SNAPSHOT_FIELDS = [
    "kind", "nominee_name", "sector", "gender", "ethnicity", "birth_date", "id_number", "political_status",
    "education", "work_unit", "post", "job_title", "candidate_category", "honours", "legal_representative",
    "headcount", "deeds", "summary", "congress_discussed_on", "contact_phone",
]


def snapshot(nomination):
    data = model_to_dict(nomination, fields=SNAPSHOT_FIELDS)
    result = {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in data.items()}
    # The files of the round, so the next round lists those added or removed.
    result["attachments"] = [[a.pk, a.original_name] for a in nomination.attachments.order_by("pk")]
    return result


def quota_usage(campaign, intermediate, kind, exclude_pk=None):
    """(used, places) of an intermediate union's quota; places is 0 when the
    campaign gave it none."""
    quota = Quota.objects.filter(campaign=campaign, organisation=intermediate, kind=kind).first()
    used = (
        Nomination.objects.filter(
            campaign=campaign, kind=kind, organisation__path__startswith=intermediate.path, state__in=ACTIVE_STATES
        )
        .exclude(pk=exclude_pk)
        .count()
    )
    return used, (quota.count if quota else 0)


def check_submittable(nomination, *, enforce_deadline):
    campaign = nomination.campaign
    if nomination.kind not in campaign.kinds:
        raise RuleViolation(_("This campaign does not offer this award."))
    if enforce_deadline and not campaign.is_open:
        raise RuleViolation(
            _("The submission deadline (%(deadline)s) has passed.")
            % {"deadline": timezone.localtime(campaign.submission_deadline).strftime("%Y-%m-%d %H:%M")}
        )
    intermediate = nomination.intermediate_union
    if intermediate is None:
        raise RuleViolation(_("The nominating union is not under an intermediate union."))
    # Serialise submissions against the same quota: lock its row.
    list(Quota.objects.select_for_update().filter(campaign=campaign, organisation=intermediate, kind=nomination.kind))
    used, places = quota_usage(campaign, intermediate, nomination.kind, exclude_pk=nomination.pk)
    if used >= places:
        raise RuleViolation(
            _("The quota of %(org)s for “%(award)s” is used up: %(used)d of %(places)d places taken.")
            % {"org": intermediate.name, "award": nomination.get_kind_display(), "used": used, "places": places}
        )
    _check_share(nomination, intermediate)
    duplicates = Nomination.objects.filter(campaign=campaign, state__in=ACTIVE_STATES).exclude(pk=nomination.pk)
    if nomination.kind == AwardKind.INDIVIDUAL:
        duplicates = duplicates.filter(id_number=nomination.id_number)
    else:
        duplicates = duplicates.filter(kind=nomination.kind, nominee_name=nomination.nominee_name)
    if duplicates.exists():
        raise RuleViolation(
            _("%(name)s is already nominated in this campaign.") % {"name": nomination.nominee_name}
        )


def _active_under(campaign, kind, organisation, exclude_pk):
    return (
        Nomination.objects.filter(
            campaign=campaign, kind=kind, organisation__path__startswith=organisation.path, state__in=ACTIVE_STATES
        )
        .exclude(pk=exclude_pk)
    )


def _check_share(nomination, intermediate):
    """The places an intermediate union shared out among its grassroots
    unions: a union with a share stays within it; the others share what was
    not shared out."""
    parent = Quota.objects.filter(
        campaign=nomination.campaign, organisation=intermediate, kind=nomination.kind, parent__isnull=True
    ).first()
    if parent is None:
        return
    shares = list(parent.shares.select_related("organisation"))
    if not shares:
        return
    campaign, kind, pk = nomination.campaign, nomination.kind, nomination.pk
    for share in shares:
        if nomination.organisation.is_within(share.organisation):
            used = _active_under(campaign, kind, share.organisation, pk).count()
            if used >= share.count:
                raise RuleViolation(
                    _("The places %(parent)s gave %(org)s for “%(award)s” are used up: %(used)d of %(places)d taken.")
                    % {"parent": intermediate.name, "org": share.organisation.name,
                       "award": nomination.get_kind_display(), "used": used, "places": share.count}
                )
            return
    unshared = parent.count - sum(share.count for share in shares)
    used = _active_under(campaign, kind, intermediate, pk)
    for share in shares:
        used = used.exclude(organisation__path__startswith=share.organisation.path)
    used = used.count()
    if used >= unshared:
        raise RuleViolation(
            _("%(parent)s has shared its places for “%(award)s” among its unions; the %(places)d place(s) "
              "left for the others are taken (%(used)d).")
            % {"parent": intermediate.name, "award": nomination.get_kind_display(), "places": max(unshared, 0),
               "used": used}
        )


def record_round(nomination, actor):
    nomination.round += 1
    NominationRevision.objects.create(
        nomination=nomination, round=nomination.round, snapshot=snapshot(nomination), created_by=actor
    )


