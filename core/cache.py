"""Redis as the shared cache, without making Redis a single point of failure.

If Redis stops answering, every cache call behaves as a miss (reads return the default, writes are dropped)
and Redis is left alone for a short while instead of costing each request a connection timeout. The site
keeps serving from the database, more slowly; sessions use `cached_db`, so nobody is signed out.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 15
# Connection refused, timeouts, a server that went away.
FAILURES = (RedisError, OSError)


def is_shared():
    """Whether the default cache is one every process and server reads (Redis), so that something one process
    changes is seen by all. A per-process memory cache is not: what is kept in it must not outlive a change
    another process may make."""
    from django.conf import settings

    return not settings.CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))


def tokens(*keys):
    """{key: token} for change tokens kept in the cache: each a random value, made when missing, that a change
    deletes (so the next reader makes a new one). Random, never a counter: an emptied cache cannot bring an old
    token back. One cache read when they all exist."""
    import uuid

    from django.core.cache import cache

    found = cache.get_many(list(keys))
    for key in keys:
        if key not in found:
            found[key] = uuid.uuid4().hex
            if not cache.add(key, found[key], None):  # another request made it first
                found[key] = cache.get(key) or found[key]
    return found


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django makes a new redis.Redis object for every cache call, which builds its table of ~200 response
    handlers each time: about a tenth of a cached signed-in page's time. A client per connection pool is
    thread-safe (the pool hands each command its own connection), so one is kept and reused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _guarded(self, name, default):
        method = getattr(super(), name)

        def call(*args, **kwargs):
            if time.monotonic() < self._down_until:
                return default
            try:
                return method(*args, **kwargs)
            except FAILURES as error:
                self.failed(error)
                return default

        return call

    def failed(self, error):
        """Redis did not answer: leave it alone for a while."""
        ResilientRedisCache._down_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("Redis cache unavailable (%s); serving without it for %ss.", error, RETRY_AFTER_SECONDS)

    def redis_client(self):
        """redis-py's own client, for what Django's cache API cannot say (core/counters.py keeps a hash), or None
        while Redis is left alone after a failure. A caller catches FAILURES and calls failed()."""
        if time.monotonic() < self._down_until:
            return None
        return self._cache.get_client(None, write=True)

    def get(self, key, default=None, version=None):
        return self._guarded("get", default)(key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {})(keys, version)

    def set(self, *args, **kwargs):
        return self._guarded("set", None)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._guarded("add", False)(*args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._guarded("set_many", [])(*args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guarded("touch", False)(*args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guarded("delete", False)(*args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guarded("delete_many", None)(*args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guarded("has_key", False)(*args, **kwargs)

    def incr(self, key, delta=1, version=None):
        # Redis down: as if the count had just started. A missing key still raises ValueError, as Django says.
        return self._guarded("incr", delta)(key, delta, version)

    def clear(self):
        return self._guarded("clear", False)()
