"""The login throttle's client address: X-Forwarded-For believed only from trusted proxies, only
as IP addresses, so a client can neither pick its bucket nor break the login with junk."""

import pytest
from django.test import RequestFactory

from registry_site.client_ip import client_ip


def ip(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().post("/admin/login/", **meta))


@pytest.fixture(autouse=True)
def one_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]


def test_a_direct_client_s_header_is_never_read():
    assert ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_behind_trusted_proxies_the_nearest_untrusted_entry():
    # The client wrote 1.2.3.4 itself; the proxy appended the peer it saw.
    assert ip("127.0.0.1", "1.2.3.4, 203.0.113.7") == "203.0.113.7"
    assert ip("127.0.0.1", "203.0.113.7, 10.1.2.3") == "203.0.113.7"  # two proxies
    assert ip("127.0.0.1") == "127.0.0.1"


def test_junk_is_no_address():
    assert ip("127.0.0.1", "not-an-ip") == "127.0.0.1"
    assert ip("127.0.0.1", "203.0.113.7, ' OR 1=1 --") == "127.0.0.1"
    assert ip("127.0.0.1", "x" * 10_000) == "127.0.0.1"


def test_rotating_the_header_does_not_rotate_the_bucket():
    seen = {ip("127.0.0.1", f"198.51.100.{n}, 203.0.113.7") for n in range(20)}
    assert seen == {"203.0.113.7"}


def test_only_the_last_20_entries_are_read():
    """A header of thousands of entries costs no more than 20: past them the walk ends at the
    last address read (here a proxy), never at an entry further left."""
    behind = lambda proxies: ", ".join(["203.0.113.7"] + ["10.0.0.1"] * proxies)  # noqa: E731
    assert ip("127.0.0.1", behind(19)) == "203.0.113.7"
    assert ip("127.0.0.1", behind(20)) == "10.0.0.1"
    assert ip("127.0.0.1", behind(10_000)) == "10.0.0.1"
