"""Organisation facts: who may edit them, the one service that does
(audited), and the Excel sheet they are imported from and exported to.

Facts are kept per year (models.OrganisationFacts): an edit or an import
states the facts of one year (this year unless told otherwise), starting
from what held that year, and leaves every other year's as it was.

The sheet's first row names the columns: 组织代码 (the organisation's code)
then any of the fact columns below, by their Chinese heading or field name.
An import is all or nothing: every row is checked first and, if any row is
wrong, nothing is changed and each wrong cell is listed by sheet, row and
column."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.organisations.hats import district_admin_hat, first_hat
from workflows.audit import log_action
from workflows.documents.xlsx import Sheet, write_workbook
from workflows.documents.xlsx_cells import date_of, year_of, yes_no
from workflows.documents.xlsx_import import open_workbook, read_table
from workflows.exceptions import NotAllowed
from workflows.models import Organisation, OrgKind

from .models import FACT_FIELDS, OrganisationFacts
from .roles import CHAIR, SUBMITTER

CODE_HEADING = "组织代码"
NAME_HEADING = "组织名称"
# The sheet's Chinese headings: the district's spreadsheets are in Chinese
# whatever language the page is shown in.
HEADINGS = {
    "unionised": "已建会",
    "above_size_threshold": "规模以上",
    "has_congress": "建立职代会",
    "collective_contract": "签订集体合同",
    "wage_bargaining": "工资集体协商",
    "mediation_body": "劳动争议调解组织",
    "women_special_contract": "女职工专项集体合同",
    "standardised": "工会规范化建设",
    "union_founded_year": "建会年份",
    "democratic_evaluation_on": "最近民主评议日期",
}
BOOLEAN_FIELDS = FACT_FIELDS[:8]


def facts_hat(user, organisation):
    """The hat `user` edits the union's facts in: the union's own submitter
    or chair, else the administrator of the union's district (of that
    district only); None when they may not."""
    return first_hat(user, (SUBMITTER, organisation), (CHAIR, organisation)) or district_admin_hat(user, organisation)


def may_edit_facts(user, organisation):
    return facts_hat(user, organisation) is not None


def current_year():
    return timezone.localdate().year


def facts_of(organisation, year=None):
    """The facts that hold for `organisation` in `year` (this year by
    default): the row of that year or of the latest year before it, else
    empty facts. An unsaved copy stands for a year without its own row."""
    year = year or current_year()
    row = (OrganisationFacts.objects.filter(organisation=organisation, year__lte=year).order_by("-year").first())
    if row is None:
        return OrganisationFacts(organisation=organisation, year=year)
    if row.year != year:
        row.pk, row.year, row._state.adding = None, year, True
    return row


def facts_by_union(organisations, year=None):
    """{organisation id: the facts that hold in `year`} for many unions in
    one query (unions without any facts are left out)."""
    year = year or current_year()
    result = {}
    rows = OrganisationFacts.objects.filter(organisation__in=organisations, year__lte=year).order_by("-year")
    for row in rows:
        result.setdefault(row.organisation_id, row)
    return result


def _value_for_log(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def do_update_facts(*, organisation, values, actor, ip=None, source="form", year=None):
    """Set the facts of a grassroots union for `year` (this year by
    default); only the fields in `values` change, the others keep what held
    that year. The facts of other years stay as they were. The audit entry
    names the year and lists each change as [old, new]."""
    hat = facts_hat(actor, organisation)
    if hat is None:
        raise NotAllowed(_("Only the union itself or the district edits these facts."))
    year = year or current_year()
    with transaction.atomic():
        # The union's row serialises two edits of its facts.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        facts = facts_of(organisation, year)
        changes = {}
        for name in FACT_FIELDS:
            if name in values and getattr(facts, name) != values[name]:
                changes[name] = [_value_for_log(getattr(facts, name)), _value_for_log(values[name])]
                setattr(facts, name, values[name])
        if not changes:
            return facts
        facts.updated, facts.updated_by = timezone.now(), actor
        facts.save()
        log_action(facts, "congress.facts.updated", actor=actor, hat=hat, ip=ip,
                   data={"changes": changes, "source": source, "year": year})
    return facts


# Excel -----------------------------------------------------------------------

def _columns():
    """The import's columns: the code, then each fact by its Chinese
    heading or its field name."""
    return {"code": [CODE_HEADING, "code"], **{name: [chinese, name] for name, chinese in HEADINGS.items()}}


def _parse(name, raw):
    """(value, error message or None) for one cell."""
    column = HEADINGS[name]
    if name in BOOLEAN_FIELDS:
        value, message = yes_no(raw), _("“%(column)s” must be 是 or 否, not “%(value)s”.")
    elif raw in (None, ""):
        return None, None
    elif name == "union_founded_year":
        value, message = year_of(raw), _("“%(column)s” must be a year such as 2024, not “%(value)s”.")
    else:
        value, message = date_of(raw), _("“%(column)s” must be a date such as 2024-06-30, not “%(value)s”.")
    return value, None if value is not None else message % {"column": column, "value": raw}


def read_facts_sheet(upload, *, actor):
    """Check the sheet: returns (changes [(organisation, values)], errors
    [CellError naming sheet, row and column, or a message about the whole
    file]). Only organisations the actor may edit count."""
    workbook = open_workbook(upload)
    if workbook is None:
        return [], [_("The file is not an Excel workbook (.xlsx).")]
    if not workbook.worksheets:
        return [], [_("The sheet is empty.")]
    table = read_table(workbook, _columns())
    if "code" in table.missing:
        return [], [table.error(1, "code", _("The first row must name the column “%(column)s”.") % {
            "column": CODE_HEADING})]
    codes = {row.text("code") for row in table.rows}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes, kind=OrgKind.GRASSROOTS)}
    changes, errors = [], []
    for row in table.rows:
        code = row.text("code")
        org = orgs.get(code)
        if org is None:
            errors.append(row.error("code", _("No grassroots union has the code “%(code)s”.") % {"code": code}))
            continue
        if not may_edit_facts(actor, org):
            errors.append(row.error("code", _("You may not edit the facts of %(org)s.") % {"org": org.name}))
            continue
        values = {}
        for name in table.columns:
            if name == "code":
                continue
            value, error = _parse(name, row.value(name))
            if error:
                errors.append(row.error(name, error))
            else:
                values[name] = value
        changes.append((org, values))
    return changes, errors


def do_import_facts(*, upload, actor, ip=None, year=None):
    """Import the sheet as the facts of `year` (this year by default):
    ({"updated": n}, errors). Nothing changes unless every row is right."""
    changes, errors = read_facts_sheet(upload, actor=actor)
    if errors:
        return {"updated": 0}, errors
    with transaction.atomic():
        for org, values in changes:
            do_update_facts(organisation=org, values=values, actor=actor, ip=ip, source="excel", year=year)
    return {"updated": len(changes)}, []


def facts_workbook(organisations, year=None):
    """The .xlsx bytes of the facts of `organisations` that hold in `year`,
    in the import's layout (a template to fill in and send back)."""
    facts = facts_by_union(organisations, year)
    rows = []
    for org in organisations:
        f = facts.get(org.pk) or OrganisationFacts(organisation=org)
        cells = []
        for name in FACT_FIELDS:
            value = getattr(f, name)
            cells.append(("是" if value else "否") if name in BOOLEAN_FIELDS else value)
        rows.append([org.code, org.name, *cells])
    return write_workbook([Sheet("组织情况", [CODE_HEADING, NAME_HEADING, *HEADINGS.values()], rows,
                                 page_title="基层工会组织情况")])
