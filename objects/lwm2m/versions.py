"""Object versions compare as numbers: 1.10 comes after 1.9."""

import re

# ASCII digits only: \d would take any script's digits ("١.٠"), which int() then accepts.
VERSION_RE = re.compile(r"^\s*([0-9]{1,6})(?:\.([0-9]{1,6}))?\s*$")
STRICT_VERSION_RE = re.compile(r"^([0-9]{1,6})\.([0-9]{1,6})$")


class BadVersion(ValueError):
    pass


def parse_version(text: object) -> tuple[int, int]:
    """Return (major, minor) for "1.0", "1.10" or "2"; raise BadVersion otherwise."""
    match = VERSION_RE.match(str(text or ""))
    if not match:
        raise BadVersion(f"not a version: {str(text)[:40]!r}")
    return int(match.group(1)), int(match.group(2) or 0)


def strict_version(text: object) -> str:
    """A version from upstream data: exactly N.N (blanks around it aside), canonically spelled."""
    match = STRICT_VERSION_RE.match(str(text or "").strip())
    if not match:
        raise BadVersion(f"is not a version like 1.0: {str(text)[:40]!r}")
    return format_version(int(match.group(1)), int(match.group(2)))


def version_key(text: object) -> tuple[int, int, int]:
    """A sort key for any text that should be a version: never raises (bad ones sort last)."""
    try:
        return (0, *parse_version(text))
    except BadVersion:
        return (1, 0, 0)


def format_version(major: int, minor: int) -> str:
    return f"{major}.{minor}"


def normalize_version(text: object) -> str:
    """The canonical spelling of a version: " 1.0" and "1" both become "1.0"."""
    return format_version(*parse_version(text))
