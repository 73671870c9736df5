"""Counting searches per day, without storing who searched."""

from django.utils import timezone

from core.counters import increment_daily

from .models import SearchTermDay


def _bump(query, **increments):
    query = (query or "")[:200]
    if query:
        increment_daily(SearchTermDay, {"date": timezone.localdate(), "query": query}, **increments)


def record_search(normalised_query, result_count):
    _bump(normalised_query, searches=1, zero_results=int(result_count == 0))


def record_click(normalised_query):
    _bump(normalised_query, clicks=1)
