"""The cache on Redis, for which Redis being away is a miss, never an error.

Everything the portal keeps in the cache can be done without: pages are made again,
sessions are read from the database (`cached_db`), rate limits let the request through.
Django's RedisCache raises when Redis cannot be reached, and since `werkplaats.cache` bumps
the version of every table a statement writes, one unreachable Redis made every write, and
every log-in, a 500 (the fault suite's scenario 3, docs/reliability.md).

While Redis is away reads miss and writes are dropped, and a dropped write may be a lost
version bump: a page cached before the outage could be served as current after it. So the
process that lost a write removes every cached page, fragment and personal page as soon as
it reaches Redis again, before it answers anything from the cache; the versions stay (they
only ever move forward). The Celery queues in the same Redis are never touched.
"""

import logging
import threading

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# What werkplaats.cache keeps made from the database (its PAGE_KEY, FRAGMENT_KEY and
# PERSONAL_KEY); removed after an outage in which a version bump may have been lost.
MADE_FROM_DATA = ("pagina:", "fragment:", "persoonlijk:")

_lock = threading.Lock()
_writes_lost = False


def _lost_a_write() -> None:
    global _writes_lost
    with _lock:
        if not _writes_lost:
            logger.warning("Redis is unreachable: the cache is skipped until it is back.")
        _writes_lost = True


class TolerantRedisCache(RedisCache):
    def _recover(self) -> None:
        """After lost writes: remove what could be stale, once, before using the cache."""
        global _writes_lost
        if not _writes_lost:
            return
        with _lock:
            if not _writes_lost:
                return
            client = self._cache.get_client(write=True)
            removed = 0
            for prefix in MADE_FROM_DATA:
                pattern = f"*{self.make_key(prefix)}*"
                batch = []
                for key in client.scan_iter(match=pattern, count=1000):
                    batch.append(key)
                    if len(batch) == 1000:
                        removed += client.delete(*batch)
                        batch = []
                if batch:
                    removed += client.delete(*batch)
            _writes_lost = False
        logger.warning("Redis is back: %s cached pages made before or during it removed.", removed)

    def _read(self, method, default, *args, **kwargs):
        try:
            self._recover()
            return method(*args, **kwargs)
        except UNREACHABLE:
            return default

    def _write(self, method, failed, *args, **kwargs):
        try:
            self._recover()
            return method(*args, **kwargs)
        except UNREACHABLE:
            _lost_a_write()
            return failed

    def get(self, key, default=None, version=None):
        return self._read(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._read(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._read(super().has_key, False, key, version)

    def add(self, key, value, timeout=None, version=None):
        return self._write(super().add, False, key, value, timeout, version)

    def set(self, key, value, timeout=None, version=None):
        return self._write(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._write(super().set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._write(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._write(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._write(super().delete_many, None, keys, version)

    def incr(self, key, delta=1, version=None):
        # A rate limit's counter: with Redis away it counts nothing and lets the request in.
        return self._write(super().incr, 0, key, delta, version)

    def clear(self):
        return self._write(super().clear, None)
