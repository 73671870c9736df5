"""Counting searches per day, without storing who searched. On the path of every search: counted in the shared
cache and written within a minute (core/counters.py)."""

from django.utils import timezone

from core.counters import count_soon

from .models import SearchTermDay


def _bump(query, **increments):
    query = (query or "")[:200]
    if query:
        count_soon(SearchTermDay, {"date": timezone.localdate(), "query": query}, **increments)


def record_search(normalised_query, result_count):
    _bump(normalised_query, searches=1, zero_results=int(result_count == 0))


def record_click(normalised_query):
    _bump(normalised_query, clicks=1)
