"""The shared Redis cache: when Redis is down, the site carries on as if every read were a miss."""

import socket
import time

import pytest
from django.core.cache.backends.redis import RedisCache

from core.cache import ResilientRedisCache


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def unreachable():
    ResilientRedisCache._down_until = 0.0
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:{_closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )
    yield cache
    ResilientRedisCache._down_until = 0.0


def test_an_unreachable_redis_reads_as_a_miss_and_writes_are_dropped(unreachable, caplog):
    assert unreachable.get("token", "default") == "default"
    unreachable.set("token", "value")
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.add("lock", 1) is False
    assert "Redis cache unavailable" in caplog.text


def test_after_a_failure_redis_is_left_alone_for_a_while(unreachable, monkeypatch):
    unreachable.get("token")

    def must_not_be_called(*args, **kwargs):
        raise AssertionError("tried Redis again straight away")

    monkeypatch.setattr(RedisCache, "get", must_not_be_called)
    assert unreachable.get("token", "default") == "default"  # no connection attempt, no timeout to wait for
    ResilientRedisCache._down_until = time.monotonic() - 1
    with pytest.raises(AssertionError):
        unreachable.get("token")  # the pause is over: Redis is tried again


def test_a_missing_counter_still_raises_as_django_documents(unreachable):
    ResilientRedisCache._down_until = 0.0
    redis = ResilientRedisCache("redis://127.0.0.1:6379/15", {})
    try:
        redis.get("probe")
    except Exception:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    if time.monotonic() < ResilientRedisCache._down_until:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    redis.delete("no-such-counter")
    with pytest.raises(ValueError):
        redis.incr("no-such-counter")
    redis.set("seen", "yes", 5)
    assert redis.get("seen") == "yes"
    redis.delete("seen")


@pytest.mark.django_db
def test_the_site_serves_visitors_and_staff_with_redis_unreachable(client, tree, staff_user, settings, caplog):
    """The drill: REDIS_URL points at nothing. Pages, search and publishing still work, more slowly."""
    from tests.guidance.factories import make_answer

    ResilientRedisCache._down_until = 0.0
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    make_answer(tree.parents_guidance, "Can I post photos of the school play?", audience="parents")
    for path in ("/", "/parents/", "/parents/questions/can-i-post-photos-of-the-school-play/"):
        assert client.get(path).status_code == 200, path
    client.force_login(staff_user)
    assert client.get("/staff/").status_code == 200
    titles = [r["title"] for r in client.get("/api/search/?q=photos+school+play").json()["results"]]
    assert titles[0] == "Can I post photos of the school play?"
    make_answer(tree.parents_guidance, "Can I film the nativity?", audience="parents")  # a publish
    assert "Can I film the nativity?" in client.get("/parents/").content.decode()
    assert "Redis cache unavailable" in caplog.text
    ResilientRedisCache._down_until = 0.0


def test_one_redis_client_is_kept_for_each_connection_pool(unreachable):
    """Django would build a new redis.Redis object (and its table of response handlers) for every cache call."""
    client = unreachable._cache
    assert client.get_client("a") is client.get_client("b") is client.get_client("c", write=True)
    assert client.get_client("a").connection_pool is client._get_connection_pool(False)
