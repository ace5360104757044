"""The form field every Excel import is uploaded through: size and content
checked before anything reads the file (an .xlsx is a zip holding
xl/workbook.xml); the importer then reads it with `xlsx_import`."""

import io
import zipfile

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class XlsxField(forms.FileField):
    """An uploaded workbook, at most `max_bytes` (the site's upload limit by
    default); cleaned to the upload, rewound."""

    def __init__(self, *args, max_bytes=None, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        limit = min(settings.UPLOAD_MAX_BYTES, self.max_bytes or settings.UPLOAD_MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(_("The file is %(size)s; at most %(limit)s.")
                                        % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as zf:
                if "xl/workbook.xml" not in zf.namelist():
                    raise zipfile.BadZipFile
        except zipfile.BadZipFile:
            raise forms.ValidationError(_("The file is not an Excel workbook (.xlsx).")) from None
        finally:
            upload.seek(0)
        return upload
