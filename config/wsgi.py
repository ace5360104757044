import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A WSGI server runs no system checks: refuse to serve without a real
# SECRET_KEY and ALLOWED_HOSTS (config.checks) rather than start unsafe.
from config.checks import refuse_to_serve_unsafe_settings  # noqa: E402

refuse_to_serve_unsafe_settings()
