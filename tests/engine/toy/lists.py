"""The toy's case list: the engine's list page with no process app
installed (tests/engine/test_case_list.py)."""

from tests.engine.toy.declaration import TOY
from workflows.cases.lists import CaseList, Choice, Column, Search, StateColumn, StateFilter, register_case_list
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
