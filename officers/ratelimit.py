"""Rate limits counted in the shared cache, so every worker process and every
app server counts against the same budget.

The shared cache (``CACHES[RATE_LIMIT_CACHE]``, "shared") is Django's database
cache in the project's own database, on SQLite and PostgreSQL alike; its table
is created by ``migrate`` (officers.apps). Counters are per scope, per key
(usually the client address, officers.audit.client_ip) and per fixed window.
"""
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction

RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: The clock of the windows (tests may replace it).
clock = time.time


class SharedDatabaseCache(DatabaseCache):
    """Django's database cache with an ``incr`` that is atomic across processes: the
    counter's row is locked while it is read and written (SELECT … FOR UPDATE on
    PostgreSQL; on SQLite the transaction takes the write lock, IMMEDIATE mode)."""

    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                with connection.cursor() as cursor:
                    table = connection.ops.quote_name(self._table)
                    cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                                   [self.make_and_validate_key(key, version=version)])
            return super().incr(key, delta, version=version)


def parse_rate(rate):
    """"30/m" → (30, 60)."""
    count, _sep, unit = str(rate).partition("/")
    return int(count), RATE_UNITS.get((unit or "m")[0].lower(), 60)


def counters():
    return caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]


def hit(scope, key, rate):
    """Count one use by ``key`` in ``scope``; True when it goes over ``rate`` ("30/m")."""
    limit, period = parse_rate(rate)
    window = int(clock() // period)
    cache_key = f"ratelimit:{scope}:{key or 'unknown'}:{window}"
    cache = counters()
    if cache.add(cache_key, 1, timeout=period + 1):
        return 1 > limit
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period + 1)
        return 1 > limit
    return count > limit
