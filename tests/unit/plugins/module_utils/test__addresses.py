# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils import _addresses as addr


@pytest.mark.parametrize("url, scheme, endpoint", [
    ("http://192.168.56.66:8000/", "http", "192.168.56.66:8000"),
    ("https://10.0.0.1:8443", "https", "10.0.0.1:8443"),
    ("HTTP://10.0.0.1:1/", "http", "10.0.0.1:1"),
    ("http://[2001:db8::1]:8000/", "http", "[2001:db8::1]:8000"),
    ("http://[::ffff:10.0.0.1]:8000/", "http", "[::ffff:10.0.0.1]:8000"),
])
def test_parse_url_accepts(url, scheme, endpoint):
    got_scheme, got_endpoint = addr.parse_url(url)
    assert (got_scheme, str(got_endpoint)) == (scheme, endpoint)


@pytest.mark.parametrize("url, reason", [
    ("http://localhost:8080/", "has host 'localhost'; Kea accepts only an IP address here, not a host name"),
    ("http://kea1.example.net:8000/", "has host 'kea1.example.net'; Kea accepts only an IP address here, not a host name"),
    ("ftp://10.0.0.1:21/", "has scheme 'ftp'; Kea HA peers speak http or https"),
    ("http://10.0.0.1/", "has no port (write it explicitly, e.g. ':8000')"),
    ("http://10.0.0.1:0/", "has an invalid port '0' (1-65535)"),
    ("http://10.0.0.1:65536/", "has an invalid port '65536' (1-65535)"),
    ("http://10.0.0.1:80a/", "has an invalid port '80a' (1-65535)"),
    ("http://2001:db8::1:8000/", "has an IPv6 host without brackets (write http://[ADDRESS]:PORT/)"),
    ("http://[10.0.0.1]:8000/", "has '[10.0.0.1]' as host; inside brackets Kea expects an IPv6 address"),
    ("http://0.0.0.0:8000/", "has the unspecified address 0.0.0.0 as host; a partner cannot connect to it"),
    ("http://[::]:8000/", "has the unspecified address :: as host; a partner cannot connect to it"),
    ("10.0.0.1:8000", "is not a URL of the form http://IP:PORT/"),
    ("http://10.0.0:8000/", "has host '10.0.0'; Kea accepts only an IP address here, not a host name"),
])
def test_parse_url_refuses(url, reason):
    with pytest.raises(ValueError) as info:
        addr.parse_url(url)
    assert str(info.value) == reason


@pytest.mark.parametrize("one, two, collide", [
    ("127.0.0.1:8000", "192.168.56.33:8000", False),
    ("127.0.0.1:8000", "127.0.0.1:8000", True),
    ("0.0.0.0:8000", "192.168.56.33:8000", True),
    ("[::]:8000", "192.168.56.33:8000", True),
    ("0.0.0.0:8000", "192.168.56.33:8001", False),
    ("[2001:db8::1]:8000", "[2001:db8::1]:8000", True),
])
def test_endpoint_collisions(one, two, collide):
    assert addr.parse_endpoint(one).collides(addr.parse_endpoint(two)) is collide
    assert addr.parse_endpoint(two).collides(addr.parse_endpoint(one)) is collide


@pytest.mark.parametrize("text", ["8000", "localhost:8000", "[::1]8000", "10.0.0.1:"])
def test_parse_endpoint_refuses(text):
    with pytest.raises(ValueError):
        addr.parse_endpoint(text)


@pytest.mark.parametrize("text, reason", [
    ("10.0.0.0", "is not a prefix (write it as ADDRESS/LENGTH)"),
    ("10.0.0.5/24", "has host bits set (did you mean '10.0.0.0/24'?)"),
    ("10.0.0.0/33", "is not a valid IP prefix"),
    ("garbage/8", "is not a valid IP prefix"),
    ("10.0.0.0/255.255.255.0", "is not a valid IP prefix (write it as ADDRESS/LENGTH, the length in digits)"),
    ("10.0.0.0/ 24", "is not a valid IP prefix (write it as ADDRESS/LENGTH, the length in digits)"),
])
def test_parse_subnet_refuses(text, reason):
    with pytest.raises(ValueError) as info:
        addr.parse_subnet(text)
    assert str(info.value) == reason


@pytest.mark.parametrize("text, first, last", [
    ("10.0.0.10 - 10.0.0.20", 0x0A00000A, 0x0A000014),
    ("10.0.0.10-10.0.0.10", 0x0A00000A, 0x0A00000A),
    ("10.0.0.128/25", 0x0A000080, 0x0A0000FF),
])
def test_parse_pool(text, first, last):
    pool = addr.parse_pool(text)
    assert (pool.first, pool.last) == (first, last)


@pytest.mark.parametrize("text, reason", [
    ("10.0.0.20 - 10.0.0.10", "is reversed (10.0.0.20 comes after 10.0.0.10)"),
    ("10.0.0.1 - 2001:db8::1", "mixes IPv4 and IPv6 addresses"),
    ("10.0.0.1 - nope", "is not a range of the form 'FIRST - LAST'"),
    ("nope", "is neither a range 'FIRST - LAST' nor a prefix"),
])
def test_parse_pool_refuses(text, reason):
    with pytest.raises(ValueError) as info:
        addr.parse_pool(text)
    assert str(info.value) == reason


def _items(*texts):
    return [(addr.parse_pool(text), text) for text in texts]


def test_find_overlaps_names_both_sides():
    pairs = addr.find_overlaps(_items("10.0.0.0/24", "10.0.1.0/24", "10.0.0.128/25"))
    assert [(a[1], b[1]) for a, b in pairs] == [("10.0.0.0/24", "10.0.0.128/25")]


def test_find_overlaps_adjacent_ranges_do_not_overlap():
    assert addr.find_overlaps(_items("10.0.0.0 - 10.0.0.9", "10.0.0.10 - 10.0.0.19")) == []


def test_find_overlaps_families_are_separate():
    # Integer ranges of an IPv4 and an IPv6 prefix can coincide; they never overlap.
    assert addr.find_overlaps(_items("0.0.0.0/8", "::/104")) == []


def test_find_overlaps_long_range_reaches_past_neighbours():
    pairs = addr.find_overlaps(_items("10.0.0.0/16", "10.0.1.0/24", "10.0.200.0/24"))
    assert sorted((a[1], b[1]) for a, b in pairs) == [("10.0.0.0/16", "10.0.1.0/24"), ("10.0.0.0/16", "10.0.200.0/24")]
