"""Whole-page cache for visitors who are not signed in: parents and the public.

Only anonymous GETs of public pages without a query string are cached, and only when nothing personal went
into them (no messages waiting, no CSRF token rendered into a form). The key holds the content version
(search.pipeline.content_version), which changes on every publish, unpublish, move, privacy change,
issued version or branding change: a publish purges every cached page at once, on every server sharing
the cache. Signed-in staff are never served from, or written to, this cache.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from schoolsite import published

TIMEOUT = 600  # review dates and "overdue" badges depend on the day: never older than ten minutes
PREFIX = "page-cache"


def key_for(request):
    if not settings.PAGE_CACHE_ENABLED:
        return None
    if request.method not in ("GET", "HEAD") or request.GET or request.user.is_authenticated:
        return None
    if getattr(request, "is_preview", False) or request.COOKIES.get("messages"):
        return None
    session = getattr(request, "session", None)
    if session is not None and session.get("_messages"):
        return None
    from search.pipeline import content_version

    return f"{PREFIX}:{content_version()}:{request.get_host()}:{request.path}"


def cached_response(key):
    hit = cache.get(key) if key else None
    if hit is None:
        return None
    content, content_type = hit
    response = HttpResponse(content, content_type=content_type)
    response["X-Page-Cache"] = "hit"
    return response


def store_when_rendered(key, request, response):
    """Keep the rendered page, unless rendering it put a CSRF token (a form) or a cookie into it."""

    def store(rendered):
        if rendered.status_code != 200 or rendered.cookies:
            return
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
            return
        cache.set(key, (rendered.content, rendered["Content-Type"]), TIMEOUT)

    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(store)
    else:
        store(response)
    return response


class CachedForVisitors:
    """Mixin for page models whose main view is the same for every visitor who is not signed in.

    Put it before RoutablePageMixin: only the page's own address is cached, never its sub-routes.
    Pages are stored here, after Wagtail has checked the page's privacy; PageCacheMiddleware answers from
    the cache before routing, which is safe because any change of privacy changes the content version.
    """

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        key = key_for(request) if request.path == self.get_url(request) else None
        # A page under any view restriction is never kept: a visitor who gave a page's password sees it, and the
        # next visitor, without it, must get the form (a restriction added later changes the content version).
        if key and published.current().restrictions_on(self.path):
            key = None
        return store_when_rendered(key, request, response) if key else response


class PageCacheMiddleware:
    """Answer visitors from the page cache before Wagtail routes the request (a hit costs one query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = cached_response(key_for(request))
        return response if response is not None else self.get_response(request)
