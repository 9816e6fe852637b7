"""Template filters for values that come from the registry (untrusted upstream data)."""

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def web_url(value):
    """The URL when it is an absolute http(s) one, else "": a `javascript:` or `data:` link
    from upstream data is never rendered as a link."""
    text = str(value or "").strip()
    if not text or any(ch.isspace() or not ch.isprintable() for ch in text):
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return ""
    return text


@register.filter
def lookup(mapping, key):
    """`mapping[key]`, or None when it has no such key: a template cannot index a dict by a
    variable (`{{ usage|lookup:r.resource_id }}`)."""
    try:
        return mapping.get(key)
    except AttributeError:  # not a mapping
        return None
