"""Form fields for attachments. A file is checked by size and content
(workflows.documents.uploads) in the form's clean, before anything is
written to disk; the clean upload carries `checked_content_type`, what its
content showed it to be (never the browser's word)."""

from django import forms
from django.core.exceptions import ValidationError

from workflows.documents.uploads import check_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentField(forms.FileField):
    """One file, checked."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size"):
            upload.checked_content_type = check_upload(upload)
        return upload


class MultipleAttachmentField(AttachmentField):
    """Several files in one input, each checked; cleans to a list (empty
    when none). Every refused file is named, not only the first."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not items:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        self.check_count(items)
        uploads, errors = [], []
        for item in items:
            try:
                uploads.append(self.clean_one(item, initial))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return uploads

    def check_count(self, items):
        """Refuse too many files before any is read (no most here)."""

    def clean_one(self, item, initial=None):
        return super().clean(item, initial)


def attachment_field_names(form):
    return [name for name, field in form.fields.items() if isinstance(field, AttachmentField)]


def cleaned_uploads(form, name):
    """The checked uploads of field `name` as a list (a single file field
    gives one or none)."""
    value = form.cleaned_data.get(name)
    if not value:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
