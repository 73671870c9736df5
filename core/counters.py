"""Per-day counters (searches, 'was this helpful?'): one row per key per day, safe under concurrent requests."""

from django.db import IntegrityError, transaction
from django.db.models import F


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
