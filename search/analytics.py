"""Counting searches per day, without storing who searched."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import SearchTermDay


def _bump(query, **increments):
    query = (query or "")[:200]
    if not query:
        return
    today = timezone.localdate()
    updates = {name: F(name) + n for name, n in increments.items()}
    if SearchTermDay.objects.filter(date=today, query=query).update(**updates):
        return
    try:
        with transaction.atomic():
            SearchTermDay.objects.create(date=today, query=query, **increments)
    except IntegrityError:  # another request created today's row first
        SearchTermDay.objects.filter(date=today, query=query).update(**updates)


def record_search(normalised_query, result_count):
    _bump(normalised_query, searches=1, zero_results=int(result_count == 0))


def record_click(normalised_query):
    _bump(normalised_query, clicks=1)
