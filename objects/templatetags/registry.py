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
