"""The trust boundary of the sync's fetches: the rule, and its enforcement on real sockets."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from objects.sync.fetch_policy import FetchPolicy, GuardedAdapter, RefusedURL, is_public
from objects.sync.sources import MAX_REDIRECTS, RegistryAPI, SourceError
from tests.fake_registry import FakeRegistry

REAL = ["openmobilealliance.org", "www.openmobilealliance.org", "raw.githubusercontent.com"]


def resolver(*addresses):
    """A stand-in for DNS (no network here): the host resolves to these addresses."""
    return lambda host, port, **kw: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0)) for a in addresses
    ]  # noqa: E501


PUBLIC_SOURCE = FetchPolicy(
    "http://www.openmobilealliance.org/api/", REAL, resolve=resolver("52.1.2.3")
)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.openmobilealliance.org/tech/profiles/lwm2m/3303.xml",
        "https://www.openmobilealliance.org/tech/profiles/lwm2m/3303.xml",
        "https://raw.githubusercontent.com/OpenMobileAlliance/lwm2m-registry/prod/3.xml",
        "http://OPENMOBILEALLIANCE.org./api/",
        "https://raw.githubusercontent.com:443/x.xml",
    ],
)
def test_the_registry_hosts_are_allowed(url):
    PUBLIC_SOURCE.check(url)


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://127.0.0.1:8080/x.xml", "outside"),
        ("http://169.254.169.254/latest/meta-data/", "outside"),
        ("http://www.openmobilealliance.org:22/x.xml", "outside"),  # an allowed host, not its port
        ("http://evil.example/x.xml", "outside"),
        ("http://www.openmobilealliance.org.evil.example/x.xml", "outside"),
        ("http://raw.githubusercontent.com\\@evil.example/x.xml", "credentials"),
        ("http://user:pw@www.openmobilealliance.org/x.xml", "credentials"),
        ("http://:pw@www.openmobilealliance.org/x.xml", "credentials"),  # a password alone
        ("http://user@www.openmobilealliance.org/x.xml", "credentials"),  # a user alone
        ("http://@www.openmobilealliance.org/x.xml", "credentials"),  # an empty userinfo
        ("file:///etc/passwd", "only http and https"),
        ("gopher://www.openmobilealliance.org/", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("//127.0.0.1/x.xml", "only http and https"),
        ("http://[::1", "not a valid URL"),
    ],
)
def test_everything_else_is_refused(url, reason):
    with pytest.raises(RefusedURL, match=reason):
        PUBLIC_SOURCE.check(url)


def test_hosts_and_ports_from_the_setting():
    policy = FetchPolicy(
        "http://mirror.example/api/", ["files.example:8443", "plain.example"], resolve=resolver()
    )
    policy.check("https://files.example:8443/x.xml")
    policy.check("http://plain.example/x.xml")
    policy.check("http://mirror.example/files/x.xml")  # the source's own origin
    for url in ("https://files.example/x.xml", "http://plain.example:8080/x.xml",
                "https://mirror.example/x.xml"):  # fmt: skip
        with pytest.raises(RefusedURL):
            policy.check(url)


@pytest.mark.parametrize(
    "address, public",
    [("52.1.2.3", True), ("2a00:1450::1", True), ("127.0.0.1", False), ("10.1.2.3", False),
     ("172.16.0.1", False), ("192.168.1.1", False), ("169.254.169.254", False), ("::1", False),
     ("fe80::1%eth0", False), ("fd00::1", False), ("::ffff:127.0.0.1", False), ("0.0.0.0", False),
     ("100.64.0.1", False), ("224.0.0.1", False), ("not an address", False)],
)  # fmt: skip
def test_public_addresses(address, public):
    assert is_public(address) is public


@pytest.mark.parametrize(
    "address, public",
    [
        # IPv4-compatible (::a.b.c.d): the IPv4 address it embeds decides
        ("::127.0.0.1", False), ("::10.0.0.1", False), ("::169.254.169.254", False),
        ("::52.1.2.3", True),
        # NAT64's well-known prefix reaches the IPv4 address in its last 32 bits
        ("64:ff9b::7f00:1", False), ("64:ff9b::a9fe:a9fe", False), ("64:ff9b::a00:1", False),
        ("64:ff9b::3401:203", True),
        ("64:ff9b:1::3401:203", False),  # NAT64's local-use prefix (RFC 8215): never public
        # 6to4 (2002:V4ADDR::/48) routes to the IPv4 address in bits 16-48
        ("2002:7f00:1::1", False), ("2002:a00:1::1", False), ("2002:c0a8:101::1", False),
        ("2002:3401:203::1", True),
        # site-local (deprecated, still routed inside some networks) and Teredo: never public
        ("fec0::1", False), ("feff::1", False), ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
        # ordinary global IPv6 stays public
        ("2a00:1450:4001:82b::200e", True), ("2606:4700::6810:84e5", True),
    ],
)  # fmt: skip
def test_ipv6_addresses_that_reach_a_private_ipv4_or_a_site_are_not_public(address, public):
    assert is_public(address) is public


def ipv6_loopback_server():
    """A plain HTTP server on [::1]; None when this machine has no IPv6 loopback."""
    if not socket.has_ipv6:
        return None

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            type(self.server).requests_seen += 1
            body = b"<LWM2M/>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6
        daemon_threads = True
        requests_seen = 0  # GETs answered

    try:
        server = Server(("::1", 0), Handler)
    except OSError:
        return None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_an_ipv6_loopback_peer_is_refused_for_a_public_source():
    """A real server on [::1], named by an allowed host of a source that resolves to a public
    address: the URL passes, the connected IPv6 socket is refused before a byte is sent."""
    server = ipv6_loopback_server()
    if server is None:
        pytest.skip("this machine has no IPv6 loopback")
    try:
        port = server.server_address[1]
        url = f"http://[::1]:{port}/x.xml"
        # The server answers a client that is not guarded: it is really there.
        assert requests.get(url, timeout=5).content == b"<LWM2M/>"
        seen = server.requests_seen
        policy = FetchPolicy(
            "http://mirror.example/api/", [f"[::1]:{port}"], resolve=resolver("2a00:1450::1")
        )
        assert not policy.private_ok
        policy.check(url)  # an allowed host: the URL itself passes
        with requests.Session() as session:
            session.mount("http://", GuardedAdapter(policy))
            with pytest.raises(RefusedURL, match=r"is at ::1, a loopback"):
                session.get(url, timeout=5)
        assert server.requests_seen == seen  # connected, refused, nothing asked
        # The same server is fetched when the source itself is on the loopback.
        local = FetchPolicy(f"http://[::1]:{port}/api/", [])
        assert local.private_ok
        with requests.Session() as session:
            session.mount("http://", GuardedAdapter(local))
            assert session.get(url, timeout=5).content == b"<LWM2M/>"
    finally:
        server.shutdown()
        server.server_close()


def redirect_chain(source, name, hops):
    """/files/<name>0 redirects to <name>1 ... <name><hops-1>, which redirects to 3.xml."""
    for hop in range(hops):
        target = f"{name}{hop + 1}" if hop + 1 < hops else "3.xml"
        source.fail(f"/files/{name}{hop}", (302, {"Location": source.file_url(target)}, b""))
    return source.file_url(f"{name}0")


def test_exactly_five_redirects_are_followed_and_a_sixth_is_refused(fixture_registry):
    assert MAX_REDIRECTS == 5
    with FakeRegistry(fixture_registry) as source:
        client = RegistryAPI(source.base_url)
        try:
            response, body, _ = client.get(redirect_chain(source, "five", 5), {}, 100_000)
            assert response.url.endswith("/files/3.xml")
            assert b"<Name>Device</Name>" in body
            assert all(source.requests[f"/files/five{hop}"] == 1 for hop in range(5))
            with pytest.raises(SourceError, match="redirects more than 5 times"):
                client.get(redirect_chain(source, "six", 6), {}, 100_000)
            assert all(source.requests[f"/files/six{hop}"] == 1 for hop in range(6))
            assert source.requests["/files/3.xml"] == 1  # only the chain of five reached it
        finally:
            client.close()


def test_private_addresses_only_for_a_source_on_one():
    assert not PUBLIC_SOURCE.private_ok
    with pytest.raises(RefusedURL, match="loopback, private or link-local"):
        PUBLIC_SOURCE.check_address("10.0.0.5", "www.openmobilealliance.org")
    assert FetchPolicy("http://127.0.0.1:8000/api/", REAL).private_ok
    assert FetchPolicy("http://mirror.lan/api/", REAL, resolve=resolver("192.168.1.9")).private_ok


def test_a_name_that_resolves_to_this_machine_is_never_reached():
    """DNS says a public address when checked, the socket reaches 127.0.0.1: refused on the
    connected socket itself, before a byte is sent (a real socket, a real requests call)."""
    with FakeRegistry(items=[]) as target:
        port = target.server.server_address[1]
        policy = FetchPolicy(f"http://localhost:{port}/api/", [], resolve=resolver("52.1.2.3"))
        policy.check(f"http://localhost:{port}/files/x.xml")  # the URL itself passes
        with requests.Session() as session:
            session.mount("http://", GuardedAdapter(policy))
            with pytest.raises(RefusedURL, match="localhost is at 127.0.0.1"):
                session.get(f"http://localhost:{port}/files/x.xml", timeout=5)
        assert sum(target.requests.values()) == 0


def test_the_connection_checks_the_host_urllib3_parsed():
    """Even a URL that got past the URL check is refused when urllib3 reads another origin."""
    with FakeRegistry(items=[]) as target:
        policy = FetchPolicy("http://127.0.0.1:1/api/", [])
        with requests.Session() as session:
            session.mount("http://", GuardedAdapter(policy))
            with pytest.raises(RefusedURL, match="not an allowed origin"):
                session.get(target.file_url("x.xml"), timeout=5)
        assert target.connections == 0


def test_redirects_are_checked_by_the_same_rule(fixture_registry):
    with FakeRegistry(items=[]) as decoy, FakeRegistry(fixture_registry) as source:
        decoy.set_file("x.xml", b"<LWM2M/>")
        source.fail("/files/a.xml", (301, {"Location": source.file_url("b.xml")}, b""))
        source.fail("/files/b.xml", (307, {"Location": decoy.file_url("x.xml")}, b""))
        client = RegistryAPI(source.base_url)
        with pytest.raises(RefusedURL, match="outside the source's origin"):
            client.get(source.file_url("a.xml"), {}, 1000)
        assert source.requests["/files/a.xml"] == source.requests["/files/b.xml"] == 1
        assert decoy.connections == 0
        source.fail("/files/c.xml", (302, {"Location": "/files/3.xml"}, b""))
        response, body, _ = client.get(source.file_url("c.xml"), {}, 100_000)
        assert response.url.endswith("/files/3.xml")
        assert b"<Name>Device</Name>" in body
        client.close()


def test_a_trickling_answer_is_cut_at_the_fetch_deadline(fixture_registry, db):
    with FakeRegistry(fixture_registry) as source:
        source.fail("/files/3.xml", "trickle")
        client = RegistryAPI(source.base_url, timeout=(2, 2), fetch_deadline=1.5)
        entry = type("Entry", (), {"object_link": source.file_url("3.xml")})()
        fetched = client.definition(entry)
        client.close()
    assert "took longer than 1.5 s" in fetched.error
