"""Starting up a district: its organisation tree and accounts from one Excel
workbook.

The district administrator downloads the template (`template_xlsx`), fills
the sheet 组织 (intermediate and grassroots unions, sub-unions, with their
sector) and the sheet 账号 (one row per account and role: user name, full
name, unit, role, mobile phone), and uploads it. `check_workbook` checks
every row and names each error by sheet, row and column; `do_import_district`
imports only a workbook without errors, in one transaction, after the
administrator has read and confirmed what it will do (import_plan). The
template's examples stand on a sheet of their own, never read. Organisations
are matched by code and accounts by user name, so importing again updates
rather than duplicates. New accounts get a one-time password (returned once,
for the administrator to hand out) that must be changed at the first login."""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action, register_action_labels
from workflows.documents.xlsx_import import CellError, column_letter, open_workbook, read_table
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import AccountProfile, Membership, Organisation, OrgKind, Sector
from workflows.organisations.roles import ADMINISTRATOR
from workflows.organisations.tree_changes import MOVED, steps_left_behind

from .import_plan import plan_import
from .import_sheets import (
    ACCOUNT_HEADERS, ACCOUNT_SHEET, IMPORT_KINDS, IMPORT_ROLES, ORG_HEADERS, ORG_SHEET, _choices, _is_example,
    _labels, _role_choices, _role_labels,
)
from .administration import administered_districts
from .passwords import new_one_time_password, one_time_hash

IMPORTED = "workflows.organisations.imported"
register_action_labels({IMPORTED: gettext_lazy("Organisations and accounts imported")})

MAX_UPLOAD = 5 * 1024 * 1024

CODE_RE = re.compile(r"^[-A-Za-z0-9_]{1,50}$")
USERNAME_RE = re.compile(r"^[\w.@+-]{1,150}$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


@dataclass
class Checked:
    """A workbook read and checked: rows as dicts, and the errors."""

    orgs: list = field(default_factory=list)
    accounts: list = field(default_factory=list)
    errors: list = field(default_factory=list)


@dataclass
class ImportResult:
    orgs_created: int = 0
    orgs_updated: int = 0
    accounts_updated: int = 0
    memberships_added: int = 0
    new_accounts: list = field(default_factory=list)  # [{username, name, unit, password}]


# Checking -------------------------------------------------------------------

def _read_sheet(wb, name, headers, errors):
    """[(row number, {header: text})] of the sheet `name` laid out as the
    template (its first row exactly `headers`)."""
    table = read_table(wb, {header: header for header in headers}, sheet=name, exact=True)
    if table is None:
        errors.append(CellError(name, 1, "A", headers[0], _("The sheet is missing; use the template.")))
        return []
    if table.missing:
        errors.append(CellError(name, 1, "A", headers[0],
                                _("The first row must be the headers %(headers)s.") % {"headers": "、".join(headers)}))
        return []
    return [(row.number, row.values()) for row in table.rows if any(row.values().values())]


def check_workbook(data, district):
    """Read and check `data` (the uploaded bytes) for `district`."""
    checked = Checked()
    errors = checked.errors
    wb = open_workbook(data)
    if wb is None:
        errors.append(CellError(ORG_SHEET, 1, "A", ORG_HEADERS[0], _("This is not an Excel (.xlsx) file.")))
        return checked
    org_rows = _read_sheet(wb, ORG_SHEET, ORG_HEADERS, errors)
    account_rows = _read_sheet(wb, ACCOUNT_SHEET, ACCOUNT_HEADERS, errors)
    for sheet, headers, rows in ((ORG_SHEET, ORG_HEADERS, org_rows), (ACCOUNT_SHEET, ACCOUNT_HEADERS, account_rows)):
        for row, values in rows:
            if _is_example(sheet, values):
                _error(checked, sheet, headers, row, headers[0], _(
                    "This is an example row of the template: delete it and fill in your own rows."))
    if not errors and not org_rows and not account_rows:
        errors.append(CellError(ORG_SHEET, 2, "A", ORG_HEADERS[0], _(
            "The sheets 组织 and 账号 hold no rows: nothing to import. The rows on the sheet 示例 are examples "
            "and are never imported.")))
    existing = {o.code: o for o in Organisation.objects.filter(path__startswith=district.path)}
    _check_orgs(org_rows, district, existing, checked)
    _check_accounts(account_rows, district, existing, checked)
    return checked


def _error(checked, sheet, headers, row, header, message):
    column = column_letter(headers.index(header))
    checked.errors.append(CellError(sheet, row, column, header, message))


def _check_orgs(rows, district, existing, checked):
    kinds = _choices(OrgKind, IMPORT_KINDS)
    sectors = _choices(Sector, [v for v in Sector.values if v])
    sheet_kinds = {}
    for row, values in rows:
        code = values["编码"]
        if code and CODE_RE.match(code):
            kind = kinds.get(values["类型"].lower())
            if kind:
                sheet_kinds.setdefault(code, kind)
    taken = set(
        Organisation.objects.filter(code__in=[v["编码"] for _r, v in rows]).exclude(
            path__startswith=district.path).values_list("code", flat=True)
    )
    seen = set()

    def err(row, header, message):
        _error(checked, ORG_SHEET, ORG_HEADERS, row, header, message)

    for row, values in rows:
        code, name, parent_code = values["编码"], values["名称"], values["上级编码"]
        kind = kinds.get(values["类型"].lower())
        sector = sectors.get(values["单位性质"].lower(), "") if values["单位性质"] else ""
        if not code:
            err(row, "编码", _("Required."))
        elif not CODE_RE.match(code):
            err(row, "编码", _("Letters, digits, - and _ only, at most 50."))
        elif code in seen:
            err(row, "编码", _("The code %(code)s appears twice.") % {"code": code})
        elif code in taken or code == district.code:
            err(row, "编码", _("The code %(code)s is already used by another organisation.") % {"code": code})
        seen.add(code)
        if not name:
            err(row, "名称", _("Required."))
        elif len(name) > 200:
            err(row, "名称", _("At most 200 characters."))
        if kind is None:
            err(row, "类型", _("Choose one of: %(choices)s.") % {"choices": _labels(OrgKind, IMPORT_KINDS)})
        if values["单位性质"] and not sector:
            err(row, "单位性质", _("Choose one of: %(choices)s.") % {
                "choices": _labels(Sector, [v for v in Sector.values if v])})
        parent_kind = OrgKind.DISTRICT if not parent_code else (
            sheet_kinds.get(parent_code) or (existing[parent_code].kind if parent_code in existing else None)
        )
        if parent_code and parent_kind is None:
            err(row, "上级编码", _("No organisation %(code)s in this sheet or this district.") % {"code": parent_code})
        elif parent_code == code and code:
            err(row, "上级编码", _("An organisation cannot be its own parent."))
        elif kind is not None and parent_kind not in IMPORT_KINDS[kind]:
            err(row, "上级编码", _("A %(kind)s belongs under: %(parents)s.") % {
                "kind": _labels(OrgKind, [kind]), "parents": _labels(OrgKind, IMPORT_KINDS[kind])})
        checked.orgs.append({"row": row, "code": code, "name": name, "kind": kind, "parent": parent_code,
                             "sector": sector})


def _check_accounts(rows, district, existing, checked):
    roles = _role_choices()
    org_kinds = {o["code"]: o["kind"] for o in checked.orgs}
    org_kinds.update({code: org.kind for code, org in existing.items() if code not in org_kinds})
    org_kinds[district.code] = OrgKind.DISTRICT
    User = get_user_model()
    usernames = {v["用户名"] for _r, v in rows}
    users = {u.username: u for u in User.objects.filter(username__in=usernames).prefetch_related(
        "memberships__organisation")}
    seen_people, seen_rows = {}, set()

    def err(row, header, message):
        _error(checked, ACCOUNT_SHEET, ACCOUNT_HEADERS, row, header, message)

    for row, values in rows:
        username, name, unit, phone = values["用户名"], values["姓名"], values["单位编码"], values["手机"]
        role = roles.get(values["角色"].lower())
        if not username:
            err(row, "用户名", _("Required."))
        elif not USERNAME_RE.match(username):
            err(row, "用户名", _("Letters, digits and @ . + - _ only."))
        elif username in users and (users[username].is_superuser or any(
                not m.organisation.path.startswith(district.path) for m in users[username].memberships.all())):
            err(row, "用户名", _("The user name %(name)s is taken by an account outside this district.") % {"name": username})
        if not name:
            err(row, "姓名", _("Required."))
        elif len(name) > 150:
            err(row, "姓名", _("At most 150 characters."))
        elif username in seen_people and seen_people[username] != (name, phone):
            err(row, "姓名", _("The same account has another name or phone on an earlier row."))
        seen_people.setdefault(username, (name, phone))
        if not unit:
            err(row, "单位编码", _("Required."))
        elif unit not in org_kinds:
            err(row, "单位编码", _("No organisation %(code)s in this sheet or this district.") % {"code": unit})
        if role is None:
            err(row, "角色", _("Choose one of: %(choices)s.") % {"choices": _role_labels(IMPORT_ROLES)})
        elif org_kinds.get(unit) is not None and org_kinds[unit] not in IMPORT_ROLES[role]:
            err(row, "角色", _("A %(role)s is held at: %(kinds)s.") % {
                "role": _role_labels([role]), "kinds": _labels(OrgKind, IMPORT_ROLES[role])})
        if (username, unit, role) in seen_rows:
            err(row, "角色", _("This account already has this role at this unit on an earlier row."))
        seen_rows.add((username, unit, role))
        if not MOBILE_RE.match(phone):
            err(row, "手机", _("Enter an 11-digit mobile number."))
        checked.accounts.append({"row": row, "username": username, "name": name, "unit": unit, "role": role,
                                 "phone": phone})


# Importing ------------------------------------------------------------------

KIND_ORDER = {OrgKind.INTERMEDIATE: 0, OrgKind.GRASSROOTS: 1, OrgKind.SUB_UNION: 2}


def do_import_district(*, data, district, actor, ip=None, confirmed_plan=None):
    """Check and import the workbook `data` into `district`: all or
    nothing. Raises RuleViolation with the Checked on `.checked` when any
    row is wrong. `confirmed_plan` is the digest of the plan the
    administrator read and confirmed (import_plan): when what the import
    would do has changed since (someone else edited the tree), nothing is
    imported and the new plan is on the RuleViolation's `.plan`."""
    if district not in administered_districts(actor):
        raise NotAllowed(_("Only the district administrator can import organisations and accounts."))
    checked = check_workbook(data, district)
    if checked.errors:
        exc = RuleViolation(_("Nothing was imported: %(n)d error(s) in the workbook.") % {"n": len(checked.errors)})
        exc.checked = checked
        raise exc
    result = ImportResult()
    with transaction.atomic():
        # The district's row, locked: two imports into one district queue up.
        Organisation.objects.select_for_update().get(pk=district.pk)
        if confirmed_plan is not None:
            plan = plan_import(checked, district)
            if plan.digest != confirmed_plan:
                exc = RuleViolation(_("What this import would do has changed since the check (someone else changed "
                                      "the units or accounts). Nothing was imported: read the new list and confirm again."))
                exc.checked, exc.plan = checked, plan
                raise exc
        orgs = {o.code: o for o in Organisation.objects.filter(path__startswith=district.path)}
        orgs[district.code] = district
        for item in sorted(checked.orgs, key=lambda o: KIND_ORDER[o["kind"]]):
            _import_org(item, orgs, district, result, actor=actor, ip=ip)
        _import_accounts(checked.accounts, orgs, result)
        log_action(
            district, IMPORTED, actor=actor, organisation=district, role=ADMINISTRATOR, ip=ip,
            data={"orgs_created": result.orgs_created, "orgs_updated": result.orgs_updated,
                  "accounts_created": len(result.new_accounts), "accounts_updated": result.accounts_updated,
                  "memberships_added": result.memberships_added},
        )
    return result


def _import_org(item, orgs, district, result, *, actor, ip):
    parent = orgs[item["parent"]] if item["parent"] else district
    org = orgs.get(item["code"])
    moved_from = None
    if org is None:
        # Dated, so that the figures of the years before leave it out.
        org = Organisation(code=item["code"], established_on=timezone.localdate())
        result.orgs_created += 1
    elif (org.name, org.kind, org.parent_id, org.sector) == (item["name"], item["kind"], parent.pk, item["sector"]):
        return
    else:
        result.orgs_updated += 1
        if org.parent_id != parent.pk:
            # A move, as in the admin (workflows.organisations.tree_changes):
            # refused while it leaves open steps behind, audited on its own.
            stranded = steps_left_behind(org, parent)
            if stranded:
                raise RuleViolation(_(
                    "Sheet %(sheet)s, row %(row)d: open steps of these cases wait at an organisation this move "
                    "takes %(org)s away from: %(cases)s. Nothing was imported."
                ) % {"sheet": ORG_SHEET, "row": item["row"], "org": org.name,
                     "cases": "、".join(str(c) for c in stranded[:5])})
            moved_from = (org.parent_id, org.path)
    org.name, org.kind, org.parent, org.sector = item["name"], item["kind"], parent, item["sector"]
    org.save()
    orgs[org.code] = org
    if moved_from is not None:
        # The administrator moves it as the district (the hat the import
        # needs), not as the organisation moved.
        log_action(org, MOVED, actor=actor, organisation=district, role=ADMINISTRATOR, ip=ip,
                   data={"parent": [moved_from[0], parent.pk], "path": [moved_from[1], org.path]})


def _import_accounts(rows, orgs, result):
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in={r["username"] for r in rows})}
    profiles = {p.user_id: p for p in AccountProfile.objects.filter(user__in=users.values())}
    memberships = set(
        Membership.objects.filter(user__in=users.values()).values_list("user_id", "organisation_id", "role")
    )
    done = set()
    for item in rows:
        user = users.get(item["username"])
        if user is None:
            user = User(username=item["username"], first_name=item["name"])
            password = new_one_time_password()
            user.password = one_time_hash(password)
            user.save()
            AccountProfile.objects.create(user=user, phone=item["phone"], must_change_password=True)
            users[user.username] = user
            result.new_accounts.append({"username": user.username, "name": item["name"], "unit": orgs[item["unit"]].name,
                                        "password": password})
            done.add(user.username)
        elif user.username not in done:
            done.add(user.username)
            profile = profiles.get(user.pk)
            if user.first_name != item["name"] or profile is None or profile.phone != item["phone"]:
                User.objects.filter(pk=user.pk).update(first_name=item["name"])
                AccountProfile.objects.update_or_create(user=user, defaults={"phone": item["phone"]})
                result.accounts_updated += 1
        key = (user.pk, orgs[item["unit"]].pk, item["role"])
        if key not in memberships:
            Membership.objects.create(user=user, organisation=orgs[item["unit"]], role=item["role"])
            memberships.add(key)
            result.memberships_added += 1
