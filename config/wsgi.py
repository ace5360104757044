import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A WSGI server runs no system checks: refuse to serve without a real
# SECRET_KEY and ALLOWED_HOSTS (config.checks) rather than start unsafe.
from config.checks import refuse_to_serve_unsafe_settings  # noqa: E402

refuse_to_serve_unsafe_settings()

# Move everything loaded so far (Django, the apps, the URLconf and the views
# it imports) out of the garbage collector's sight: a worker otherwise walks
# those ~150,000 long-lived objects in every full collection, some 40-80 ms
# of CPU that lands on whichever request happens to trigger it, most often
# a page that builds many objects at once (the inbox), and shows as its
# tail under load. Objects made later are collected as before.
import gc  # noqa: E402

from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # import the views now, not in a worker's first request
gc.freeze()
