"""The trust boundary of the sync's fetches: the rule, and its enforcement on real sockets."""

import socket

import pytest
import requests

from objects.sync.fetch_policy import FetchPolicy, GuardedAdapter, RefusedURL, is_public
from objects.sync.sources import RegistryAPI
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
