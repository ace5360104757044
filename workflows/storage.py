from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    """Where uploads and issued documents live: outside MEDIA_ROOT, served
    only by views that check access."""
    return FileSystemStorage(location=settings.PRIVATE_STORAGE_ROOT)
