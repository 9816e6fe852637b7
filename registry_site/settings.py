"""Settings come from the environment, with defaults that are safe for a laptop."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def local_secret_key():
    """A random key kept in a git-ignored file, for a laptop that sets no SECRET_KEY."""
    path = BASE_DIR / ".secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(key)
        return key
    except OSError:
        return secrets.token_urlsafe(50)


DEBUG = env_bool("DEBUG")
HTTPS = env_bool("HTTPS")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if HTTPS:
        raise ImproperlyConfigured("SECRET_KEY must be set when the site is served (HTTPS=1).")
    try:
        SECRET_KEY = local_secret_key()
    except FileExistsError:  # another process wrote it a moment ago
        SECRET_KEY = local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Under /api/ a refused POST answers in JSON, like every other API error.
CSRF_FAILURE_VIEW = "objects.views.errors.csrf_failure"

REGISTRY_SOURCE = os.environ.get("REGISTRY_SOURCE", "http://www.openmobilealliance.org/api/")
# Where a sync from the API finds the reusable resources (the API has none); relative to the
# source's URL or absolute (on an allowed host); empty: none.
REGISTRY_COMMON_URL = os.environ.get(
    "REGISTRY_COMMON_URL",
    "https://raw.githubusercontent.com/OpenMobileAlliance/lwm2m-registry/prod/Common.xml",
)
# Where a sync from the API finds the object schemas (LWM2M.xsd, LWM2M-v1_1.xsd), which the
# definitions' quality checks use: by default the folder the definitions declare; empty: none
# (the schema check is then "not checked").
REGISTRY_SCHEMA_URL = os.environ.get(
    "REGISTRY_SCHEMA_URL", "http://www.openmobilealliance.org/tech/profiles/"
)
# The definitions' quality checks (objects/quality.py); off only to measure what they cost.
REGISTRY_QUALITY_CHECKS = os.environ.get("REGISTRY_QUALITY_CHECKS", "1") != "0"
# The HTTP client of the sync: seconds to connect and to wait for an answer, retries.
REGISTRY_CONNECT_TIMEOUT = float(os.environ.get("REGISTRY_CONNECT_TIMEOUT", "10"))
REGISTRY_READ_TIMEOUT = float(os.environ.get("REGISTRY_READ_TIMEOUT", "30"))
REGISTRY_RETRIES = int(os.environ.get("REGISTRY_RETRIES", "3"))
REGISTRY_BACKOFF = float(os.environ.get("REGISTRY_BACKOFF", "0.5"))
# Seconds one fetch (its retries and redirects included) and a whole sync's fetches may take.
REGISTRY_FETCH_DEADLINE = float(os.environ.get("REGISTRY_FETCH_DEADLINE", "60"))
REGISTRY_SYNC_DEADLINE = float(os.environ.get("REGISTRY_SYNC_DEADLINE", "1800"))
# The longest Retry-After the sync waits for (a longer one is waited for this long).
REGISTRY_MAX_RETRY_AFTER = float(os.environ.get("REGISTRY_MAX_RETRY_AFTER", "30"))
# The sync lease: a holder silent this long may be taken over; it beats this often.
SYNC_LEASE_SECONDS = float(os.environ.get("SYNC_LEASE_SECONDS", "60"))
SYNC_HEARTBEAT_SECONDS = float(os.environ.get("SYNC_HEARTBEAT_SECONDS", "10"))
# For tests of the store's atomicity only: seconds the store holds its transaction open,
# between removing the old rows and inserting the new ones.
SYNC_STORE_PAUSE = float(os.environ.get("SYNC_STORE_PAUSE", "0"))
# Besides the source's own origin, the only hosts a sync fetches from ("host" on the default
# port of http and https, or "host:port"): the registry's real hosts.
REGISTRY_ALLOWED_HOSTS = env_list(
    "REGISTRY_ALLOWED_HOSTS",
    ["openmobilealliance.org", "www.openmobilealliance.org", "raw.githubusercontent.com"],
)

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
    "objects.views.health.any_host",
    # First: an oversized body is refused from its headers, before anything reads it.
    "registry_site.body_limit.body_limit",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside GZip: validators, and whole answers kept as they are sent (a compressed one
    # with a weak ETag, never the identity answer's strong one).
    "objects.views.http_cache.http_cache",
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
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The largest request body any URL takes (the largest is an upload to /validate/, 1 MB, with
# its form around it); a larger one is refused from its headers. Every body that passes is
# kept in memory, so no temporary file is ever written for an upload.
MAX_REQUEST_BODY = int(os.environ.get("MAX_REQUEST_BODY", str(1024 * 1024 + 64 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY
# How long a request body may take to arrive: a client that trickles one is answered 408 and
# let go, so it cannot hold one of the server's threads (registry_site/front.py).
REQUEST_BODY_TIMEOUT = float(os.environ.get("REQUEST_BODY_TIMEOUT", "10"))
# How long a client may take no part of its answer: then the answer ends there and the thread
# that made it is free (registry_site/front.py); a server stopping waits for no longer.
SEND_TIMEOUT = float(os.environ.get("SEND_TIMEOUT", "20"))
# The threads of a server process that run requests (registry_site/front.py): on one core, two
# keep it busy while one waits on the database; more only add switching.
THREADS = int(os.environ.get("THREADS", "2"))
# Heavy answers (the ZIPs: seconds of CPU for the whole registry, objects/views/heavy.py): at
# most HEAVY_BUILDS built at once per process, each key once at a time; a request that cannot
# start one within HEAVY_WAIT seconds gets a 503 with Retry-After. They run on HEAVY_THREADS
# threads of their own, past which the front answers 503 at once, so THREADS always serve the
# light pages and /healthz (registry_site/front.py).
HEAVY_BUILDS = int(os.environ.get("HEAVY_BUILDS", "1"))
HEAVY_WAIT = float(os.environ.get("HEAVY_WAIT", "10"))
HEAVY_THREADS = int(os.environ.get("HEAVY_THREADS", "16"))

# How long a shared cache (a CDN) or a browser may keep a public page, and serve it stale
# while it asks again: a sync is seen within CACHE_MAX_AGE seconds (objects/views/http_cache.py).
CACHE_MAX_AGE = int(os.environ.get("CACHE_MAX_AGE", "60"))
CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("CACHE_STALE_WHILE_REVALIDATE", "600"))
# Per process: the whole public answers of the live data, each built once per sync and then
# served from memory (objects/views/http_cache.py), the least recently used dropped past this
# many bytes of what they hold (key, headers and body) or this many answers.
ANSWER_CACHE_BYTES = int(os.environ.get("ANSWER_CACHE_MB", "64")) * 1024 * 1024
ANSWER_CACHE_ENTRIES = int(os.environ.get("ANSWER_CACHE_ENTRIES", "20000"))

# The client's address: X-Forwarded-For is read only from these proxies (addresses or networks;
# by default a proxy on this host), as far as they wrote it (registry_site/client_ip.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
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
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
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
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC")
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
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
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
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The sync names the cause of a failure itself; urllib3's retry chatter is noise.
    "loggers": {"urllib3": {"level": "ERROR"}},
}

# The mirror API's ObjectLink: "local" points at this site's stored copy of each definition
# (a real mirror, usable when upstream is down), "upstream" repeats the registry's own link.
MIRROR_OBJECT_LINKS = os.environ.get("MIRROR_OBJECT_LINKS", "local")


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
SITE_URL = site_url(os.environ.get("SITE_URL", ""))
if HTTPS and not SITE_URL:
    # Served for real, links never follow a client's Host or X-Forwarded-Proto.
    raise ImproperlyConfigured(
        "SITE_URL must be set when the site is served (HTTPS=1), e.g. https://lwm2m.example.org."
    )
