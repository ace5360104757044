"""An upload handler that stops keeping a file part once it passes
UPLOAD_MAX_BYTES, for every form of the site (settings.FILE_UPLOAD_HANDLERS).

Past the cap, the part's remaining bytes are counted and dropped as they
arrive: they never reach memory or a temporary file. The form then receives
an empty stand-in that reports the size sent, so workflows.documents.uploads.check_upload
refuses it with its usual message (“… is 300 MB; files may be at most 20 MB”)
and the form is shown again with what was typed."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizeUpload(SimpleUploadedFile):
    """A file part that was too large: no content, its size as sent."""

    def __init__(self, name, content_type, size):
        super().__init__(name, b"", content_type)
        self.size = size
        self.oversize = True


class CappedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes chunks on to the memory and
    temporary-file handlers up to the cap, swallows the rest."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = settings.UPLOAD_MAX_BYTES

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the handlers after this one never see it
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizeUpload(self.file_name, self.content_type, self.received)
        return None  # the next handler builds the file
