"""A public notice (公示) as printed and posted: its candidates in tables,
one per group (an award, a category), with the fields the notice published
(copied when it opened; never an ID number or a phone, which `publishable`
refuses again here), its window in working days and its first and last
days. The process says which columns it prints and under which heading,
the printed words of its stored choices, how its cases group and the
template with its own wording."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from workflows.models import NoticeOutcome, NoticeStatus
from workflows.notices.opening import notices_of
from workflows.notices.services import publishable

from . import pdf_cache
from .rendering import render_html

# Entries still on the notice (as its public page lists them): not those
# rejected on an upheld objection or withdrawn from it.
PRINTED_OUTCOMES = (NoticeOutcome.PENDING, NoticeOutcome.NO_OBJECTION, NoticeOutcome.DISMISSED)


def notice_to_print(scope):
    """The round's notice running now, else its latest one; None before the
    first opens."""
    return notices_of(scope).filter(status=NoticeStatus.OPEN).first() or notices_of(scope).first()


def notice_pdf_response(request, scope, html_of, filename):
    """The PDF of the round's notice to print, from `html_of(notice)`
    (rendered once per content); before any notice opened, back to the
    round's page with a message. The caller checked the reader's right."""
    notice = notice_to_print(scope)
    if notice is None:
        messages.error(request, _("No public notice has been opened for this campaign yet."))
        return redirect(scope.get_absolute_url())
    return pdf_cache.pdf_response(request, html_of(notice), filename)


def notice_tables(notice, *, model, group_field, groups, columns, values=None, columns_of=None, joined=None):
    """The notice's entries of `model`, grouped by the case's `group_field`
    in the order of `groups` ({value: title}; others last), each group in
    the notice's order: [{kind, title, count, columns: [(field, label)],
    rows: [[(field, value)]]}].

    Only the fields the notice published that `columns` ({field: label})
    prints, in the order they were chosen; the group's field is its title,
    not a column. `values`: {field: {stored: printed}}. `columns_of(group,
    fields)`: the fields a group prints (a unit has no gender). `joined`:
    (field, second, label), the second field's value printed in the first
    one's column after a full-width space, under `label`."""
    values = values or {}
    fields = [f for f in notice.published_fields if f in columns and f != group_field and publishable(f)]
    joined = joined if joined and joined[0] in fields and joined[1] in fields else None
    if joined:
        fields.remove(joined[1])
    entries = list(notice.entries.filter(content_type=ContentType.objects.get_for_model(model),
                                         outcome__in=PRINTED_OUTCOMES).order_by("position", "pk"))
    keys = dict(model.objects.filter(pk__in=[e.object_id for e in entries]).values_list("pk", group_field))
    tables = {}
    for entry in entries:
        key = keys.get(entry.object_id, "")
        shown = columns_of(key, fields) if columns_of else fields
        table = tables.setdefault(key, {
            "kind": key, "title": groups.get(key, ""), "count": 0, "rows": [],
            "columns": [(f, joined[2] if joined and f == joined[0] else columns[f]) for f in shown],
        })
        row = []
        for field in shown:
            value = entry.published.get(field)
            value = values.get(field, {}).get(value, value)
            value = "" if value is None else str(value)
            if joined and field == joined[0] and entry.published.get(joined[1]):
                value = f"{value}　{entry.published[joined[1]]}".strip()
            row.append((field, value))
        table["rows"].append(row)
        table["count"] += 1
    order = {key: i for i, key in enumerate(groups)}
    return sorted(tables.values(), key=lambda t: order.get(t["kind"], len(order)))


def notice_html(notice, template, tables, **context):
    """The notice's HTML from the process's `template`: its tables, window
    and dates. Wide tables (more than five columns) print on landscape
    pages."""
    wide = any(len(table["columns"]) > 5 for table in tables)
    return render_html(template, {
        "notice": notice, "groups": tables, "days": notice.window_days, "opened_on": notice.opened_on,
        "closes_on": notice.closes_on, **context,
    }, size="A4", orientation="landscape" if wide else "portrait")
