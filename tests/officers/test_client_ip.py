"""The client address behind trusted reverse proxies (officers.audit.client_ip):
X-Forwarded-For is read only when the request comes from a proxy in
ACADEMY_TRUSTED_PROXIES, and then its right-most hop that is not a trusted proxy."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from officers.audit import client_ip
from officers.models import AuditLog
from tests.factories import PASSWORD

PROXY = "10.9.0.1"


def _ip(remote, forwarded=None, **settings):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(**settings):
        return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored():
    assert _ip("203.0.113.5", "198.51.100.1") == "203.0.113.5"
    assert _ip("203.0.113.5", "198.51.100.1", ACADEMY_TRUSTED_PROXIES=[]) == "203.0.113.5"


@override_settings(ACADEMY_TRUSTED_PROXIES=[PROXY])
def test_through_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client():
    assert _ip(PROXY, "203.0.113.7") == "203.0.113.7"
    # What the client sent itself (left of what the proxy appended) is not believed.
    assert _ip(PROXY, "1.1.1.1, 203.0.113.7") == "203.0.113.7"
    assert _ip(PROXY, "127.0.0.1,203.0.113.7") == "203.0.113.7"
    # No header through the proxy: the proxy's own address.
    assert _ip(PROXY) == PROXY


@override_settings(ACADEMY_TRUSTED_PROXIES=["10.9.0.0/24"])
def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    assert _ip("10.9.0.1", "198.51.100.9, 203.0.113.7, 10.9.0.2") == "203.0.113.7"


@override_settings(ACADEMY_TRUSTED_PROXIES=[PROXY])
def test_a_spoofed_header_from_any_other_peer_is_ignored():
    assert _ip("203.0.113.50", "10.9.0.1") == "203.0.113.50"
    assert _ip("203.0.113.50", "198.51.100.77, 10.9.0.1") == "203.0.113.50"


@override_settings(ACADEMY_TRUSTED_PROXIES=[PROXY, "2001:db8::1"])
def test_odd_hops():
    assert _ip(PROXY, "unknown") == PROXY                     # unreadable: the proxy's address
    assert _ip(PROXY, "203.0.113.7:51234") == "203.0.113.7"    # with a port
    assert _ip(PROXY, "[2001:db8::7]:443") == "2001:db8::7"
    assert _ip(PROXY, "::ffff:203.0.113.8") == "203.0.113.8"   # IPv4-mapped
    assert _ip("2001:db8::1", "203.0.113.9") == "203.0.113.9"   # an IPv6 proxy


def test_a_bad_proxy_setting_is_refused():
    with pytest.raises(ImproperlyConfigured):
        _ip(PROXY, "203.0.113.7", ACADEMY_TRUSTED_PROXIES=["not-an-address"])


@pytest.mark.django_db
@override_settings(ACADEMY_TRUSTED_PROXIES=[PROXY])
def test_the_audit_log_records_the_client_behind_the_proxy(client, officer_user):
    client.post("/accounts/login/", {"username": "officer_a", "password": "wrong-password-x"},
                REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.21")
    client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD},
                REMOTE_ADDR="198.51.100.30", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert AuditLog.objects.get(action="login.failure").ip == "203.0.113.21"
    assert AuditLog.objects.get(action="login.success").ip == "198.51.100.30"  # not through the proxy
