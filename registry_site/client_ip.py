"""The client's address, for the login throttle."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or behind our TLS proxy (HTTPS=1) the last X-Forwarded-For entry: the one
    the proxy itself appended. Earlier entries are the client's to write, so never trusted."""
    if settings.HTTPS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:64]
    return request.META.get("REMOTE_ADDR", "")
