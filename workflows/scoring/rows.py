"""A filled-in scoring sheet stored as one row per item of the standard's
version (a self-assessment, an inspector's scores): any process's sheet
model with `item`, `score`, `veto_applies` and a text field (the evidence,
or an inspector's note). Writing and reading them, and the values typed on
a sheet that came back with errors (the server's totals on the re-shown
form), are the same for every process."""

from workflows.scoring.sheet import parse_points, section_totals


def write_rows(model, owner_field, owner, items, given, *, text_field="evidence", text_max=None):
    """Save `given` ({item id: {"score", "veto", "evidence"}}, as
    SheetForm.answers() gives it) on `owner`'s rows of `model`, one per
    item of `items` given; rows of items not given stay as they are."""
    existing = {row.item_id: row for row in model.objects.filter(**{owner_field: owner})}
    new, changed = [], []
    for item in items:
        answer = given.get(item.pk)
        if answer is None:
            continue
        row = existing.get(item.pk) or model(**{owner_field: owner, "item": item})
        text = answer.get("evidence") or ""
        row.score, row.veto_applies = answer.get("score"), answer.get("veto")
        setattr(row, text_field, text[:text_max] if text_max else text)
        (changed if row.pk else new).append(row)
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, ["score", "veto_applies", text_field])


def read_rows(rows, text_field="evidence"):
    """(values, vetoes, texts) of stored rows, each {item id: ...}: what the
    sheet's totals and checks (workflows.scoring.sheet) read."""
    rows = list(rows)
    return ({r.item_id: r.score for r in rows}, {r.item_id: r.veto_applies for r in rows},
            {r.item_id: getattr(r, text_field) for r in rows})


def typed_values(form):
    """The scores typed on a bound SheetForm that parse ({item id: Decimal
    or None}), for the totals of a sheet shown again after an error."""
    values = {}
    for item in form.items:
        try:
            values[item.pk] = parse_points(form.data.get(f"score_{item.pk}", ""))
        except ValueError:
            values[item.pk] = None
    return values


def read_sections(items, values, vetoes, texts):
    """The sheet as its page reads it: per section its total and maximum,
    and per item the value, the veto answer and the text given."""
    return [{"section": s.section, "total": s.total, "max": s.max_points,
             "rows": [{"item": i, "value": v, "veto": vetoes.get(i.pk), "evidence": texts.get(i.pk, "")}
                      for i, v in s.rows]}
            for s in section_totals(items, values)]


def label_attachments(attachments, items):
    """The case's evidence files, each labelled with the code of the item
    it backs (SheetForm files carry the item's id as their `kind`)."""
    codes = {str(item.pk): item.code for item in items}
    attachments = list(attachments)
    for attachment in attachments:
        attachment.label = codes.get(attachment.kind, "")
    return attachments
