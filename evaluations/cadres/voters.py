"""The voter list, imported from an Excel sheet.

The first row names the columns: 姓名 (required), 部门, 工号 and 类别 (the
rater category of a weighted evaluation: 领导班子成员, 中层干部, 职工代表 …)
(optional; English headers name, department, staff number, category also
work). In a weighted evaluation every voter's category must be one of its
categories. Every wrong cell
is named by sheet, row and column with what is wrong; nothing is imported unless every
row is right. The list replaces the previous one and sets the entitled
count (应到). It serves the sign-in at the meeting and the count, and is
never linked to a code or a ballot."""

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.documents.xlsx_import import open_workbook, read_table
from workflows.exceptions import RuleViolation

from .models import EDITABLE_STATES, Voter
from .roles import WORKING_BODY
from .services import lock
from .weights import categories_of

HEADERS = {
    "name": ("姓名", "name"),
    "department": ("部门", "单位", "部门/单位", "department"),
    "staff_number": ("工号", "职工号", "staff number", "staff_number"),
    "category": ("类别", "人员类别", "评议人类别", "category"),
}
MAX_ROWS = 5000


def parse_voters(data, categories=()):
    """[{name, department, staff_number, category}] or RuleViolation listing
    every wrong cell by sheet, row and column. With `categories` (a
    weighted evaluation's), each voter's category must be one of them."""
    wb = open_workbook(data)
    if wb is None:
        raise RuleViolation(_("The workbook cannot be read."))
    table = read_table(wb, HEADERS)
    wb.close()
    if "name" in table.missing:
        raise RuleViolation(_("The first row must name the columns; a column “姓名” (name) is required."))
    voters, errors, numbers = [], [], {}
    for row in table.rows:
        values = row.values()
        if not any(values.values()):
            continue  # rows with text only outside the named columns
        if len(voters) >= MAX_ROWS:
            errors.append(_("More than %(max)s voters: split the list.") % {"max": MAX_ROWS})
            break
        problems = []
        if not values.get("name"):
            problems.append(row.error("name", _("the name is missing")))
        elif len(values["name"]) > 50:
            problems.append(row.error("name", _("the name is longer than 50 characters")))
        if len(values.get("department", "")) > 100:
            problems.append(row.error("department", _("the department is longer than 100 characters")))
        category = values.get("category", "")
        if categories and category not in categories:
            problems.append(row.error("category", _("the category “%(category)s” is not one of %(categories)s") % {
                "category": category, "categories": "、".join(categories)}))
        elif len(category) > 30:
            problems.append(row.error("category", _("the category is longer than 30 characters")))
        number = values.get("staff_number", "")
        if number:
            if len(number) > 40:
                problems.append(row.error("staff_number", _("the staff number is longer than 40 characters")))
            elif number in numbers:
                problems.append(row.error("staff_number", _("staff number %(number)s is also on row %(row)s") % {
                    "number": number, "row": numbers[number]}))
            else:
                numbers[number] = row.number
        if problems:
            errors.extend(str(p) for p in problems)
        else:
            voters.append(values)
    if errors:
        raise RuleViolation(errors)
    if not voters:
        raise RuleViolation(_("The sheet lists no voters."))
    return voters


def do_import_voters(*, evaluation, upload, actor, ip=None):
    """`upload` checked by the form's XlsxField (workflows.documents.xlsx_upload)."""
    WORKING_BODY.check(actor, evaluation)
    voters = parse_voters(upload.read(), categories=categories_of(evaluation))
    with transaction.atomic():
        current = lock(evaluation, states=EDITABLE_STATES)
        Voter.objects.filter(evaluation=current).delete()
        Voter.objects.bulk_create(
            [Voter(evaluation=current, name=v["name"], department=v.get("department", ""),
                   staff_number=v.get("staff_number", ""), category=v.get("category", "")) for v in voters]
        )
        current.entitled_count = len(voters)
        current.version += 1
        current.save(update_fields=["entitled_count", "version"])
        log_action(current, "cadres.evaluation.voters_imported", actor=actor, hat=WORKING_BODY.hat(actor, current),
                   ip=ip, data={"voters": len(voters)})
    evaluation.refresh_from_db()
    return len(voters)
