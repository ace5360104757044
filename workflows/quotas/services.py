"""Every change of a campaign's places, and the check at submission."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import OrgKind, Quota
from workflows.organisations.access import has_role
from workflows.quotas.registry import scheme_for


def quotas_of(scope):
    """The campaign's quota rows."""
    return Quota.objects.filter(scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk)


def _holding_under(scheme, scope, category, organisation, exclude_pk=None):
    """The campaign's cases of `category` holding a place in `organisation`'s branch."""
    return (
        scheme.holders(scope)
        .filter(**{scheme.category_field: category, "organisation__path__startswith": organisation.path})
        .exclude(pk=exclude_pk)
    )


def quota_set(*, scope, organisation, category, count, actor, ip=None):
    """The top of the tree (the district) sets an intermediate union's
    places for one category."""
    scheme = scheme_for(scope)
    top = scheme.top(scope)
    if not has_role(actor, scheme.setter_role, top):
        raise NotAllowed(_("Only the district administrator sets the quotas."))
    if organisation.kind != OrgKind.INTERMEDIATE or not organisation.is_within(top):
        raise RuleViolation(_("The district hands its places to intermediate unions."))
    if category not in scheme.labels() or count < 0:
        raise RuleViolation(_("Give an award and a number of places."))
    with transaction.atomic():
        quota = quotas_of(scope).select_for_update().filter(
            organisation=organisation, category=category, parent__isnull=True
        ).first()
        shared = (quota.shares.aggregate(total=Sum("count"))["total"] or 0) if quota else 0
        if count < shared:
            raise RuleViolation(
                _("%(org)s has already shared %(shared)d place(s) among its unions; give it at least that many.")
                % {"org": organisation.name, "shared": shared}
            )
        before = quota.count if quota else None
        if quota is None:
            quota = Quota.objects.create(scope=scope, organisation=organisation, category=category, count=count)
        else:
            quota.count = count
            quota.save(update_fields=["count"])
        log_action(
            scope, f"{scheme.audit_prefix}.quota.set", actor=actor, organisation=top, role=scheme.setter_role,
            ip=ip, data={"organisation": organisation.pk, "kind": category, "from": before, "to": count},
        )
    return quota


def quota_share(*, scope, organisation, category, count, actor, ip=None):
    """An intermediate union shares `count` of its places for `category`
    with one of its grassroots unions (0 takes the share back)."""
    scheme = scheme_for(scope)
    top = scheme.top(scope)
    intermediate = organisation.ancestor_of_kind(OrgKind.INTERMEDIATE)
    if organisation.kind != OrgKind.GRASSROOTS or intermediate is None:
        raise RuleViolation(_("Places are shared with grassroots unions."))
    if has_role(actor, scheme.sharer_role, intermediate):
        acting_org, acting_role = intermediate, scheme.sharer_role
    elif has_role(actor, scheme.setter_role, top):
        acting_org, acting_role = top, scheme.setter_role
    else:
        raise NotAllowed(_("Only the intermediate union's reviewers share its places."))
    if count < 0:
        raise RuleViolation(_("Give a number of places."))
    with transaction.atomic():
        parent = quotas_of(scope).select_for_update().filter(
            organisation=intermediate, category=category, parent__isnull=True
        ).first()
        if parent is None:
            raise RuleViolation(
                _("%(org)s has no places for this award to share.") % {"org": intermediate.name}
            )
        others = parent.shares.exclude(organisation=organisation).aggregate(total=Sum("count"))["total"] or 0
        if others + count > parent.count:
            raise RuleViolation(
                _("%(org)s holds %(places)d place(s); %(others)d are already shared, so at most %(left)d can go to %(unit)s.")
                % {"org": intermediate.name, "places": parent.count, "others": others,
                   "left": parent.count - others, "unit": organisation.name}
            )
        used = _holding_under(scheme, scope, category, organisation).count()
        if count < used:
            raise RuleViolation(
                _("%(unit)s already uses %(used)d of these places for cases in play.")
                % {"unit": organisation.name, "used": used}
            )
        share = quotas_of(scope).filter(organisation=organisation, category=category).first()
        before = share.count if share else None
        if share is None:
            share = Quota.objects.create(
                scope=scope, organisation=organisation, category=category, count=count, parent=parent
            )
        else:
            share.count = count
            share.parent = parent
            share.save(update_fields=["count", "parent"])
        log_action(
            scope, f"{scheme.audit_prefix}.quota.shared", actor=actor, organisation=acting_org, role=acting_role,
            ip=ip, data={"organisation": organisation.pk, "intermediate": intermediate.pk, "kind": category,
                         "from": before, "to": count},
        )
    return share


def places_used(scope, intermediate, category, exclude_pk=None):
    """(used, places) of an intermediate union's quota; places is 0 when the
    campaign gave it none."""
    scheme = scheme_for(scope)
    quota = quotas_of(scope).filter(organisation=intermediate, category=category, parent__isnull=True).first()
    used = _holding_under(scheme, scope, category, intermediate, exclude_pk).count()
    return used, (quota.count if quota else 0)


def check_places(scope, category, organisation, *, exclude_pk=None):
    """At submission, inside its transaction (the case locked first): a case
    of `category` from `organisation` must find a place at its intermediate
    union and, when that union shared its places out, in its share (or
    among the places not shared out). RuleViolation with the figures."""
    scheme = scheme_for(scope)
    intermediate = organisation.ancestor_of_kind(OrgKind.INTERMEDIATE)
    if intermediate is None:
        raise RuleViolation(_("The nominating union is not under an intermediate union."))
    label = scheme.label(category)
    # Serialise submissions against the same quota: lock its rows (the
    # intermediate union's own; its shares hang from it).
    list(quotas_of(scope).select_for_update().filter(organisation=intermediate, category=category))
    used, places = places_used(scope, intermediate, category, exclude_pk=exclude_pk)
    if used >= places:
        raise RuleViolation(
            _("The quota of %(org)s for “%(award)s” is used up: %(used)d of %(places)d places taken.")
            % {"org": intermediate.name, "award": label, "used": used, "places": places}
        )
    _check_share(scheme, scope, category, organisation, intermediate, exclude_pk, label)


def _check_share(scheme, scope, category, organisation, intermediate, exclude_pk, label):
    """The places an intermediate union shared out among its grassroots
    unions: a union with a share stays within it; the others share what was
    not shared out."""
    parent = quotas_of(scope).filter(organisation=intermediate, category=category, parent__isnull=True).first()
    if parent is None:
        return
    shares = list(parent.shares.select_related("organisation"))
    if not shares:
        return
    for share in shares:
        if organisation.is_within(share.organisation):
            used = _holding_under(scheme, scope, category, share.organisation, exclude_pk).count()
            if used >= share.count:
                raise RuleViolation(
                    _("The places %(parent)s gave %(org)s for “%(award)s” are used up: %(used)d of %(places)d taken.")
                    % {"parent": intermediate.name, "org": share.organisation.name,
                       "award": label, "used": used, "places": share.count}
                )
            return
    unshared = parent.count - sum(share.count for share in shares)
    used = _holding_under(scheme, scope, category, intermediate, exclude_pk)
    for share in shares:
        used = used.exclude(organisation__path__startswith=share.organisation.path)
    used = used.count()
    if used >= unshared:
        raise RuleViolation(
            _("%(parent)s has shared its places for “%(award)s” among its unions; the %(places)d place(s) "
              "left for the others are taken (%(used)d).")
            % {"parent": intermediate.name, "award": label, "places": max(unshared, 0), "used": used}
        )


def create_places(scope, places):
    """A new campaign's places: (organisation, category, count) rows, set
    by the service that opens it (which checks the actor and writes the
    audit entry)."""
    Quota.objects.bulk_create(
        [Quota(scope=scope, organisation=o, category=c, count=n) for o, c, n in places]
    )


# The most places a row may hold: far above any campaign's, well inside the column.
MAX_PLACES = 1_000_000


def _posted_count(posted, cell, organisation):
    raw = (posted.get(cell["name"]) or "").strip()
    try:
        count = int(raw)
    except ValueError:
        raise RuleViolation(_("Places of %(org)s: give a whole number.") % {"org": organisation.name}) from None
    if not 0 <= count <= MAX_PLACES:  # a number the column holds, refused by name, never a 500
        raise RuleViolation(_("Places of %(org)s: give a whole number from 0 to %(max)d.")
                            % {"org": organisation.name, "max": MAX_PLACES})
    return count


def save_shares(*, scope, rows, posted, actor, ip=None):
    """The share page's save (rows of selectors.share_edit_rows): every
    changed share through quota_share, all or nothing; the shares that go
    down first, so that places moved from one union to another in one save
    are free when the other's share goes up. Returns how many changed."""
    changes = []
    for row in rows:
        for cell in row["cells"]:
            count = _posted_count(posted, cell, row["organisation"])
            if count != cell["count"]:
                changes.append((count - cell["count"], row["organisation"], cell["kind"], count))
    with transaction.atomic():
        for _delta, organisation, category, count in sorted(changes, key=lambda c: c[0]):
            quota_share(scope=scope, organisation=organisation, category=category, count=count, actor=actor, ip=ip)
    return len(changes)


def save_places(*, scope, rows, posted, actor, ip=None):
    """The edit page's save (rows of selectors.quota_edit_rows): every
    changed number through quota_set, all or nothing. Returns how many
    changed."""
    changed = 0
    with transaction.atomic():
        for row in rows:
            for cell in row["cells"]:
                count = _posted_count(posted, cell, row["organisation"])
                if count != cell["count"]:
                    quota_set(scope=scope, organisation=row["organisation"], category=cell["kind"], count=count,
                              actor=actor, ip=ip)
                    changed += 1
    return changed
