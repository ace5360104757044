"""Two plain listing pages every process draws the same way, their rows the
cells of lists.Column (the table part, templates/workflows/pages/_table.html):
the rounds a user may see (campaigns, years), paged, with the process's
links above; and a round's cases grouped by a category and by organisation
(an award list), with its downloads."""

from django.core.paginator import Paginator
from django.shortcuts import render

from workflows.cases.list_views import table_row


def round_list_page(request, rounds, *, title, columns, empty, links=(), page_size=25, count=False, header="",
                    header_context=None):
    """`rounds` paged under `title`; `links`: [(url, text)] above them (open one);
    `count`: how many there are, beside the title; `header`: a template of
    the process's drawn under the title (its navigation, a panel), given
    `header_context`."""
    page = Paginator(rounds, page_size).get_page(request.GET.get("page"))
    return render(request, "workflows/pages/round_list.html", {
        **(header_context or {}), "header": header,
        "title": title, "links": links, "columns": columns, "page_obj": page, "empty": empty, "count": count,
        "rows": [table_row(columns, r) for r in page.object_list],
    })


def grouped_by(cases, *, field, order, label, name=str, row=lambda case: case):
    """[{field: value, label, count, organisations: [{organisation, rows: [row(case)]}]}]:
    the groups of `field` in `order` (its values), organisations in tree
    order, cases by `name(case)` within. The page's and
    the paper's list alike."""
    position = {value: i for i, value in enumerate(order)}
    groups = []
    for case in sorted(cases, key=lambda c: (position.get(getattr(c, field), 99), c.organisation.path, name(c), c.pk)):
        value = getattr(case, field)
        if not groups or groups[-1][field] != value:
            groups.append({field: value, "label": label(value), "organisations": [], "count": 0})
        blocks = groups[-1]["organisations"]
        if not blocks or blocks[-1]["organisation"].pk != case.organisation_id:
            blocks.append({"organisation": case.organisation, "rows": []})
        blocks[-1]["rows"].append(row(case))
        groups[-1]["count"] += 1
    return groups


def grouped_list_page(request, groups, *, title, back, columns, empty, links=()):
    """`groups` (grouped_by) as tables of `columns` under `title`; `back`:
    (url, text) of the round; `links`: [(url, text)], the first the main one."""
    for group in groups:
        for block in group["organisations"]:
            block["table"] = [table_row(columns, case) for case in block["rows"]]
    return render(request, "workflows/pages/grouped_list.html", {
        "title": title, "back": back, "links": links, "columns": columns, "groups": groups, "empty": empty,
    })
