"""Object versions compare as numbers: 1.10 comes after 1.9."""

import re

VERSION_RE = re.compile(r"^\s*(\d{1,6})(?:\.(\d{1,6}))?\s*$")


class BadVersion(ValueError):
    pass


def parse_version(text):
    """Return (major, minor) for "1.0", "1.10" or "2"; raise BadVersion otherwise."""
    match = VERSION_RE.match(str(text or ""))
    if not match:
        raise BadVersion(f"not a version: {str(text)[:40]!r}")
    return int(match.group(1)), int(match.group(2) or 0)


def format_version(major, minor):
    return f"{major}.{minor}"


def normalize_version(text):
    """The canonical spelling of a version: " 1.0" and "1" both become "1.0"."""
    return format_version(*parse_version(text))
