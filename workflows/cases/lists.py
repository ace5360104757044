"""A process's case list, declared: the engine serves the page, its
filters, its paging and its Excel export (`workflows.cases.list_views`).

A process registers a `CaseList` from its AppConfig.ready::

    register_case_list("toy", CaseList(
        title=_("Toy cases"),
        columns=(Column(_("Title"), lambda c: c.title, link=True),
                 StateColumn(), Column(_("Unit"), lambda c: c.organisation.name)),
        filters=(Search(("title",)), StateFilter(), Year("created__year")),
        ordering=("-pk",),
    ))

and routes its list URL to the engine's view with its key::

    path("cases/", case_list, {"process_key": "toy"}, name="case_list")

The cases are the process's scoped selector's (`CaseList.queryset(user)`,
by default the declaration's `selector`): a user sees only their branch.
Every value a column shows must come from the rows the queryset selects
(`select_related`), so the page costs the same number of queries whatever
its rows. A filter value outside its choices is ignored, not an error."""

from dataclasses import dataclass
from typing import Any, Callable, Optional

from django.db.models import Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    """One column: `value(case)` is what the cell shows and what the
    workbook writes (a text, number, date or datetime; None shows "—").
    `link`: the value links to the case's page. `note(case)`: a muted line
    under the value. `badge(case)`: the value is a badge of this CSS class
    (a state). `badges(case)`: more badges after the value, [(CSS class,
    label)] or [(CSS class, label, tooltip)]. `excel(case)`: the workbook's
    value when it differs from the page's."""

    label: Any
    value: Callable[[Any], Any]
    link: bool = False
    note: Optional[Callable[[Any], Any]] = None
    badge: Optional[Callable[[Any], str]] = None
    badges: Optional[Callable[[Any], list]] = None
    excel: Optional[Callable[[Any], Any]] = None
    url: Optional[Callable[[Any], str]] = None


def StateColumn(label=None, badges=None):  # noqa: N802 - reads as a kind of Column
    """The case's state, as the declaration's model names it, in a badge of
    the state's class (the style sheet colours each state)."""
    return Column(label or _("Status"), lambda case: case.get_state_display(), badge=lambda case: case.state,
                  badges=badges)


@dataclass(frozen=True)
class Search:
    """A free-text search: any of `fields` contains the words typed."""

    fields: tuple
    label: Any = _("Search")
    name: str = "q"
    placeholder: Any = ""
    kind = "search"

    def choices(self, user, process):
        return None

    def apply(self, qs, value):
        query = Q()
        for field_name in self.fields:
            query |= Q(**{f"{field_name}__icontains": value})
        return qs.filter(query)


@dataclass(frozen=True)
class Choice:
    """A choice among `choices(user)`, [(value, label)] (an organisation, a
    campaign, a round, a kind): the cases whose `lookup` equals the value."""

    name: str
    label: Any
    choices_of: Callable[[Any], Any]
    lookup: str = ""
    kind = "select"

    def choices(self, user, process):
        return [(str(value), label) for value, label in self.choices_of(user)]

    def apply(self, qs, value):
        return qs.filter(**{self.lookup or self.name: value})


@dataclass(frozen=True)
class StateFilter:
    """The case's state, its choices the states of the process's model
    with their names (a state no case of the process can take is none)."""

    label: Any = _("Status")
    name: str = "state"
    kind = "select"

    def choices(self, user, process):
        field = process.get_model()._meta.get_field("state")
        return [(str(value), label) for value, label in field.choices]

    def apply(self, qs, value):
        return qs.filter(state=value)


@dataclass(frozen=True)
class Year:
    """A year typed in: the cases whose `lookup` (a year field or
    `<date>__year`) is that year."""

    lookup: str = "year"
    label: Any = _("Year")
    name: str = "year"
    kind = "year"

    def choices(self, user, process):
        return None

    def apply(self, qs, value):
        # isdigit() alone lets "²" through, which int() refuses (a 500, not an ignored filter).
        if value.isascii() and value.isdigit() and len(value) <= 4:
            return qs.filter(**{self.lookup: int(value)})
        return qs


@dataclass(frozen=True)
class Before:
    """A day picked: the rows whose `lookup` (a date field) is on or
    before it (due by then)."""

    lookup: str
    label: Any
    name: str = "before"
    kind = "date"

    def choices(self, user, process):
        return None

    def apply(self, qs, value):
        import datetime

        try:
            return qs.filter(**{f"{self.lookup}__lte": datetime.date.fromisoformat(value)})
        except ValueError:
            return qs


@dataclass(frozen=True)
class Select:
    """Rows ticked for an action on them all: a box per row (named `name`,
    its value the row's pk, labelled by `label_of(row)`) and a button
    posting the ticked rows to `action` (a URL name), shown to those
    `visible(request)` lets act."""

    name: str
    action: str
    button: Any
    label_of: Callable[[Any], Any] = str
    visible: Callable[[Any], bool] = lambda request: True


@dataclass(frozen=True)
class Flag:
    """A box to tick: `apply(qs)` keeps the cases it stands for (e.g.
    overdue ones)."""

    name: str
    label: Any
    keep: Callable[[Any], Any] = None
    kind = "flag"

    def choices(self, user, process):
        return None

    def apply(self, qs, value):
        return self.keep(qs)


@dataclass(frozen=True)
class CaseList:
    """What a process's list page shows. `queryset(user)`: the cases the
    user may see (default: the declaration's `selector`), with what the
    columns read selected in. `header`: a process template included above
    the filters (its links and panels), given `header_context(request)`.
    `page_size`: rows per page. `export_name`: the workbook's file name
    (default: the title); `export(rows)`: the workbook's response where the
    list has one of its own (a register's sheet with more columns than the
    page). `select`: rows ticked for an action (`Select`). A list of rows
    that are not a process's cases (a register) is registered under a key
    of its own and gives `queryset`."""

    title: Any
    columns: tuple
    filters: tuple = ()
    ordering: tuple = ("-pk",)
    queryset: Optional[Callable[[Any], Any]] = None
    header: str = ""
    header_context: Optional[Callable[[Any], dict]] = None
    empty: Any = _("No case matches.")
    page_size: int = 25
    export_name: Any = None
    export: Optional[Callable[[Any], Any]] = None
    select: Optional[Select] = None


_LISTS = {}


def register_case_list(process_key, case_list):
    _LISTS[process_key] = case_list


def case_list_of(process_key):
    """The registered CaseList of the process, or KeyError."""
    return _LISTS[process_key]


class FilterValues:
    """The filters as the page shows them: each with its current value and
    its choices, and the values that took effect."""

    def __init__(self, spec, process, user, params):
        self.fields = []
        self.applied = {}
        for f in spec.filters:
            value = (params.get(f.name) or "").strip()
            choices = f.choices(user, process)
            if choices is not None and value not in {v for v, _label in choices}:
                value = ""
            if value:
                self.applied[f.name] = value
            self.fields.append({"filter": f, "value": value, "choices": choices or ()})

    def apply(self, spec, qs):
        for f in spec.filters:
            if f.name in self.applied:
                qs = f.apply(qs, self.applied[f.name])
        return qs


def cases_of(spec, process, user):
    selector = spec.queryset or process.selector
    return selector(user)


def list_process(key):
    """The process whose list `key` is, or None for a register of rows
    that are no process's cases."""
    from workflows.steps.registry import process_named

    try:
        return process_named(key)
    except KeyError:
        return None


def filtered_cases(process_key, user, params):
    """(filters, cases) of the list for the query `params`: the user's
    visible cases, filtered, in the list's order. The page, its workbook
    and the JSON API list through here."""
    from workflows.steps.registry import process_named

    spec = case_list_of(process_key)
    process = process_named(process_key) if spec.queryset is None else list_process(process_key)
    values = FilterValues(spec, process, user, params)
    return values, values.apply(spec, cases_of(spec, process, user)).order_by(*spec.ordering)
