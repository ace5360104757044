"""Deployment checks: the app refuses to start on settings that would be
unsafe in production, and says exactly what to set.

They run with every management command (`manage.py check`, `migrate`,
`runserver`, the workers) and in config/wsgi.py before gunicorn serves."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# A real key: as long and as varied as Django's own deploy check asks.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
HOW_TO_MAKE_A_KEY = (
    "Set SECRET_KEY (or SECRET_KEY_FILE, a file holding it) to a long random value, e.g. the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`; on a developer's machine use `make run`, "
    "or set UNIONFLOW_ENV=development."
)


def secret_key_problem():
    """Why SECRET_KEY is not fit to serve with, or "" when it is."""
    if getattr(settings, "UNIONFLOW_SECRET_KEY_MISSING", False):
        return "SECRET_KEY is not set."
    key = settings.SECRET_KEY
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith("django-insecure-")
    ):
        return f"SECRET_KEY is too weak (at least {SECRET_KEY_MIN_LENGTH} varied characters)."
    return ""


@register(Tags.security)
def check_secret_key(app_configs, **kwargs):
    if settings.DEVELOPMENT:
        return []  # a developer's explicit choice; make run gives a key anyway
    problem = secret_key_problem()
    if not problem:
        return []
    return [Error(problem + " This is a production configuration, so UnionFlow will not start.", hint=HOW_TO_MAKE_A_KEY, id="unionflow.E001")]


@register(Tags.security)
def check_debug_only_in_development(app_configs, **kwargs):
    """DEBUG shows settings and tracebacks to anyone: it must never be one
    variable away on a server. config.settings already ignores it outside
    development; refusing to start says so instead of silently ignoring."""
    if settings.DEVELOPMENT or not getattr(settings, "UNIONFLOW_DEBUG_REQUESTED", False):
        return []
    return [
        Error(
            "DEBUG is set, but UNIONFLOW_ENV is not 'development': this is a production configuration, "
            "so UnionFlow will not start with DEBUG on.",
            hint="Remove DEBUG from the server's environment. On a developer's machine set UNIONFLOW_ENV=development "
            "as well (`make run DEBUG=1` does).",
            id="unionflow.E004",
        )
    ]


@register(Tags.security)
def check_allowed_hosts(app_configs, **kwargs):
    if settings.DEVELOPMENT:
        return []
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts or "*" in hosts:
        return [
            Error(
                "ALLOWED_HOSTS is %s in a production configuration." % ("empty" if not hosts else "'*'"),
                hint="Set ALLOWED_HOSTS to the host names the site is reached by, comma-separated "
                "(e.g. ALLOWED_HOSTS=unionflow.example.gov.cn), or UNIONFLOW_ENV=development on a developer's machine.",
                id="unionflow.E002",
            )
        ]
    return []


@register(Tags.security)
def check_site_url(app_configs, **kwargs):
    """The address printed in QR codes and sent in messages: in production
    it must be said, never guessed (a wrong one prints certificates whose
    codes lead nowhere)."""
    if settings.DEVELOPMENT:
        return []
    from urllib.parse import urlsplit

    if getattr(settings, "UNIONFLOW_SITE_URL_MISSING", False):
        problem = "SITE_URL is not set in a production configuration."
    else:
        parts = urlsplit(settings.SITE_URL)
        if parts.scheme in ("http", "https") and parts.netloc:
            return []
        problem = f"SITE_URL is {settings.SITE_URL!r}, which is not an http(s) address."
    return [Error(problem, hint="Set SITE_URL to the address people reach the site at, e.g. "
                  "https://unionflow.example.gov.cn (links in QR codes, voting slips and messages use it).",
                  id="unionflow.E005")]


@register(Tags.security)
def check_admin_networks(app_configs, **kwargs):
    errors = []
    for value in settings.UNIONFLOW_ADMIN_ALLOWED_NETWORKS:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"UNIONFLOW_ADMIN_ALLOWED_NETWORKS holds {value!r}, which is not a network.",
                    hint="Give comma-separated addresses or CIDR networks, e.g. 10.1.0.0/16,192.168.5.7.",
                    id="unionflow.E003",
                )
            )
    return errors


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    if settings.DEVELOPMENT or settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is not set: rate limits are counted per worker process, so a client gets "
            "as many tries as there are workers.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/1) so every worker shares one cache.",
            id="unionflow.W001",
        )
    ]


def refuse_to_serve_unsafe_settings():
    """Raise ImproperlyConfigured if a check above finds an error: called by
    config/wsgi.py, since a WSGI server runs no system checks itself."""
    from django.core.checks import run_checks
    from django.core.exceptions import ImproperlyConfigured

    errors = [m for m in run_checks(tags=[Tags.security]) if m.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{e.id}: {e.msg} {e.hint or ''}" for e in errors))
