"""Per-client limits count a network, not an address: an IPv6 client is its /64."""

import pytest

from sonar.core.clients import network_key


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("2001:0DB8:0001:0002:0000:0000:0000:0009", "2001:db8:1:2::"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("fe80::1%eth0", "fe80::"),
        ("", ""),
        (None, ""),
        ("testclient", "testclient"),
    ],
)
def test_a_client_is_its_ipv4_address_or_its_ipv6_slash_64(address, key):
    assert network_key(address) == key


def test_two_ipv6_networks_side_by_side_are_two_clients():
    assert network_key("2001:db8:1:2::1") != network_key("2001:db8:1:3::1")
