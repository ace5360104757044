"""What an import will do, shown before it does it.

An import is two steps: the workbook is checked (`imports.check_workbook`:
errors by sheet, row and column) and, when it has none, planned here
against what the district holds now: which organisations and accounts it
creates, which it updates (a renamed unit or person named with the old and
the new name), which roles it gives, and warnings for what people get wrong
with a spreadsheet: a person renamed (often someone else's row typed over a
real account), a second unit with the name of an existing one, an account
taking a role at a unit it does not belong to yet. The administrator reads
the list and confirms; `imports.do_import_district` then plans again inside
its transaction and refuses when the plan is no longer the one confirmed
(its digest), so what is committed is exactly what was read.

The workbook is held between the two steps in private storage under a
random token bound to the session (`hold_workbook` / `held_workbook`),
never in the page, and deleted once imported or after a day."""

import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from workflows.documents.storage import private_storage
from workflows.models import Membership, Organisation, OrgKind, Sector
from workflows.organisations.roles import role_label

HELD_FOLDER = "imports"
HELD_FOR = datetime.timedelta(days=1)
SESSION_KEY = "held_import_workbooks"


@dataclass
class PlanLine:
    sheet: str
    row: int
    text: str


@dataclass
class Plan:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def empty(self):
        return not (self.created or self.updated or self.roles)

    @property
    def digest(self):
        """The plan's fingerprint: confirmed on the check page, compared at
        commit. Built from the lines in the district's language of record
        (Chinese), so a reader's language does not change it."""
        lines = [[name, [[line.sheet, line.row, line.text] for line in getattr(self, name)]]
                 for name in ("created", "updated", "roles", "warnings")]
        return hashlib.sha256(json.dumps(lines, ensure_ascii=False).encode()).hexdigest()


def _label(enum, value):
    return str(enum(value).label) if value else ""


def plan_import(checked, district):
    """The Plan of a checked workbook (one without errors) for `district`."""
    from .import_sheets import ACCOUNT_SHEET, ORG_SHEET

    plan = Plan()
    with translation.override("zh-hans"):
        existing = {o.code: o for o in Organisation.objects.filter(path__startswith=district.path)}
        by_name = {}
        for org in existing.values():
            by_name.setdefault(org.name, org.code)
        codes = {org.pk: org.code for org in existing.values()}
        codes[district.pk] = district.code
        _plan_orgs(plan, checked.orgs, district, existing, by_name, codes, ORG_SHEET)
        units = {code: org.name for code, org in existing.items()}
        units.update({o["code"]: o["name"] for o in checked.orgs})
        units[district.code] = district.name
        _plan_accounts(plan, checked.accounts, existing, units, ACCOUNT_SHEET)
    return plan


def _plan_orgs(plan, rows, district, existing, by_name, codes, sheet):
    names_in_sheet = {}
    for item in rows:
        org = existing.get(item["code"])
        parent_code = item["parent"] or district.code
        if org is None:
            plan.created.append(PlanLine(sheet, item["row"], _("New unit %(name)s (code %(code)s, %(kind)s, under %(parent)s)") % {
                "name": item["name"], "code": item["code"], "kind": _label(OrgKind, item["kind"]), "parent": parent_code}))
            twin = by_name.get(item["name"]) or names_in_sheet.get(item["name"])
            if twin and twin != item["code"]:
                plan.warnings.append(PlanLine(sheet, item["row"], _(
                    "A unit named %(name)s already exists with the code %(other)s: this row makes a second one "
                    "(code %(code)s). If it is the same unit, use its code %(other)s.") % {
                    "name": item["name"], "other": twin, "code": item["code"]}))
            names_in_sheet.setdefault(item["name"], item["code"])
            continue
        changes = []
        if org.name != item["name"]:
            changes.append(_("renamed %(old)s → %(new)s") % {"old": org.name, "new": item["name"]})
        if org.kind != item["kind"]:
            changes.append(_("kind %(old)s → %(new)s") % {"old": _label(OrgKind, org.kind), "new": _label(OrgKind, item["kind"])})
        if codes.get(org.parent_id) != parent_code:
            changes.append(_("moved under %(parent)s (was %(old)s)") % {"parent": parent_code, "old": codes.get(org.parent_id, "")})
        if org.sector != item["sector"]:
            changes.append(_("nature %(old)s → %(new)s") % {
                "old": _label(Sector, org.sector) or "—", "new": _label(Sector, item["sector"]) or "—"})
        if changes:
            plan.updated.append(PlanLine(sheet, item["row"], _("Unit %(code)s: %(changes)s") % {
                "code": item["code"], "changes": "；".join(changes)}))
            if org.name != item["name"]:
                plan.warnings.append(PlanLine(sheet, item["row"], _(
                    "The unit %(code)s is renamed from %(old)s to %(new)s: check this is the same unit.") % {
                    "code": item["code"], "old": org.name, "new": item["name"]}))


def _plan_accounts(plan, rows, existing, units, sheet):
    from workflows.models import AccountProfile

    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in={r["username"] for r in rows})}
    phones = dict(AccountProfile.objects.filter(user__in=users.values()).values_list("user_id", "phone"))
    held = {}
    for user_id, code, role in Membership.objects.filter(user__in=users.values()).values_list(
            "user_id", "organisation__code", "role"):
        held.setdefault(user_id, set()).add((code, role))
    seen = set()
    for item in rows:
        user = users.get(item["username"])
        unit_name = units.get(item["unit"], item["unit"])
        role = str(role_label(item["role"]))
        if user is None:
            if item["username"] not in seen:
                plan.created.append(PlanLine(sheet, item["row"], _("New account %(username)s (%(name)s, %(phone)s)") % {
                    "username": item["username"], "name": item["name"], "phone": item["phone"]}))
            plan.roles.append(PlanLine(sheet, item["row"], _("%(username)s becomes %(role)s of %(unit)s") % {
                "username": item["username"], "role": role, "unit": unit_name}))
            seen.add(item["username"])
            continue
        if item["username"] not in seen:
            seen.add(item["username"])
            changes = []
            if user.first_name != item["name"]:
                changes.append(_("renamed %(old)s → %(new)s") % {"old": user.first_name, "new": item["name"]})
                plan.warnings.append(PlanLine(sheet, item["row"], _(
                    "The account %(username)s belongs to %(old)s: this row renames the person to %(new)s. "
                    "A new person needs a new user name.") % {
                    "username": item["username"], "old": user.first_name, "new": item["name"]}))
            if phones.get(user.pk, "") != item["phone"]:
                changes.append(_("mobile %(old)s → %(new)s") % {"old": phones.get(user.pk) or "—", "new": item["phone"]})
            if changes:
                plan.updated.append(PlanLine(sheet, item["row"], _("Account %(username)s: %(changes)s") % {
                    "username": item["username"], "changes": "；".join(changes)}))
        roles_held = held.get(user.pk, set())
        if (item["unit"], item["role"]) in roles_held:
            continue
        plan.roles.append(PlanLine(sheet, item["row"], _("%(username)s becomes %(role)s of %(unit)s") % {
            "username": item["username"], "role": role, "unit": unit_name}))
        other_units = sorted({code for code, _r in roles_held if code != item["unit"]})
        if other_units:
            plan.warnings.append(PlanLine(sheet, item["row"], _(
                "The account %(username)s (%(name)s) holds roles at %(units)s and now also gets one at %(unit)s: "
                "check the person moves or works for both. An import never takes a role away.") % {
                "username": item["username"], "name": user.first_name,
                "units": "、".join(units.get(code, code) for code in other_units), "unit": unit_name}))


# Holding the workbook between check and confirmation -------------------------

def hold_workbook(request, data):
    """Keep `data` until the administrator confirms; returns its token."""
    storage = private_storage()
    _prune_held(storage)
    token = secrets.token_urlsafe(18)
    storage.save(f"{HELD_FOLDER}/{token}.xlsx", ContentFile(data))
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-4:], token]
    return token


def held_workbook(request, token):
    """The bytes held under `token` for this session, or None."""
    if token not in request.session.get(SESSION_KEY, []):
        return None
    storage = private_storage()
    name = f"{HELD_FOLDER}/{token}.xlsx"
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        return handle.read()


def release_workbook(request, token):
    private_storage().delete(f"{HELD_FOLDER}/{token}.xlsx")
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]


def _prune_held(storage):
    if not storage.exists(HELD_FOLDER):
        return
    cutoff = timezone.now() - HELD_FOR
    for name in storage.listdir(HELD_FOLDER)[1]:
        path = f"{HELD_FOLDER}/{name}"
        if storage.get_modified_time(path) < cutoff:
            storage.delete(path)
