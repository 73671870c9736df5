"""An address with a query string we cannot read is the sender's mistake, not the server's: 400, not 500.

Wagtail's admin screens read their query strings in many places (page numbers, IDs, orderings, filters) and
some of them raise on nonsense (`?p=-1`, `?id=abc`). Rather than patch each screen, any GET whose query
string makes a view raise one of the errors that reading input raises is answered with a plain 400 page, and
logged with its traceback so a real bug is still seen. Requests without a query string are untouched.

A NUL character is never part of a real query, and PostgreSQL refuses it in any text it is asked to compare
(a 500 wherever a view filters on a query parameter): a query string holding one is answered 400 before any
view runs. (Form fields already refuse NUL: Django's CharField validates it.)

A form posted without a field its page always sends is answered 400 too, with what to do.
"""

import logging

from django.core.exceptions import FieldError, ValidationError
from django.core.paginator import InvalidPage
from django.shortcuts import render
from django.utils.datastructures import MultiValueDictKeyError

logger = logging.getLogger(__name__)
UNREADABLE_INPUT = (ValueError, TypeError, KeyError, InvalidPage, FieldError, ValidationError, RecursionError)


class BadQueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method == "POST" and isinstance(exception, MultiValueDictKeyError):
            # A form posted without fields its page always sends (Wagtail's page editor reads "<field>-count"
            # from every block field): not something a person filling the form can do, and not a server error.
            logger.warning("Incomplete form posted to %s", request.path, exc_info=exception)
            return render(request, "400.html", {"incomplete_form": True}, status=400)
        if request.method not in ("GET", "HEAD") or not request.META.get("QUERY_STRING"):
            return None
        if not isinstance(exception, UNREADABLE_INPUT):
            return None
        logger.warning("Unreadable query string for %s", request.path, exc_info=exception)
        return render(request, "400.html", status=400)
