"""The client's address, for the login throttle: X-Forwarded-For is believed only as far as it
was written by a proxy of TRUSTED_PROXIES, and only as IP addresses."""

import ipaddress

from django.conf import settings


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address):
    return address is not None and any(address in network for network in trusted_networks())


def trusted_networks():
    networks = []
    for entry in settings.TRUSTED_PROXIES:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return networks


def client_ip(request):
    """REMOTE_ADDR; when that is a trusted proxy, the nearest X-Forwarded-For entry that is not
    one (each proxy appends its peer, so what lies beyond the last trusted one is the client's
    to write). An entry that is no IP address ends the walk at the last address known."""
    remote = request.META.get("REMOTE_ADDR", "")
    known = _address(remote)
    if not _trusted(known):
        return remote
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-20:]
    for entry in reversed(entries):
        address = _address(entry)
        if address is None:
            break
        known = address
        if not _trusted(address):
            break
    return str(known)
