"""Used by the migrations that moved a process's own attachment table into
the engine's (workflows.Attachment): every row is copied with its stored
file name unchanged (no file moves on disk) and its old id kept as
`legacy_id`, so old download links and revision snapshots still find it.
Historical models only; keep this stable, migrations call it."""


def _case_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def copy_to_engine(apps, *, old_model, case_field, case_model, kind_of=lambda row: ""):
    """Copy every row of `old_model` ("app.Model"), whose case is its FK
    `case_field` to `case_model` ("app.model"); returns {old id: new id}."""
    Old = apps.get_model(*old_model.split("."))
    Attachment = apps.get_model("workflows", "Attachment")
    case_type = _case_type(apps, *case_model.lower().split("."))
    mapping = {}
    for row in Old.objects.order_by("pk").iterator():
        new = Attachment.objects.create(
            case_type=case_type, case_id=getattr(row, f"{case_field}_id"), kind=kind_of(row)[:50],
            file=row.file.name, original_name=row.original_name, content_type=row.content_type or "",
            size=row.size or 0, uploaded_by_id=row.uploaded_by_id, uploaded_at=row.created, legacy_id=row.pk,
        )
        mapping[row.pk] = new.pk
    return mapping


def copy_back(apps, *, old_model, case_field, case_model, fill=lambda row: {}):
    """The reverse: the engine's rows of `case_model` back into `old_model`
    (under their old ids where they had one), then removed from the engine."""
    Old = apps.get_model(*old_model.split("."))
    Attachment = apps.get_model("workflows", "Attachment")
    case_type = _case_type(apps, *case_model.lower().split("."))
    rows = Attachment.objects.filter(case_type=case_type).order_by("pk")
    mapping = {}
    for row in rows.iterator():
        values = {f"{case_field}_id": row.case_id, "file": row.file.name, "original_name": row.original_name,
                  "content_type": row.content_type, "size": row.size, "uploaded_by_id": row.uploaded_by_id,
                  "created": row.uploaded_at, **fill(row)}
        if row.legacy_id:
            values["pk"] = row.legacy_id
        old = Old.objects.create(**values)
        mapping[row.pk] = old.pk
    rows.delete()
    return mapping
