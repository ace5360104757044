"""The report kinds' fields become forms described as data on the engine's
palette (workflows.dataforms): each field's `name` becomes its `key` and its
type the palette's kind (text → text of at most 500, textarea → long_text
of at most 10000, decimal → money, integer → number from 0 to 1,000,000,
date → date, items → items). The reports' stored values keep their shape
(amounts as strings to the fen, dates ISO, rows of item / amount / note);
amounts are put to the fen where a report kept one otherwise, nothing
else is touched, and nothing is dropped. Reversible: the kinds go back to
their schema, the values stay as they are (they read the same)."""

from decimal import Decimal, InvalidOperation

from django.db import migrations

TO_PALETTE = {"text": ("text", {"max_length": 500}), "textarea": ("long_text", {"max_length": 10000}),
              "decimal": ("money", {}), "integer": ("number", {"min": 0, "max": 1000000}),
              "date": ("date", {}), "items": ("items", {})}
FROM_PALETTE = {kind: old for old, (kind, _options) in TO_PALETTE.items()}


def _fen(value):
    if value in (None, "") or not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    return f"{number:.2f}" if number.is_finite() else value


def to_fields(apps, schema_editor):
    ReportKind = apps.get_model("congress", "ReportKind")
    Report = apps.get_model("congress", "Report")
    for kind in ReportKind.objects.all():
        fields = []
        for spec in kind.fields:
            palette_type, options = TO_PALETTE[spec.get("type", "text")]
            field = {"key": spec["name"], "type": palette_type, "label": spec.get("label", spec["name"]),
                     "required": bool(spec.get("required")), **options}
            if spec.get("help"):
                field["help"] = spec["help"]
            fields.append(field)
        kind.fields = fields
        kind.save(update_fields=["fields"])
    money = {k.pk: ({f["key"] for f in k.fields if f["type"] == "money"},
                    {f["key"] for f in k.fields if f["type"] == "items"}) for k in ReportKind.objects.all()}
    for report in Report.objects.exclude(data={}).iterator():
        amounts, lists = money[report.kind_id]
        data = dict(report.data)
        for key in amounts & set(data):
            data[key] = _fen(data[key])
        for key in lists & set(data):
            if isinstance(data[key], list):
                data[key] = [{**row, "amount": _fen(row.get("amount"))} if isinstance(row, dict) else row
                             for row in data[key]]
        if data != report.data:
            report.data = data
            report.save(update_fields=["data"])


def to_schema(apps, schema_editor):
    ReportKind = apps.get_model("congress", "ReportKind")
    for kind in ReportKind.objects.all():
        kind.fields = [{"name": f["key"], "label": f["label"], "type": FROM_PALETTE.get(f["type"], "text"),
                        "required": bool(f.get("required")), **({"help": f["help"]} if f.get("help") else {})}
                       for f in kind.fields]
        kind.save(update_fields=["fields"])


class Migration(migrations.Migration):
    dependencies = [("congress", "0007_merge_facts_per_year_and_attachments")]

    operations = [
        migrations.RenameField("reportkind", "schema", "fields"),
        migrations.RunPython(to_fields, to_schema),
    ]
