"""Settings come from the environment, with defaults that are safe for a laptop."""

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from registry_site.config import boolean, choice, integer, names, number, text

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = boolean("DEBUG")
HTTPS = boolean("HTTPS")
# Never written anywhere from here: `make run` keeps a key in .secret_key and passes it on; a
# process without one (a manage.py command) gets a key of its own, for its lifetime only.
SECRET_KEY = text("SECRET_KEY")
if not SECRET_KEY:
    if HTTPS:
        raise ImproperlyConfigured("SECRET_KEY must be set when the site is served (HTTPS=1).")
    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = names("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = names("CSRF_TRUSTED_ORIGINS")
# Under /api/ a refused POST answers in JSON, like every other API error.
CSRF_FAILURE_VIEW = "objects.views.errors.csrf_failure"

# The sync (docs/sync.md; each variable in docs/settings.md).
REGISTRY_SOURCE = text("REGISTRY_SOURCE")
REGISTRY_COMMON_URL = text("REGISTRY_COMMON_URL")
REGISTRY_SCHEMA_URL = text("REGISTRY_SCHEMA_URL")
REGISTRY_QUALITY_CHECKS = boolean("REGISTRY_QUALITY_CHECKS")
REGISTRY_CONNECT_TIMEOUT = number("REGISTRY_CONNECT_TIMEOUT")
REGISTRY_READ_TIMEOUT = number("REGISTRY_READ_TIMEOUT")
REGISTRY_RETRIES = integer("REGISTRY_RETRIES")
REGISTRY_BACKOFF = number("REGISTRY_BACKOFF")
REGISTRY_FETCH_DEADLINE = number("REGISTRY_FETCH_DEADLINE")
REGISTRY_SYNC_DEADLINE = number("REGISTRY_SYNC_DEADLINE")
REGISTRY_MAX_RETRY_AFTER = number("REGISTRY_MAX_RETRY_AFTER")
SYNC_LEASE_SECONDS = number("SYNC_LEASE_SECONDS")
SYNC_HEARTBEAT_SECONDS = number("SYNC_HEARTBEAT_SECONDS")
REGISTRY_ALLOWED_HOSTS = names("REGISTRY_ALLOWED_HOSTS")

INSTALLED_APPS = [
    # The admin's modules load with its URLs, not at every start (the sync's start-up).
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "objects",
]

MIDDLEWARE = [
    # Before anything reads the Host: a load balancer's probe names its own address.
    "registry_site.any_host.any_host",
    # First: an oversized body is refused from its headers, before anything reads it.
    "registry_site.body_limit.body_limit",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside GZip: validators, and whole answers kept as they are sent (a compressed one
    # with a weak ETag, never the identity answer's strong one).
    "registry_site.http_cache.http_cache",
    # After WhiteNoise, whose static files come precompressed (brotli, gzip). The public
    # pages hold no secret; the admin's CSRF token is covered by Django's BREACH padding.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as its documentation asks: it answers a locked-out login itself.
    "axes.middleware.AxesMiddleware",
]

# The admin's login is throttled: after AXES_FAILURE_LIMIT failed logins for one username from
# one address, that pair is refused (HTTP 429) for the cool-off, kept in the database so every
# server knows it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = integer("AXES_FAILURE_LIMIT", minimum=1)
AXES_COOLOFF_TIME = number("AXES_COOLOFF_TIME")  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The server's front: its limits and threads (docs/architecture.md; each in docs/settings.md).
# Every body that passes MAX_REQUEST_BODY is kept in memory: no upload is ever a file.
MAX_REQUEST_BODY = integer("MAX_REQUEST_BODY")
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY
REQUEST_BODY_TIMEOUT = number("REQUEST_BODY_TIMEOUT")
SEND_TIMEOUT = number("SEND_TIMEOUT")
THREADS = integer("THREADS", minimum=1)
# Heavy answers, the ZIPs (objects/views/heavy.py): each key built once at a time, at most
# HEAVY_BUILDS at once per process, on HEAVY_THREADS threads of their own (docs/settings.md).
HEAVY_BUILDS = integer("HEAVY_BUILDS", minimum=1)
HEAVY_WAIT = number("HEAVY_WAIT")
HEAVY_THREADS = integer("HEAVY_THREADS", minimum=1)

# The public answers' Cache-Control, and what each process keeps of them (docs/deploying.md).
CACHE_MAX_AGE = integer("CACHE_MAX_AGE")
CACHE_STALE_WHILE_REVALIDATE = integer("CACHE_STALE_WHILE_REVALIDATE")
ANSWER_CACHE_BYTES = integer("ANSWER_CACHE_BYTES")
ANSWER_CACHE_ENTRIES = integer("ANSWER_CACHE_ENTRIES", minimum=1)

# The client's address: X-Forwarded-For is read only from these proxies (addresses or networks;
# by default a proxy on this host), as far as they wrote it (registry_site/client_ip.py).
TRUSTED_PROXIES = names("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "registry_site.client_ip.client_ip"

ROOT_URLCONF = "registry_site.urls"
WSGI_APPLICATION = "registry_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "objects.context_processors.sync_status",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        text("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=integer("CONN_MAX_AGE"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests too (CONN_MAX_AGE above): opening a file and setting its
    # pragmas cost more than most answers. In autocommit a kept connection holds no snapshot
    # between requests, so it reads a sync's swap as soon as it is made.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the site read the previous data while a sync writes the next.
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per process: rendered fragments that depend only on a definition's bytes (object pages).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # The templates' fragments of the live data, dropped by objects/catalog/per_sync.py.
    "per_sync": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "per_sync",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Staff sign in for /sync/ and are sent back where they were; signing out leads home.
LOGIN_REDIRECT_URL = "/sync/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(text("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or boolean("PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0
# A template that names a file missing from the manifest still renders (unhashed URL).
WHITENOISE_MANIFEST_STRICT = False

# Security headers on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = integer("SECURE_HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = boolean("SECURE_HSTS_PRELOAD")
    # The health check of a load balancer may come over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": text("LOG_LEVEL")},
    # The sync names the cause of a failure itself; urllib3's retry chatter is noise.
    "loggers": {"urllib3": {"level": "ERROR"}},
}

# The mirror API's ObjectLink: "local" points at this site's stored copy of each definition
# (a real mirror, usable when upstream is down), "upstream" repeats the registry's own link.
MIRROR_OBJECT_LINKS = choice("MIRROR_OBJECT_LINKS", ("local", "upstream"))


def site_url(value):
    """SITE_URL as an origin, scheme://host[:port] in lower case without a default port; ""
    when unset."""
    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.path
        or parts.query
        or parts.fragment
        or port == -1
    ):
        raise ImproperlyConfigured(
            f"SITE_URL must be an origin like https://lwm2m.example.org, not {value!r}"
        )
    scheme, host = parts.scheme.lower(), parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{host}" + (f":{port}" if port not in (None, default) else "")


# The site's public origin (e.g. https://lwm2m.example.org): the mirror API's links are built
# from it, and its whole answer is cached for it alone. Unset (development, tests), each
# request's own origin is used, and the answers of at most two origins are kept.
SITE_URL = site_url(text("SITE_URL"))
if HTTPS and not SITE_URL:
    # Served for real, links never follow a client's Host or X-Forwarded-Proto.
    raise ImproperlyConfigured(
        "SITE_URL must be set when the site is served (HTTPS=1), e.g. https://lwm2m.example.org."
    )
