"""Per-day counters (searches, clicks, 'was this helpful?'): one row per key per day, safe under concurrent requests.

Every search is counted, and writing the count was the largest cost of a search after the search itself
(docs/performance.md). So `count_soon` adds a count to the shared cache (Redis: one round trip) and the counts
are written to the database together: by the first count after a minute, and by anyone about to read them
(`write_pending`, called by HR's screens before they count). Without a shared cache, or while Redis does not
answer, a count goes straight to the database. At most a minute of counts lives only in Redis: lost if Redis
loses its data, never counted twice.
"""

import json
import logging
from collections import defaultdict

from django.apps import apps
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F

from .cache import FAILURES

logger = logging.getLogger(__name__)

PENDING = "counters:pending"  # a Redis hash: [model, key, field] -> count not yet written
DUE = "counters:due"  # present for a minute after the counts were last written
WRITE_EVERY_SECONDS = 60


def increment_daily(model, key, **increments):
    """Add `increments` to today's row of `model` identified by `key` (which includes the date), creating it if need be."""
    updates = {name: F(name) + n for name, n in increments.items()}
    if model.objects.filter(**key).update(**updates):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **increments)
    except IntegrityError:  # another request created the row first
        model.objects.filter(**key).update(**updates)


def _redis():
    """The shared cache's Redis client, or None: no shared cache, or Redis left alone after a failure."""
    client_for = getattr(cache, "redis_client", None)
    return client_for() if client_for else None


def count_soon(model, key, **increments):
    """As increment_daily, written to the database within a minute (or before anyone reads the counts)."""
    client = _redis()
    if client is None:
        return increment_daily(model, key, **increments)
    pending, due = cache.make_key(PENDING), cache.make_key(DUE)
    row = json.dumps([model._meta.label_lower, key], sort_keys=True, cls=DjangoJSONEncoder)
    try:
        # All or nothing (MULTI/EXEC): a failure part-way must not leave a count that is then written again.
        pipe = client.pipeline(transaction=True)
        for name, n in increments.items():
            if n:
                pipe.hincrby(pending, json.dumps([row, name]), n)
        pipe.set(due, 1, nx=True, ex=WRITE_EVERY_SECONDS)
        *_, write_now = pipe.execute()
    except FAILURES as error:
        cache.failed(error)
        return increment_daily(model, key, **increments)
    if write_now:  # the first count since the last write a minute ago
        write_pending()


def write_pending():
    """Write every count waiting in Redis to the database, in one transaction. Each caller takes what is waiting
    (read and removed together), so two servers writing at once never write a count twice; if the database
    refuses, the counts go back for the next write."""
    client = _redis()
    if client is None:
        return
    pending = cache.make_key(PENDING)
    try:
        pipe = client.pipeline(transaction=True)
        pipe.hgetall(pending)
        pipe.delete(pending)
        waiting, _ = pipe.execute()
    except FAILURES as error:
        cache.failed(error)
        return
    if not waiting:
        return
    rows = defaultdict(dict)
    for field, n in waiting.items():
        row, name = json.loads(field)
        rows[row][name] = int(n)
    try:
        with transaction.atomic():
            for row, increments in rows.items():
                label, key = json.loads(row)
                increment_daily(apps.get_model(label), key, **increments)
    except Exception:
        logger.exception("Could not write %s waiting counts; they are kept for the next write", len(waiting))
        try:
            pipe = client.pipeline(transaction=True)
            for field, n in waiting.items():
                pipe.hincrby(pending, field, int(n))
            pipe.execute()
        except FAILURES as error:
            cache.failed(error)
