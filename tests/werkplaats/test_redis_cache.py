"""Redis away is a cache miss, never an error (werkplaats/redis_cache.py): reads miss,
writes are dropped, rate limits let the request in, and once Redis answers again the
process that lost a write removes every cached page before it serves one."""

import pytest
from django.conf import settings

from tests.conftest import free_port
from werkplaats import redis_cache
from werkplaats.redis_cache import TolerantRedisCache

pytestmark = pytest.mark.real_stack_only(reason="the cache on a real Redis, and one that is away")

OPTIONS = {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1}}


@pytest.fixture
def away():
    return TolerantRedisCache(f"redis://127.0.0.1:{free_port()}/0", OPTIONS)


@pytest.fixture
def live():
    cache = TolerantRedisCache(settings.REDIS_URL, {**OPTIONS, "KEY_PREFIX": "redis-cache-test"})
    yield cache
    cache.delete_many(["pagina:a", "fragment:b", "persoonlijk:c", "versie:themas", "ander"])


def test_an_unreachable_redis_is_a_miss_and_a_dropped_write_not_an_error(away, monkeypatch):
    monkeypatch.setattr(redis_cache, "_writes_lost", False)
    assert away.get("versie:themas", "standaard") == "standaard"
    assert away.get_many(["a", "b"]) == {}
    assert away.add("ratelimit:x", 0) is False
    assert away.incr("ratelimit:x") == 0  # counts nothing: the request goes through
    assert away.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert redis_cache._writes_lost


def test_once_redis_answers_again_the_pages_made_before_are_removed_and_versions_kept(
    away, live, monkeypatch
):
    monkeypatch.setattr(redis_cache, "_writes_lost", False)
    live.set_many({"pagina:a": 1, "fragment:b": 2, "persoonlijk:c": 3, "versie:themas": "v1"})
    live.set("ander", "blijft")

    away.set("versie:themas", "v2")  # a version bump lost while Redis was away

    assert live.get("pagina:a") is None
    assert live.get_many(["fragment:b", "persoonlijk:c"]) == {}
    assert live.get("versie:themas") == "v1"
    assert live.get("ander") == "blijft"
    assert not redis_cache._writes_lost


def test_without_a_lost_write_nothing_is_removed(live, monkeypatch):
    monkeypatch.setattr(redis_cache, "_writes_lost", False)
    live.set("pagina:a", 1)
    assert live.get("pagina:a") == 1
