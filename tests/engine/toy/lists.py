"""The toy's case list: the engine's list page with no process app
installed (tests/engine/test_case_list.py)."""

from tests.engine.toy.declaration import TOY
from workflows.cases.lists import (
    Before, CaseList, Choice, Column, Search, Select, StateColumn, StateFilter, register_case_list,
)
from workflows.models import Organisation

TOY_CASES = CaseList(
    title="Toy cases",
    columns=(
        Column("Title", lambda c: c.title, link=True),
        Column("Number", lambda c: c.pk),
        Column("Unit", lambda c: c.organisation.name),
        StateColumn(),
    ),
    filters=(
        Search(("title", "organisation__name")),
        StateFilter(),
        Choice("organisation", "Unit",
               lambda user: Organisation.objects.filter(pk__in=TOY.selector(user).values("organisation"))
               .values_list("pk", "name"),
               lookup="organisation_id"),
    ),
    # The declaration's selector is the default queryset; what the columns
    # read is selected in here (one query per page, whatever its rows).
    queryset=lambda user: TOY.selector(user).select_related("organisation"),
    ordering=("pk",),
    page_size=100,
)

register_case_list("toy", TOY_CASES)


# A register of rows that are no process's cases (as model home's register
# of titles): its own queryset, a day's filter, a link to another page per
# row, rows ticked for an action and a workbook of its own
# (tests/engine/test_registers.py).
def _units(user):
    from workflows.models import OrgKind

    return Organisation.objects.filter(kind=OrgKind.GRASSROOTS)


def _units_workbook(rows):
    from workflows.documents.xlsx import table_workbook, xlsx_response

    return xlsx_response(table_workbook("Units", ["Own sheet"], ([u.code] for u in rows)), "units.xlsx")


register_case_list("toy.units", CaseList(
    title="Units",
    queryset=_units,
    columns=(Column("Unit", lambda u: u.name, url=lambda u: f"/units/{u.code}/"),
             Column("Since", lambda u: u.established_on)),
    filters=(Before("established_on", "In the tree by", name="by"),),
    ordering=("code",),
    export=_units_workbook,
    select=Select("unit", "toy_list", "Act on the ticked units", label_of=lambda u: u.name,
                  visible=lambda request: request.user.username == "admin"),
))
