"""Whole-page cache: for visitors (parents, the public), and for signed-in readers of pages that are the same for
everyone with the same access.

Only GETs without a query string are cached, and only when nothing personal went into the page (no messages
waiting; for visitors, no CSRF token in a form). The key holds the content version
(core.content.content_version), which changes on every publish, unpublish, move, privacy change, issued
version or branding change: a publish purges every cached page at once, on every server sharing the cache.

The key also holds the reader's *audience*: "visitor", or, for someone signed in, the restricted paths they may
not see (core.privacy.refused_paths, Wagtail's own rule for every view restriction). Two people refused the
same paths are shown the same page, so a page kept for one may be given to the other; someone in a different
group, or who has given a different page's password, has a different key. Signed-in readers are cached only on
pages that say their main view is the same for everyone with the same access (`CachedForReaders`), apart from
two kinds of hole filled in for each reader on the way out: the CSRF token (kept as a placeholder), and the
parts a template marks `{% personal "template.html" %}` (a policy's reading status and "confirm" form), kept as
markers and rendered for the reader from the page's `personal_context(request)`. Where the cache is shared by
every process, a reader's rendered parts are kept too, under their own key, until something of theirs changes
(`person_changed`: a receipt, their account, their groups; called by policypages/signals.py) or the content
version or the day does.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import Context, engines
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property

from core import published
from core.cache import is_shared as is_shared_cache
from core.cache import tokens as change_tokens
from core.content import content_version
from core.privacy import refused_paths

TIMEOUT = 600  # review dates and "overdue" badges depend on the day: never older than ten minutes
PREFIX = "page-cache"


class _Placeholder:
    """Derived from the secret key: the same on every server sharing the cache, and not something an editor could
    type into a page to have a reader's token, or their reading status, written into it."""

    @cached_property
    def text(self):
        return "csrf-" + salted_hmac("core.page_cache", "csrf token placeholder").hexdigest()

    @cached_property
    def personal(self):
        return "personal-" + salted_hmac("core.page_cache", "personal part marker").hexdigest()

    @cached_property
    def personal_pattern(self):
        return re.compile(rb"<!--" + self.personal.encode() + rb":([\w./-]+)-->")


CSRF_PLACEHOLDER = _Placeholder()


def personal_marker(template_name):
    """What `{% personal %}` leaves in a page rendered for the cache, in place of the reader's own part."""
    return f"<!--{CSRF_PLACEHOLDER.personal}:{template_name}-->"


def fill_in(content, request, page):
    """A cached page for this reader: their own parts rendered into the markers, their own CSRF token into the
    placeholders."""
    if CSRF_PLACEHOLDER.personal.encode() in content:
        parts = {name.decode() for name in CSRF_PLACEHOLDER.personal_pattern.findall(content)}
        rendered = _personal_parts(request, page, sorted(parts))
        content = CSRF_PLACEHOLDER.personal_pattern.sub(lambda match: rendered[match.group(1).decode()], content)
    if CSRF_PLACEHOLDER.text.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.text.encode(), get_token(request).encode())
    return content


def _personal_parts(request, page, names):
    """{template name: the reader's part, as bytes}, with the CSRF placeholder where their token goes. Kept per
    person in a shared cache until something of theirs changes (person_changed), or anyone's groups
    (everyone_changed), or the content version or the day: a hit costs one cache read, not their receipts."""
    key = _personal_key(request, page, names)
    if key:
        kept = cache.get(key)
        if kept is not None:
            return kept
    published.remember_site_root_paths(request)
    # One plain context for every part (they need the reader, the page and the token, not the site-wide
    # context processors, which would run again for each part).
    context = Context({"csrf_token": CSRF_PLACEHOLDER.text} | page.personal_context(request))
    engine = engines["django"].engine
    rendered = {name: engine.get_template(name).render(context).encode() for name in names}
    if key:
        cache.set(key, rendered, TIMEOUT)
    return rendered


PERSON_KEY = PREFIX + ":person:{}"
EVERYONE_KEY = PREFIX + ":people"


def _personal_key(request, page, names):
    """None unless the cache is shared by every process: a change handled by one process must reach the
    others, which their own memory caches would not hear of."""
    if not is_shared_cache() or not request.user.is_authenticated:
        return None
    person = PERSON_KEY.format(request.user.pk)
    tokens = change_tokens(person, EVERYONE_KEY)
    return ":".join(
        [
            PREFIX,
            "parts",
            content_version(),
            str(timezone.localdate()),
            tokens[person],
            tokens[EVERYONE_KEY],
            request.get_host(),
            str(page.pk),
            str(request.user.pk),
            hashlib.sha256(",".join(names).encode()).hexdigest()[:16],
        ]
    )


def person_changed(user_pk):
    """Something about this person changed (a receipt, their account, their groups): their parts are
    rendered afresh. After the change commits, so the next rendering sees it."""
    transaction.on_commit(lambda: cache.delete(PERSON_KEY.format(user_pk)))


def everyone_changed():
    """A change that may touch anyone's parts (a group renamed or removed)."""
    transaction.on_commit(lambda: cache.delete(EVERYONE_KEY))


def audience(request):
    if not request.user.is_authenticated:
        return "visitor"
    refused = "\n".join(refused_paths(request))
    return "reader-" + hashlib.sha256(refused.encode()).hexdigest()[:32]


def key_for(request, readers=False):
    """The cache key of this request's page, or None when it must not be cached. `readers`: the page is the same
    for everyone with the same access, so signed-in readers may be cached too."""
    if not settings.PAGE_CACHE_ENABLED:
        return None
    if request.method not in ("GET", "HEAD") or request.GET:
        return None
    if request.user.is_authenticated and not readers:
        return None
    if getattr(request, "is_preview", False) or request.COOKIES.get("messages"):
        return None
    session = getattr(request, "session", None)
    if session is not None and session.get("_messages"):
        return None
    return f"{PREFIX}:{content_version()}:{request.get_host()}:{request.path}:{audience(request)}"


def cached_response(key, request, page_for=None):
    """The cached page, or None. `page_for(request)`: the page itself, for a reader's own parts."""
    hit = cache.get(key) if key else None
    if hit is None:
        return None
    content, content_type = hit
    if request.user.is_authenticated:
        page = page_for(request) if page_for and CSRF_PLACEHOLDER.personal.encode() in content else None
        if page is None and CSRF_PLACEHOLDER.personal.encode() in content:
            return None  # the page is gone since: let Wagtail answer
        content = fill_in(content, request, page)
    response = HttpResponse(content, content_type=content_type)
    response["X-Page-Cache"] = "hit"
    return response


def store_when_rendered(key, request, response, page=None):
    """Keep the rendered page, unless rendering it set a cookie or used the CSRF token (a visitor's form, or
    anything but the placeholder); then fill in this reader's own parts."""
    reader = request.user.is_authenticated

    def store(rendered):
        if key and rendered.status_code == 200 and not rendered.cookies:
            if not (request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED")):
                cache.set(key, (rendered.content, rendered["Content-Type"]), TIMEOUT)
        if reader:
            request._page_shell = request._csrf_placeholder = False  # the reader's own parts are theirs
            rendered.content = fill_in(rendered.content, request, page)

    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(store)
    else:
        store(response)
    return response


def csrf_placeholder(request):
    """Context processor (after Django's own): while a page is rendered for the readers' cache, its forms carry
    the placeholder, not the reader's token."""
    return {"csrf_token": CSRF_PLACEHOLDER.text} if getattr(request, "_csrf_placeholder", False) else {}


class CachedForVisitors:
    """Mixin for page models whose main view is the same for every visitor who is not signed in.

    Put it before RoutablePageMixin: only the page's own address is cached, never its sub-routes.
    Pages are stored here, after Wagtail has checked the page's privacy; PageCacheMiddleware answers from
    the cache before routing, which is safe because any change of privacy changes the content version.
    """

    cached_for_readers = False

    def serve(self, request, *args, **kwargs):
        key = None
        if request.path == self.get_url(request):
            key = key_for(request, readers=self.cached_for_readers)
        reader = request.user.is_authenticated
        # A visitor's page under any view restriction is never kept: a visitor who gave a page's password sees
        # it, and the next visitor, without it, must get the form. (A reader's key holds what they were let see.)
        if key and not reader and published.current().restrictions_on(self.path):
            key = None
        if key and reader:
            request._csrf_placeholder = request._page_shell = True
        response = super().serve(request, *args, **kwargs)
        return store_when_rendered(key, request, response, self) if key else response


class CachedForReaders(CachedForVisitors):
    """Mixin for page models whose main view is also the same for every signed-in reader with the same access:
    nothing in it about the person but what they may see (which pages are listed), the CSRF token, and the
    parts its template marks `{% personal %}`, rendered from `personal_context`."""

    cached_for_readers = True

    def personal_context(self, request):
        """The context of the page's {% personal %} parts, for this reader."""
        return {"page": self, "request": request}


def _reader_cached_content_types():
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    models = [m for m in apps.get_models() if issubclass(m, CachedForReaders)]
    return frozenset(ContentType.objects.get_for_models(*models).values()) if models else frozenset()


def _readers_page(request):
    """(page pk, its model) when this address is exactly a live page that may be cached for signed-in readers,
    else None. From the snapshot: no query, and no cache lookup for anything else a signed-in person opens."""
    snapshot = published.current()
    site = snapshot.site_for_request(request)
    found = snapshot.page_at(site, [s for s in request.path.split("/") if s]) if site else None
    if found is None or found[2] or not request.path.endswith("/"):
        return None
    content_types = snapshot.derived("page types cached for readers", _reader_cached_content_types)
    model = next((ct.model_class() for ct in content_types if ct.pk == found[1]), None)
    return (found[0], model) if model else None


class PageCacheMiddleware:
    """Answer from the page cache before Wagtail routes the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = _readers_page(request) if request.user.is_authenticated else None
        key = key_for(request, readers=found is not None)

        def page_for(request):
            # The live page as published: one instance per content version, shared, only read from.
            pk, model = found
            return published.current().derived(
                ("live page", pk), lambda: model.objects.filter(pk=pk, live=True).first()
            )

        response = cached_response(key, request, page_for if found else None)
        return response if response is not None else self.get_response(request)
