"""Searches are counted in the shared cache and written to the database together (core/counters.py): every count
reaches HR's screens, none twice, none lost when the database or Redis fails. Against a real Redis (skipped
without one, as on a new user's machine: there the count goes straight to the database, as every other test
of searching checks)."""

import uuid

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import counters
from core.cache import ResilientRedisCache
from sitesearch.models import SearchTermDay

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def shared_cache(settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    # A prefix of its own: nothing another test or server keeps is touched.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"counters-test-{uuid.uuid4().hex}",
        }
    }
    from django.core.cache import cache

    yield cache
    cache.delete_many([counters.PENDING, counters.DUE])
    ResilientRedisCache._down_until = 0.0


def search(client, q):
    assert client.get("/search/", {"q": q}).status_code == 200


def written(query):
    row = SearchTermDay.objects.filter(query=query).first()
    return (row.searches, row.zero_results) if row else (0, 0)


def test_searches_wait_in_redis_and_are_written_together(client, tree, staff_user, shared_cache):
    client.force_login(staff_user)
    search(client, "unicorn stables")  # the first count since none were written: written at once
    assert written("unicorn stables") == (1, 1)
    with CaptureQueriesContext(connection) as queries:
        search(client, "unicorn stables")
        search(client, "unicorn stables")
    assert not [q for q in queries if "searchtermday" in q["sql"]], "a count within the minute waits in Redis"
    assert written("unicorn stables") == (1, 1)
    counters.write_pending()
    assert written("unicorn stables") == (3, 3)
    counters.write_pending()  # nothing waiting: nothing written twice
    assert written("unicorn stables") == (3, 3)


def test_the_first_count_after_a_minute_writes_what_waited(client, tree, staff_user, shared_cache):
    client.force_login(staff_user)
    for _ in range(3):
        search(client, "unicorn stables")
    shared_cache.delete(counters.DUE)  # as when the minute is up
    search(client, "zebra crossings")
    assert written("unicorn stables") == (3, 3) and written("zebra crossings") == (1, 1)


def test_hr_screens_count_what_is_still_waiting(client, tree, staff_user, hr_user, shared_cache):
    client.force_login(staff_user)
    for _ in range(3):
        search(client, "unicorn stables")
    client.force_login(hr_user)
    page = client.get("/admin/search-report/").content.decode()
    assert "unicorn stables" in page
    assert written("unicorn stables") == (3, 3)


def test_a_database_that_refuses_keeps_the_counts_for_the_next_write(
    client, tree, staff_user, shared_cache, monkeypatch
):
    client.force_login(staff_user)
    for _ in range(3):
        search(client, "unicorn stables")
    real = counters.increment_daily

    def refuse(*args, **kwargs):
        raise RuntimeError("the database is away")

    monkeypatch.setattr(counters, "increment_daily", refuse)
    counters.write_pending()
    assert written("unicorn stables") == (1, 1)
    monkeypatch.setattr(counters, "increment_daily", real)
    counters.write_pending()
    assert written("unicorn stables") == (3, 3)


def test_without_redis_every_search_is_counted_in_the_database(client, tree, staff_user, settings):
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }  # nothing listens there
    try:
        client.force_login(staff_user)
        for _ in range(3):
            search(client, "unicorn stables")
        assert written("unicorn stables") == (3, 3)
    finally:
        ResilientRedisCache._down_until = 0.0
