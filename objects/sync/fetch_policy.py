"""The sync's trust boundary: which URLs it may fetch and which addresses it may connect to.

The registry's metadata names the URL of every definition, so a crafted or tampered registry
(anyone on the network path of the plain-http default source is one) could point the sync at
another service of our own network and have its answer stored and served to everyone. So a
URL is fetched only when it is http(s) without credentials, on the source's own origin or on
an allowed host (REGISTRY_ALLOWED_HOSTS); redirects are checked by the same rule; and every
connection is made to a public address only, unless the source itself is on a loopback,
private or link-local one (tests, a mirror on the LAN).

The rule is enforced twice: on the URL before a request (a clear reason, nothing sent), and
again inside each connection, on the host that urllib3 itself parsed and on the address that
the socket really reached, so neither a URL-parser difference nor a DNS answer that changes
between the check and the connection gets past it.
"""

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

DEFAULT_PORTS = {"http": 80, "https": 443}
# A host as DNS spells it, or an IP literal; anything else (backslashes, spaces, percent
# signs, control characters) is where URL parsers disagree, so it is refused outright.
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOST_RE = re.compile(rf"^(?:{LABEL}\.)*{LABEL}$")


class RefusedURL(Exception):
    """A URL or an address outside the trust boundary: it was never contacted."""


# IPv6 prefixes that carry an IPv4 address in their last 32 bits and reach it: IPv4-compatible
# (::a.b.c.d, deprecated but still routed by some stacks) and NAT64's well-known prefix.
IPV4_IN_LAST_32 = (ipaddress.ip_network("::/96"), ipaddress.ip_network("64:ff9b::/96"))
# Never public, whatever Python's table says: site-local (deprecated, still routed inside some
# networks), NAT64's local-use prefix (RFC 8215) and Teredo, whose client address is obfuscated.
NOT_PUBLIC_V6 = (
    ipaddress.ip_network("fec0::/10"),
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("2001::/32"),
)


def is_public(address):
    """True for a globally routable unicast address. An IPv6 address that embeds an IPv4 one
    (mapped, IPv4-compatible, NAT64, 6to4) is judged by that IPv4 address too: 64:ff9b::7f00:1
    reaches 127.0.0.1 through a NAT64 gateway as surely as 127.0.0.1 does."""
    try:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6:
        if any(ip in network for network in NOT_PUBLIC_V6):
            return False
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        elif ip.sixtofour:
            if not is_public(ip.sixtofour):
                return False
        elif any(ip in network for network in IPV4_IN_LAST_32):
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.is_global and not ip.is_multicast


def _host(text):
    """A URL's host, lower-cased, without a trailing dot or IPv6 brackets; None if unusable."""
    host = (text or "").strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return host if HOST_RE.match(host) else None


def _allowed_entry(text):
    """'host' (the default port of either scheme) or 'host:port' from the setting."""
    text = text.strip().lower()
    host, _, port = text.rpartition(":") if re.search(r":\d+$", text) else (text, "", "")
    return _host(host), int(port) if port else None


class FetchPolicy:
    """Decides whether the sync may fetch a URL, and whether a socket may stay connected."""

    def __init__(self, source_url, allowed_hosts=(), resolve=socket.getaddrinfo):
        parts = urlsplit(source_url)
        scheme = parts.scheme.lower()
        host = _host(parts.hostname)
        if scheme not in DEFAULT_PORTS or host is None:
            raise RefusedURL(f"the source must be an http(s) URL with a host: {source_url[:200]}")
        self.source = (scheme, host, parts.port or DEFAULT_PORTS[scheme])
        self.allowed = {entry for entry in map(_allowed_entry, allowed_hosts) if entry[0]}
        self.private_ok = not all(is_public(a) for a in self._addresses(host, resolve))

    @staticmethod
    def _addresses(host, resolve):
        try:
            ipaddress.ip_address(host)
            return [host]
        except ValueError:
            pass
        try:
            return [info[4][0] for info in resolve(host, None, type=socket.SOCK_STREAM)]
        except (OSError, UnicodeError):
            return []  # unresolvable now: its later connections get no private addresses

    def permits(self, scheme, host, port):
        """Whether (scheme, host, port) is the source's own origin or an allowed host."""
        scheme = (scheme or "").lower()
        if scheme not in DEFAULT_PORTS:
            return False
        host = _host(host)
        port = port or DEFAULT_PORTS[scheme]
        if host is None:
            return False
        if (scheme, host, port) == self.source:
            return True
        return (host, port) in self.allowed or (
            (host, None) in self.allowed and port == DEFAULT_PORTS[scheme]
        )

    def check(self, url):
        """Raise RefusedURL, with the reason, unless the URL may be fetched."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise RefusedURL(f"not a valid URL: {url[:200]!r}") from None
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise RefusedURL(f"only http and https links are fetched: {url[:200]!r}")
        if parts.username is not None or parts.password is not None:
            raise RefusedURL(
                f"a link with credentials is not fetched: {scheme}://…@{parts.hostname}"
            )
        if not self.permits(scheme, parts.hostname, port):
            raise RefusedURL(
                f"{url[:200]!r} is outside the source's origin and the allowed hosts "
                "(REGISTRY_ALLOWED_HOSTS)"
            )

    def check_address(self, address, host):
        if not (self.private_ok or is_public(address)):
            raise RefusedURL(
                f"{host} is at {address}, a loopback, private or link-local address, "
                "and the source is not"
            )


def _guarded(connection_class, scheme, policy):
    class GuardedConnection(connection_class):
        def _new_conn(self):
            if not policy.permits(scheme, self.host, self.port):
                raise RefusedURL(f"{scheme}://{self.host}:{self.port} is not an allowed origin")
            sock = super()._new_conn()
            try:
                policy.check_address(sock.getpeername()[0], self.host)
            except BaseException:
                sock.close()
                raise
            return sock

    return GuardedConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose every direct connection is checked against a FetchPolicy.

    RefusedURL is not an OSError, so urllib3 neither retries it nor wraps it: it reaches the
    caller as it was raised.
    """

    def __init__(self, policy, **kwargs):
        self.policy = policy
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        pools = {}
        for scheme, pool_class, connection_class in (
            ("http", HTTPConnectionPool, HTTPConnection),
            ("https", HTTPSConnectionPool, HTTPSConnection),
        ):
            connection = _guarded(connection_class, scheme, self.policy)
            pools[scheme] = type(pool_class.__name__, (pool_class,), {"ConnectionCls": connection})
        self.poolmanager.pool_classes_by_scheme = pools
