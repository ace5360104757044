"""Facts about units kept per year (whether a union holds a meeting, has
signed an agreement ...), declared by a process and kept in a
model of its own with `organisation`, `year`, `updated`, `updated_by` and
the facts' fields: who may edit them, the one service that does (audited),
and the Excel sheet they are imported from and exported to.

A unit's facts for a year are its row of that year or, when nobody stated
them for that year, of the latest year before it: facts hold until they
change, and an edit or an import states the facts of one year (this year
unless told otherwise), starting from what held that year, leaving every
other year's as it was.

The sheet's first row names the columns: the code heading (组织代码) then
any of the fact columns, by their Chinese heading or field name. Yes/no
facts are 是 or 否, whole-number facts are years, date facts dates. An
import is all or nothing: every row is checked first and, if any row is
wrong, nothing is changed and each wrong cell is listed by sheet, row and
column."""

import datetime
from dataclasses import dataclass
from typing import Callable

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.documents.xlsx import Sheet, write_workbook
from workflows.documents.xlsx_cells import date_of, year_of, yes_no
from workflows.documents.xlsx_import import open_workbook, read_table
from workflows.exceptions import NotAllowed
from workflows.models import Organisation, OrgKind

CODE_HEADING = "组织代码"
NAME_HEADING = "组织名称"


def current_year():
    return timezone.localdate().year


def _value_for_log(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@dataclass(frozen=True)
class UnitFacts:
    model: type  # organisation, year, updated, updated_by and the facts' fields
    headings: dict  # field name → the sheet's Chinese heading, in the sheet's order
    hat: Callable  # (user, organisation) → the Hat the user edits the unit's facts in, or None
    action: str  # the audit entry of an edit
    refused: str  # why someone may not edit a unit's facts
    columns: tuple  # (label, field name) of the list's yes/no columns
    urls: str  # the URL namespace of the pages: facts_list, facts_edit, facts_import, facts_export
    sheet: tuple = ("", "")  # the workbook's sheet name and page title
    filename: str = "facts-{year}.xlsx"
    unit_kind: str = OrgKind.GRASSROOTS

    @property
    def fields(self):
        return tuple(self.headings)

    def may_edit(self, user, organisation):
        return self.hat(user, organisation) is not None

    def facts_of(self, organisation, year=None):
        """The facts that hold for `organisation` in `year` (this year by
        default): the row of that year or of the latest year before it,
        else empty facts. An unsaved copy stands for a year without its own row."""
        year = year or current_year()
        row = self.model.objects.filter(organisation=organisation, year__lte=year).order_by("-year").first()
        if row is None:
            return self.model(organisation=organisation, year=year)
        if row.year != year:
            row.pk, row.year, row._state.adding = None, year, True
        return row

    def facts_by_unit(self, organisations, year=None):
        """{organisation id: the facts that hold in `year`} for many units in
        one query (units without any facts are left out)."""
        result = {}
        for row in self.model.objects.filter(organisation__in=organisations, year__lte=year or current_year()
                                             ).order_by("-year"):
            result.setdefault(row.organisation_id, row)
        return result

    def update(self, *, organisation, values, actor, ip=None, source="form", year=None):
        """Set the facts of a unit for `year` (this year by default); only
        the fields in `values` change, the others keep what held that year.
        The facts of other years stay as they were. The audit entry names
        the year and lists each change as [old, new]."""
        hat = self.hat(actor, organisation)
        if hat is None:
            raise NotAllowed(self.refused)
        year = year or current_year()
        with transaction.atomic():
            # The unit's row serialises two edits of its facts.
            Organisation.objects.select_for_update().get(pk=organisation.pk)
            facts = self.facts_of(organisation, year)
            changes = {}
            for name in self.fields:
                if name in values and getattr(facts, name) != values[name]:
                    changes[name] = [_value_for_log(getattr(facts, name)), _value_for_log(values[name])]
                    setattr(facts, name, values[name])
            if not changes:
                return facts
            facts.updated, facts.updated_by = timezone.now(), actor
            facts.save()
            log_action(facts, self.action, actor=actor, hat=hat, ip=ip,
                       data={"changes": changes, "source": source, "year": year})
        return facts

    # Excel -------------------------------------------------------------------

    def _kind(self, name):
        field = self.model._meta.get_field(name)
        if isinstance(field, models.BooleanField):
            return "yes_no"
        return "date" if isinstance(field, models.DateField) else "year"

    def _parse(self, name, raw):
        """(value, error message or None) for one cell."""
        kind = self._kind(name)
        if kind == "yes_no":
            value, message = yes_no(raw), _("“%(column)s” must be 是 or 否, not “%(value)s”.")
        elif raw in (None, ""):
            return None, None
        elif kind == "year":
            value, message = year_of(raw), _("“%(column)s” must be a year such as 2024, not “%(value)s”.")
        else:
            value, message = date_of(raw), _("“%(column)s” must be a date such as 2024-06-30, not “%(value)s”.")
        return value, None if value is not None else message % {"column": self.headings[name], "value": raw}

    def read_sheet(self, upload, *, actor):
        """Check the sheet: returns (changes [(organisation, values)], errors
        [CellError naming sheet, row and column, or a message about the whole
        file]). Only organisations the actor may edit count."""
        workbook = open_workbook(upload)
        if workbook is None:
            return [], [_("The file is not an Excel workbook (.xlsx).")]
        if not workbook.worksheets:
            return [], [_("The sheet is empty.")]
        table = read_table(workbook, {"code": [CODE_HEADING, "code"],
                                      **{name: [chinese, name] for name, chinese in self.headings.items()}})
        if "code" in table.missing:
            return [], [table.error(1, "code", _("The first row must name the column “%(column)s”.") % {
                "column": CODE_HEADING})]
        codes = {row.text("code") for row in table.rows}
        orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes, kind=self.unit_kind)}
        changes, errors = [], []
        for row in table.rows:
            code = row.text("code")
            org = orgs.get(code)
            if org is None:
                errors.append(row.error("code", _("No grassroots union has the code “%(code)s”.") % {"code": code}))
                continue
            if not self.may_edit(actor, org):
                errors.append(row.error("code", _("You may not edit the facts of %(org)s.") % {"org": org.name}))
                continue
            values = {}
            for name in table.columns:
                if name == "code":
                    continue
                value, error = self._parse(name, row.value(name))
                if error:
                    errors.append(row.error(name, error))
                else:
                    values[name] = value
            changes.append((org, values))
        return changes, errors

    def import_sheet(self, *, upload, actor, ip=None, year=None):
        """Import the sheet as the facts of `year` (this year by default):
        ({"updated": n}, errors). Nothing changes unless every row is right."""
        changes, errors = self.read_sheet(upload, actor=actor)
        if errors:
            return {"updated": 0}, errors
        with transaction.atomic():
            for org, values in changes:
                self.update(organisation=org, values=values, actor=actor, ip=ip, source="excel", year=year)
        return {"updated": len(changes)}, []

    def workbook(self, organisations, year=None):
        """The .xlsx bytes of the facts of `organisations` that hold in `year`,
        in the import's layout (a template to fill in and send back)."""
        facts = self.facts_by_unit(organisations, year)
        rows = []
        for org in organisations:
            f = facts.get(org.pk) or self.model(organisation=org)
            cells = [getattr(f, name) for name in self.fields]
            rows.append([org.code, org.name, *[("是" if value else "否") if self._kind(name) == "yes_no" else value
                                               for name, value in zip(self.fields, cells)]])
        return write_workbook([Sheet(self.sheet[0], [CODE_HEADING, NAME_HEADING, *self.headings.values()], rows,
                                     page_title=self.sheet[1])])
