"""The environment, read in one place: every variable the site and its server take, its default,
and one rule per kind of value (docs/settings.md documents each once).

A variable is named like the setting it sets. A value that does not follow its kind's rule is an
error naming the variable and the value, never a silent default: `REGISTRY_QUALITY_CHECKS=false`
turns the checks off, `SEND_TIMEOUT=ten` stops the start with "SEND_TIMEOUT must be a number".
Reading writes nothing. Plain Python on Django's exception only, so the server's command line
(registry_site/serve.py) reads its own variables here before Django starts.
"""

import math
import os

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


def processors():
    """The CPUs this process may run on (its affinity where the system says, else all)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


# Every variable and its default. The settings (registry_site/settings.py) and the server's
# command line (registry_site/serve.py) read these; the Makefile passes on only what it is given.
DEFAULTS = {
    # The server (registry_site/serve.py, make run)
    "HOST": "127.0.0.1",
    "PORT": 8000,
    "WORKERS": processors(),  # one process per CPU: more only queue on the same cores
    "THREADS": 2,
    "STOP_TIMEOUT": 30,
    "HEADER_READ_TIMEOUT": 10,
    "SEND_TIMEOUT": 20.0,
    "REQUEST_BODY_TIMEOUT": 10.0,
    "MAX_REQUEST_BODY": 1024 * 1024 + 64 * 1024,
    "HEAVY_BUILDS": 1,
    "HEAVY_WAIT": 10.0,
    "HEAVY_THREADS": 16,
    # Django
    "SECRET_KEY": "",
    "DEBUG": False,
    "HTTPS": False,
    "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "[::1]"],
    "CSRF_TRUSTED_ORIGINS": [],
    "SITE_URL": "",
    "TRUSTED_PROXIES": ["127.0.0.1", "::1"],
    "DATABASE_URL": "",  # empty: the SQLite file db.sqlite3 beside manage.py
    "CONN_MAX_AGE": 60,
    "STATIC_ROOT": "",  # empty: staticfiles/ beside manage.py
    "PLAIN_STATIC": False,
    "LOG_LEVEL": "WARNING",
    "SECURE_HSTS_SECONDS": 60 * 60 * 24 * 365,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "AXES_FAILURE_LIMIT": 5,
    "AXES_COOLOFF_TIME": 0.25,
    # The answers
    "CACHE_MAX_AGE": 60,
    "CACHE_STALE_WHILE_REVALIDATE": 600,
    "ANSWER_CACHE_BYTES": 64 * 1024 * 1024,
    "ANSWER_CACHE_ENTRIES": 20000,
    "MIRROR_OBJECT_LINKS": "local",
    # The sync
    "REGISTRY_SOURCE": "http://www.openmobilealliance.org/api/",
    "REGISTRY_COMMON_URL": (
        "https://raw.githubusercontent.com/OpenMobileAlliance/lwm2m-registry/prod/Common.xml"
    ),
    "REGISTRY_SCHEMA_URL": "http://www.openmobilealliance.org/tech/profiles/",
    "REGISTRY_ALLOWED_HOSTS": [
        "openmobilealliance.org",
        "www.openmobilealliance.org",
        "raw.githubusercontent.com",
    ],
    "REGISTRY_QUALITY_CHECKS": True,
    "REGISTRY_CONNECT_TIMEOUT": 10.0,
    "REGISTRY_READ_TIMEOUT": 30.0,
    "REGISTRY_RETRIES": 3,
    "REGISTRY_BACKOFF": 0.5,
    "REGISTRY_FETCH_DEADLINE": 60.0,
    "REGISTRY_SYNC_DEADLINE": 1800.0,
    "REGISTRY_MAX_RETRY_AFTER": 30.0,
    "SYNC_LEASE_SECONDS": 60.0,
    "SYNC_HEARTBEAT_SECONDS": 10.0,
}

# Earlier names still read when the new one is unset: new name -> (old name, old value -> new).
FORMER_NAMES = {
    "ANSWER_CACHE_BYTES": ("ANSWER_CACHE_MB", lambda mb: str(int(mb) * 1024 * 1024)),
    "AXES_COOLOFF_TIME": ("AXES_COOLOFF_HOURS", lambda hours: hours),
}


# The variables whose empty value means "none", not the default.
EMPTY_MEANS_NONE = frozenset({"REGISTRY_COMMON_URL", "REGISTRY_SCHEMA_URL"})


class ConfigError(ImproperlyConfigured):
    """A variable whose value its rule refuses; the message names both."""


def raw(name, environ=None):
    """The variable's text, stripped; None when unset or blank (the default applies), but ""
    for a blank one of EMPTY_MEANS_NONE."""
    environ = os.environ if environ is None else environ
    value = environ.get(name, "").strip()
    if value or (name in EMPTY_MEANS_NONE and name in environ):
        return value
    former = FORMER_NAMES.get(name)
    if former and environ.get(former[0], "").strip():
        old = environ[former[0]].strip()
        try:
            return former[1](old)
        except ValueError:
            raise ConfigError(f"{former[0]} must be a whole number, not {old!r}") from None
    return None


def default(name, fallback):
    return DEFAULTS[name] if fallback is None else fallback


def text(name, fallback=None, environ=None):
    value = raw(name, environ)
    return default(name, fallback) if value is None else value


def boolean(name, fallback=None, environ=None):
    """1, true, yes or on; 0, false, no or off (any case); anything else is an error."""
    value = raw(name, environ)
    if value is None:
        return default(name, fallback)
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ConfigError(f"{name} must be 1/true/yes/on or 0/false/no/off, not {value!r}")


def integer(name, fallback=None, minimum=0, environ=None):
    """A whole number, at least `minimum`."""
    value = raw(name, environ)
    if value is None:
        return default(name, fallback)
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value!r}")
    return number


def number(name, fallback=None, minimum=0.0, environ=None):
    """A finite decimal number, at least `minimum` (seconds, hours)."""
    value = raw(name, environ)
    if value is None:
        return default(name, fallback)
    try:
        result = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(result):
        raise ConfigError(f"{name} must be a finite number, not {value!r}")
    if result < minimum:
        raise ConfigError(f"{name} must be at least {minimum:g}, not {value!r}")
    return result


def names(name, fallback=None, environ=None):
    """A comma-separated list; its empty items dropped."""
    value = raw(name, environ)
    if value is None:
        return list(default(name, fallback))
    return [item.strip() for item in value.split(",") if item.strip()]


def choice(name, options, environ=None):
    value = text(name, environ=environ)
    if value not in options:
        raise ConfigError(f"{name} must be one of {', '.join(options)}, not {value!r}")
    return value
