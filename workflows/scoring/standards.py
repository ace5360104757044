"""Writing scoring standards. A standard's content is given as plain data
(what the Excel sheet and the demo hold):

    {"qualified": 75, "model": 90, "note": "...",
     "sections": [{"title": "党政工共建", "items": [
         {"code": "1.1", "text": "...", "kind": "scored", "points": 3, "mandatory": True, "guidance": "..."}]}]}

A version a campaign uses is never changed: revising the standard then
makes a new version (`standard_revise`), and the campaign keeps its own.
Only the administrator of the standard's district writes it; whoever
belongs under the district reads it (workflows.scoring.views)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import ItemKind, Standard, StandardItem, StandardSection, StandardVersion
from workflows.organisations.administration import administered_district_ids
from workflows.organisations.roles import ADMINISTRATOR


def _decimal(value, default=None):
    if value in (None, ""):
        return default
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def data_errors(data):
    """What is wrong with a standard's data, as messages."""
    errors = []
    qualified, model = _decimal(data.get("qualified"), Decimal("75")), _decimal(data.get("model"), Decimal("90"))
    if qualified is None or model is None or qualified < 0 or model < qualified:
        errors.append(_("The grade thresholds must be numbers, with 模范 at least 合格."))
    sections = data.get("sections") or []
    if not any(s.get("items") for s in sections):
        errors.append(_("A standard needs at least one item."))
    codes = set()
    for section in sections:
        if not (section.get("title") or "").strip():
            errors.append(_("Every section needs a title."))
        for item in section.get("items", []):
            code = str(item.get("code") or "").strip()
            if not code or code in codes:
                errors.append(_("Item numbers must be given and unique: “%(code)s”.") % {"code": code})
            codes.add(code)
            if item.get("kind", ItemKind.SCORED) not in ItemKind.values:
                errors.append(_("Item %(code)s: unknown kind.") % {"code": code})
            points = _decimal(item.get("points"), Decimal("0"))
            if points is None or points < 0:
                errors.append(_("Item %(code)s: points must be a number not below zero.") % {"code": code})
            if not (item.get("text") or "").strip():
                errors.append(_("Item %(code)s: the requirement is empty.") % {"code": code})
    return errors


def _fill(version, data):
    for s_pos, section_data in enumerate(data["sections"], 1):
        section = StandardSection.objects.create(version=version, position=s_pos, title=section_data["title"].strip())
        StandardItem.objects.bulk_create([
            StandardItem(
                section=section, position=i_pos, code=str(item["code"]).strip(), text=item["text"].strip(),
                kind=item.get("kind") or ItemKind.SCORED, max_points=_decimal(item.get("points"), Decimal("0")),
                mandatory=bool(item.get("mandatory")), guidance=(item.get("guidance") or "")[:300],
            )
            for i_pos, item in enumerate(section_data.get("items", []), 1)
        ])


def _check(actor, district, data):
    if actor is not None and district.pk not in administered_district_ids(actor):
        raise NotAllowed(_("Only the district administrator maintains scoring standards."))
    errors = data_errors(data)
    if errors:
        raise RuleViolation("；".join(errors))


def standard_create(*, district, code, name, data, actor=None):
    _check(actor, district, data)
    with transaction.atomic():
        standard = Standard.objects.create(district=district, code=code, name=name)
        version = StandardVersion.objects.create(
            standard=standard, number=1, created_by=actor, note=(data.get("note") or "")[:200],
            qualified_threshold=_decimal(data.get("qualified"), Decimal("75")),
            model_threshold=_decimal(data.get("model"), Decimal("90")),
        )
        _fill(version, data)
        log_action(standard, "workflows.standard.created", actor=actor, organisation=district,
                   role=ADMINISTRATOR, data={"version": 1})
    return version


def version_take(version):
    """Call inside the transaction that starts using `version` (a campaign
    opened on it): the standard's row is locked as a revision locks it, so
    a revision running at the same time either finishes first (and the
    campaign gets what it wrote) or waits and then sees the version in use
    and makes a new one; it never rewrites a version under a new campaign."""
    list(Standard.objects.select_for_update().filter(pk=version.standard_id).values_list("pk", flat=True))


def standard_revise(*, standard, data, actor, action="workflows.standard.revised"):
    """Give the standard new content. If its latest version is used by a
    campaign, a new version is made and the campaign keeps its own;
    otherwise the unused latest version is rewritten. Returns the version
    now holding `data`."""
    _check(actor, standard.district, data)
    with transaction.atomic():
        locked = Standard.objects.select_for_update().get(pk=standard.pk)
        latest = locked.versions.order_by("-number").first()
        if latest is not None and not latest.is_in_use:
            latest.sections.all().delete()
            version = latest
            version.note = (data.get("note") or "")[:200]
        else:
            version = StandardVersion(standard=locked, number=(latest.number + 1 if latest else 1),
                                      created_by=actor, note=(data.get("note") or "")[:200])
        version.qualified_threshold = _decimal(data.get("qualified"), Decimal("75"))
        version.model_threshold = _decimal(data.get("model"), Decimal("90"))
        version.save()
        _fill(version, data)
        log_action(locked, action, actor=actor, organisation=locked.district, role=ADMINISTRATOR,
                   data={"version": version.number})
    return version


def version_data(version):
    """The version's content as data (for Excel and for copying)."""
    sections = []
    for section in version.sections.prefetch_related("items").order_by("position"):
        sections.append({
            "title": section.title,
            "items": [
                {"code": i.code, "text": i.text, "kind": i.kind, "points": i.max_points, "mandatory": i.mandatory,
                 "guidance": i.guidance}
                for i in section.items.order_by("position")
            ],
        })
    return {"qualified": version.qualified_threshold, "model": version.model_threshold, "note": version.note,
            "sections": sections}
