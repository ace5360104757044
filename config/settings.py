"""UnionFlow settings: one module, driven by the environment.

Every deploy-specific value comes from an environment variable. The defaults
fail closed: without `UNIONFLOW_ENV=development` this is a production
configuration (DEBUG off, HTTPS only, secure cookies) and `config.checks`
refuses to start without a real SECRET_KEY and ALLOWED_HOSTS. `make run`
sets the development configuration explicitly (see Makefile).
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "production" (the default) or "development" (`make run` sets it): only the
# latter relaxes HTTPS and cookie security and accepts local hosts by default.
UNIONFLOW_ENV = os.environ.get("UNIONFLOW_ENV", "production").strip().lower()
DEVELOPMENT = UNIONFLOW_ENV == "development"
# DEBUG is honoured only together with UNIONFLOW_ENV=development: on its own
# it would not relax anything (a production configuration stays one), and
# config.checks refuses to start with it, so that a stray DEBUG=1 on a server
# is an error at start-up rather than debug pages showing settings.
UNIONFLOW_DEBUG_REQUESTED = env_bool("DEBUG", False)
DEBUG = UNIONFLOW_DEBUG_REQUESTED and DEVELOPMENT


def _secret_key():
    """SECRET_KEY from the environment, else from the file SECRET_KEY_FILE
    names (a container secret, or var/ for `make run`). None when neither
    is given: a random key then lets the settings load (tests, commands)
    but config.checks refuses to run the app with it in a production
    configuration."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = os.environ.get("SECRET_KEY_FILE")
    if path and Path(path).is_file():
        return Path(path).read_text().strip() or None
    return None


SECRET_KEY = _secret_key()
UNIONFLOW_SECRET_KEY_MISSING = SECRET_KEY is None
if SECRET_KEY is None:
    SECRET_KEY = "unset-" + secrets.token_urlsafe(50)
# Earlier keys (comma-separated) still accepted after a rotation: sessions,
# signed links and the sealed notification-channel secrets stay readable.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEVELOPMENT else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Reverse proxies in front of the app that append to X-Forwarded-For (0: none).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# The address the site is reached at, for links that leave the page: QR codes
# on certificates and voting slips, e-mail and channel messages. Required in
# production (config.checks refuses to start without it); in development
# `make run` sets it from HOST and PORT, so `make run PORT=8101` prints
# links to :8101 from the server, the worker and the scheduler alike.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
UNIONFLOW_SITE_URL_MISSING = not SITE_URL
if not SITE_URL:
    SITE_URL = "http://127.0.0.1:" + os.environ.get("PORT", "8000")

INSTALLED_APPS = [
    # Before staticfiles: runserver serves static files through WhiteNoise
    # too, as production does.
    "whitenoise.runserver_nostatic",
    "config.apps.UnionFlowConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "config.apps.StaticFilesConfig",
    "django.contrib.humanize",
    "viewflow",
    "viewflow.workflow",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The second factor (TOTP and recovery codes: workflows.security) and
    # the CAS client's session tickets (sign-on; off unless configured).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_cas_ng",
    "workflows",
    "awards",
    "awards.modelhome",
    "awards.kinds",
    "evaluations",
    "evaluations.cadres",
    "evaluations.congress",
    # The demo of all processes (seed_demo, grow_demo): it imports them all.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.AdminNetworkMiddleware",
    # Before anything reads a request body (sessions may not, CSRF does):
    # rate limits and the body cap answer without touching it.
    "workflows.security.ratelimit.RateLimitMiddleware",
    # Django's, writing the session only when changed or its expiry is due
    # to move on (config.sessions): not on every request.
    "config.sessions.IdleExpirySessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle logout and the absolute session age (等保), before anything
    # acts on the user (after messages: it says why you were logged out).
    "workflows.security.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workflows.middleware.AlreadyHandledMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
    "workflows.organisations.passwords.PasswordChangeRequiredMiddleware",
    # Once enrolled (or where a role requires it): no page without the
    # second factor.
    "workflows.security.second_factor.SecondFactorRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workflows.context_processors.header",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'unionflow.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The web server and the db_worker write at the same time. IMMEDIATE
    # transactions take the write lock up front, so a writer waits (up to
    # `timeout` seconds) instead of failing with "database is locked" when a
    # read transaction tries to upgrade; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out address or account is refused before a password
    # is even checked. It needs the request: log in through django.contrib.auth's
    # authenticate(request, ...) (the login view does).
    "axes.backends.AxesStandaloneBackend",
    # Local passwords: unless UNIONFLOW_LOCAL_PASSWORDS turns them off.
    "workflows.security.signon_backends.LocalPasswordBackend",
    # The union's identity service (OIDC, CAS): inert unless enabled below;
    # they only ever find an existing, linked account.
    "workflows.security.signon_backends.OIDCBackend",
    "workflows.security.signon_backends.CASBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Existing PBKDF2 hashes still verify and are upgraded at the next login.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Shared office PCs: a session ends with the browser, and after a working
# day without a request (each request moves the deadline on: the session
# is written again when its expiry was last moved on a minute or more ago,
# config.sessions, not on every request).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = False
UNIONFLOW_SESSION_REFRESH_SECONDS = int(os.environ.get("UNIONFLOW_SESSION_REFRESH_SECONDS", "60"))
# 等保: a session ends after UNIONFLOW_IDLE_TIMEOUT_SECONDS without a request
# (30 minutes) and UNIONFLOW_SESSION_MAX_SECONDS after the login however
# active (12 hours); workflows.security.sessions enforces both.
UNIONFLOW_IDLE_TIMEOUT_SECONDS = int(os.environ.get("UNIONFLOW_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
UNIONFLOW_SESSION_MAX_SECONDS = int(os.environ.get("UNIONFLOW_SESSION_MAX_SECONDS", str(12 * 3600)))
# Audit records are kept at least this many days (等保 level 3: six months);
# `manage.py check_integrity` flags a value under 180 and missing entries.
UNIONFLOW_AUDIT_RETENTION_DAYS = int(os.environ.get("UNIONFLOW_AUDIT_RETENTION_DAYS", "180"))
# The second factor (django-otp TOTP, recovery codes): required for the
# roles that register it (workflows.organisations.roles), enrolment forced
# at their next login; once enrolled, anyone must pass it. Off only where a
# deployment has another factor in front (and in the test suite's fixtures).
UNIONFLOW_SECOND_FACTOR = env_bool("UNIONFLOW_SECOND_FACTOR", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "UnionFlow")
# Local user names and passwords; off: only the identity service signs on
# (superusers keep their password, to repair a broken sign-on).
UNIONFLOW_LOCAL_PASSWORDS = env_bool("UNIONFLOW_LOCAL_PASSWORDS", True)
# Sign-on through the union's identity service: OIDC (mozilla-django-oidc).
# Off unless UNIONFLOW_OIDC=1 and the provider's endpoints are given.
UNIONFLOW_OIDC = env_bool("UNIONFLOW_OIDC", False)
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/login/refused/"
# A verified claim that names an existing account by its user name (e.g.
# "preferred_username" or the employee-number claim the service issues),
# which links the subject at its first sign-on; empty: only a district
# administrator links accounts.
UNIONFLOW_OIDC_MATCH_CLAIM = os.environ.get("UNIONFLOW_OIDC_MATCH_CLAIM", "")
# CAS (django-cas-ng) where a province uses it: off unless UNIONFLOW_CAS=1.
UNIONFLOW_CAS = env_bool("UNIONFLOW_CAS", False)
CAS_SERVER_URL = os.environ.get("CAS_SERVER_URL", "")
CAS_VERSION = os.environ.get("CAS_VERSION", "3")
CAS_CREATE_USER = False
CAS_REDIRECT_URL = "/"
# The CAS attribute that names an existing account (as the OIDC claim
# above); empty: only a district administrator links accounts.
UNIONFLOW_CAS_MATCH_ATTRIBUTE = os.environ.get("UNIONFLOW_CAS_MATCH_ATTRIBUTE", "")
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one
# user name from one address, that pair is locked out for AXES_COOLOFF_TIME
# minutes; config.lockout says so.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "config.lockout.client_username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client address as workflows.middleware.client_ip reads it (the
# documented TRUSTED_PROXY_COUNT), not axes' own guess; an IPv6 address
# counted by its /64 network.
AXES_CLIENT_IP_CALLABLE = "config.login_lockouts.client_address"
# Wider lockouts (config.login_lockouts), counted on axes' failure log: an
# account after UNIONFLOW_ACCOUNT_FAILURE_LIMIT failures from any addresses
# within UNIONFLOW_ACCOUNT_LOCKOUT_MINUTES (locked as long; its holder and
# the district administrator are told), an address after failing on
# UNIONFLOW_ADDRESS_ACCOUNT_LIMIT different accounts within
# UNIONFLOW_ADDRESS_LOCKOUT_MINUTES (locked as long).
AXES_HANDLER = "config.login_lockouts.LockoutHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
UNIONFLOW_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("UNIONFLOW_ACCOUNT_FAILURE_LIMIT", "20"))
UNIONFLOW_ACCOUNT_LOCKOUT_MINUTES = int(os.environ.get("UNIONFLOW_ACCOUNT_LOCKOUT_MINUTES", "60"))
UNIONFLOW_ADDRESS_ACCOUNT_LIMIT = int(os.environ.get("UNIONFLOW_ADDRESS_ACCOUNT_LIMIT", "10"))
UNIONFLOW_ADDRESS_LOCKOUT_MINUTES = int(os.environ.get("UNIONFLOW_ADDRESS_LOCKOUT_MINUTES", "60"))
# The admin answers only to these networks (comma-separated CIDRs, e.g. the
# district's office LAN); empty: anywhere.
UNIONFLOW_ADMIN_ALLOWED_NETWORKS = env_list("UNIONFLOW_ADMIN_ALLOWED_NETWORKS")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Our catalogue first; then our translation of viewflow's own strings (its
# shipped zh_Hans catalogue is empty). Project paths win over app catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor" / "viewflow"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files from the app itself, in production from
# `collectstatic`'s STATIC_ROOT with hashed, compressed, cache-forever names;
# in development straight from the source folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Issued documents are private: never served from MEDIA_URL, only through views
# that check access.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", VAR_DIR / "private"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "unionflow@localhost")

# Rate limits (and axes' counters live in the database) need one cache for
# every worker process: Redis in production (config.checks warns without).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": REDIS_URL or "unionflow",
        "KEY_PREFIX": "unionflow",
    }
}

TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("RQ_REDIS_URL", REDIS_URL or "redis://127.0.0.1:6379/0")}}

# Uploads: size and kinds are checked by content in
# workflows.documents.uploads; a file part stops being kept past
# UPLOAD_MAX_BYTES while it is received (config.uploads), and a request
# announcing more than UNIONFLOW_MAX_REQUEST_BYTES is refused before its
# body is read.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
UNIONFLOW_MAX_REQUEST_BYTES = int(os.environ.get("UNIONFLOW_MAX_REQUEST_BYTES", str(110 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "config.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Batch printing: processes rendering chunks in parallel (default: every
# core), certificates per chunk (bounds each process's memory), seconds a
# chunk may take before the job fails.
UNIONFLOW_PRINT_PROCESSES = int(os.environ.get("UNIONFLOW_PRINT_PROCESSES", "0")) or os.cpu_count() or 1
UNIONFLOW_PRINT_CHUNK = int(os.environ.get("UNIONFLOW_PRINT_CHUNK", "125"))
UNIONFLOW_PRINT_CHUNK_TIMEOUT = int(os.environ.get("UNIONFLOW_PRINT_CHUNK_TIMEOUT", "900"))
UNIONFLOW_PRINT_ATTEMPTS = int(os.environ.get("UNIONFLOW_PRINT_ATTEMPTS", "3"))
# Background work (workflows.background): a runner's lease, its heartbeat,
# and how often the sweep looks for work a dead process left.
UNIONFLOW_LEASE_SECONDS = int(os.environ.get("UNIONFLOW_LEASE_SECONDS", "40"))
UNIONFLOW_HEARTBEAT_SECONDS = float(os.environ.get("UNIONFLOW_HEARTBEAT_SECONDS", "10"))
UNIONFLOW_SWEEP_SECONDS = float(os.environ.get("UNIONFLOW_SWEEP_SECONDS", "10"))
# Public certificate verification: requests per minute per IP address.
UNIONFLOW_VERIFY_RATE = int(os.environ.get("UNIONFLOW_VERIFY_RATE", "30"))
# Public objections: posts per hour per client address.
UNIONFLOW_OBJECTION_RATE = int(os.environ.get("UNIONFLOW_OBJECTION_RATE", "5"))
# Local time of day `manage.py run_scheduler` runs the daily jobs
# (reminders and escalations, closing ended notices).
UNIONFLOW_DAILY_JOBS_AT = os.environ.get("UNIONFLOW_DAILY_JOBS_AT", "08:15")
# Days a closed public notice stays on the public site; then only the
# publishing district sees it.
UNIONFLOW_NOTICE_RETENTION_DAYS = int(os.environ.get("UNIONFLOW_NOTICE_RETENTION_DAYS", "30"))
# Days a cached PDF of a document rendered in a request (award list, public
# notice, A3 form ...) is kept after it was last read
# (workflows.documents.pdf_cache; pruned by the daily jobs).
UNIONFLOW_DOCUMENT_CACHE_DAYS = int(os.environ.get("UNIONFLOW_DOCUMENT_CACHE_DAYS", "14"))
# The rendered-document cache's size cap (documents with full ID numbers are never cached).
UNIONFLOW_DOCUMENT_CACHE_MAX_MB = int(os.environ.get("UNIONFLOW_DOCUMENT_CACHE_MAX_MB", "500"))

# Notification channels (workflows.notifications.channels): the platforms'
# API addresses (tests point them at a local server), the SMS provider, and
# how long a platform may take to answer. Credentials are per district, in
# the app (ChannelSettings), never here.
UNIONFLOW_WECOM_BASE_URL = os.environ.get("UNIONFLOW_WECOM_BASE_URL", "https://qyapi.weixin.qq.com")
UNIONFLOW_DINGTALK_BASE_URL = os.environ.get("UNIONFLOW_DINGTALK_BASE_URL", "https://oapi.dingtalk.com")
UNIONFLOW_ALIYUN_SMS_BASE_URL = os.environ.get("UNIONFLOW_ALIYUN_SMS_BASE_URL", "https://dysmsapi.aliyuncs.com")
UNIONFLOW_SMS_PROVIDER = os.environ.get("UNIONFLOW_SMS_PROVIDER", "aliyun")
UNIONFLOW_CHANNEL_TIMEOUT = float(os.environ.get("UNIONFLOW_CHANNEL_TIMEOUT", "10"))

# Backups (manage.py backup / restore): the key their manifests are signed
# with (HMAC-SHA256, workflows.backup.signing). Keep it apart from the
# backups and give the same key to the installation that restores. Unset, a
# key derived from SECRET_KEY is used: a restore then needs the same
# SECRET_KEY, and rotating SECRET_KEY makes older backups refused.
UNIONFLOW_BACKUP_KEY = os.environ.get("UNIONFLOW_BACKUP_KEY", "")

# The JSON API (workflows.api, docs/api.md): requests per minute per token
# (per account for a browser session, per address without credentials).
UNIONFLOW_API_RATE = int(os.environ.get("UNIONFLOW_API_RATE", "120"))
# Webhook deliveries: seconds to wait for the receiver's answer.
UNIONFLOW_WEBHOOK_TIMEOUT = float(os.environ.get("UNIONFLOW_WEBHOOK_TIMEOUT", "10"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workflows.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["workflows.api.auth.ScopedAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["workflows.api.auth.TokenRateThrottle"],
    # JSON only: DRF's browsable pages are not the documentation (that is
    # /api/docs/, served from our static files).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "workflows.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "workflows.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "UnionFlow API",
    "DESCRIPTION": "Cases, tasks and decisions of every registered process; see docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the app's own static files (drf-spectacular-sidecar), no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

# The issuing body printed on documents and the district's name.
UNIONFLOW_ISSUER = os.environ.get("UNIONFLOW_ISSUER", "示范区总工会")

# Headers on every response.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp 4): everything from this site, no
# inline script and no inline style attribute; no frames, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

if not DEVELOPMENT:
    # Behind the reverse proxy, which terminates HTTPS and says so.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
