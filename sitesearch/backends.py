"""The database search backend that Wagtail's admin uses (page, image, document and snippet search), with the
query cut to a length a person types: a 500-word query made the backend's query builder recurse until
Python gave up (RecursionError, a 500). The site's own search has its own bounds (sitesearch/pipeline.py)."""

from modelsearch.query import And, Or, PlainText
from wagtail.search.backends.database import SearchBackend as database_backend

MAX_QUERY_WORDS = 32
MAX_QUERY_CHARACTERS = 500


def _words(text):
    return " ".join(text[:MAX_QUERY_CHARACTERS].split()[:MAX_QUERY_WORDS])


def bounded(query):
    """The query (a string, or the query objects Wagtail's admin parses one into) cut to MAX_QUERY_WORDS."""
    if isinstance(query, str):
        return _words(query)
    if isinstance(query, PlainText):
        return PlainText(_words(query.query_string), operator=query.operator, boost=query.boost)
    if isinstance(query, And | Or):
        return type(query)([bounded(sub) for sub in query.subqueries[:MAX_QUERY_WORDS]])
    return query


def SearchBackend(params):  # noqa: N802 (Wagtail looks up a callable named SearchBackend)
    backend = database_backend(params)
    for name in ("search", "autocomplete"):
        unbounded = getattr(backend, name)

        def bounded_call(query, *args, _unbounded=unbounded, **kwargs):
            return _unbounded(bounded(query), *args, **kwargs)

        setattr(backend, name, bounded_call)
    return backend
