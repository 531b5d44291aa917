"""Rate limits: /verify/ counts each lookup once, per client address (through the
trusted proxy too), in the shared database cache that every worker process uses."""
import threading

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test import override_settings

from officers import ratelimit

PROXY = "10.9.0.1"
pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(monkeypatch):
    """The rate-limit clock at the start of a window (so a test never straddles two)."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    return now


def _lookup(client, n, **meta):
    """A code typed into the verification form, following its redirect."""
    return client.get("/verify/", {"code": f"NOSUCHCODE{n}"}, follow=True, **meta).status_code


@override_settings(VERIFY_RATE_LIMIT="5/m")
def test_a_typed_code_is_counted_once_exactly_n_per_minute(client, frozen):
    assert [_lookup(client, i, REMOTE_ADDR="203.0.113.1") for i in range(5)] == [200] * 5
    assert _lookup(client, 6, REMOTE_ADDR="203.0.113.1") == 429
    assert client.get("/verify/NOSUCHCODE7/", REMOTE_ADDR="203.0.113.1").status_code == 429
    frozen[0] += 60  # the next minute
    assert _lookup(client, 8, REMOTE_ADDR="203.0.113.1") == 200


@override_settings(VERIFY_RATE_LIMIT="5/m", ACADEMY_TRUSTED_PROXIES=[PROXY])
def test_clients_behind_the_trusted_proxy_have_their_own_budgets(client, frozen):
    a = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    b = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.11"}
    assert [_lookup(client, i, **a) for i in range(6)] == [200] * 5 + [429]
    assert [_lookup(client, i, **b) for i in range(5)] == [200] * 5   # b is not blocked by a
    assert _lookup(client, 9, **b) == 429
    # Client a cannot buy a new budget by sending its own X-Forwarded-For through the proxy …
    assert _lookup(client, 10, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.10") == 429
    # … nor from elsewhere: a spoofed header from a peer that is not a proxy is ignored.
    direct = [_lookup(client, i, REMOTE_ADDR="198.51.100.50", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
              for i in range(6)]
    assert direct == [200] * 5 + [429]


def test_counters_live_in_the_shared_database_cache(frozen):
    shared = caches["shared"]
    assert isinstance(shared, ratelimit.SharedDatabaseCache)
    assert ratelimit.counters() is shared
    for _ in range(3):
        ratelimit.hit("test-shared", "203.0.113.200", "10/m")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(shared._table)}")
        assert cursor.fetchone()[0] >= 1
    assert shared.get(f"ratelimit:test-shared:203.0.113.200:{int(frozen[0] // 60)}") == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_workers_count_every_hit(frozen):
    """Eight threads (separate database connections, like separate workers) hitting the
    same counter: no increment is lost."""
    errors = []

    def work():
        try:
            for _ in range(5):
                ratelimit.hit("test-concurrent", "203.0.113.201", "1000/m")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert caches["shared"].get(f"ratelimit:test-concurrent:203.0.113.201:{int(frozen[0] // 60)}") == 40
    caches["shared"].clear()
