import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Uploads and issued documents: outside MEDIA_ROOT, served only by
    views that check access. The root is read from PRIVATE_STORAGE_ROOT at
    each use (the field's storage is made once, at import), so a changed
    setting — a test's temporary folder — is obeyed."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage():
    return PrivateStorage()
