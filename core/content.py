"""The content version: one token for "what is published", shared by every process on every server.

Everything worked out from published content (the published snapshot, the visitors' and readers' page caches,
search's vocabularies and indexes) is keyed by it, so changing it (content_changed) makes each of them start
afresh at once everywhere. Who calls content_changed: core's own receivers below for the page tree, privacy and
sites; each app for its own models that pages show (branding, versions, answers' checks, synonyms).
"""

import threading
import time
import uuid

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import is_shared as cache_is_shared
from .models import ContentVersion

CONTENT_VERSION_KEY = "search:content-version"  # the key every running server already uses


def content_version():
    """A token that changes whenever published content, restrictions or synonyms change.

    A random token rather than a counter: a cache that is emptied (or a database restored) can never
    bring back a token that an older index or vocabulary was built for. The database holds the truth; a
    shared cache (Redis) saves the query, a per-process memory cache must not (another process may have
    published since), so without a shared cache the row is read on every search: one indexed query.
    """
    memo = getattr(_recent, "version", None)
    if memo and time.monotonic() - memo[1] < VERSION_MEMO_SECONDS:
        return memo[0]  # one search asks several times; one read is enough
    version = _read_content_version()
    _recent.version = (version, time.monotonic())
    return version


# How long one process trusts the token it just read: long enough for one request, short enough that a
# publish on another server shows at once to a person.
VERSION_MEMO_SECONDS = 0.2
_recent = threading.local()


def _read_content_version():
    shared = cache_is_shared()
    if shared:
        version = cache.get(CONTENT_VERSION_KEY)
        if version is not None:
            return version
    row = ContentVersion.objects.filter(pk=1).only("token").first()
    if row is None:
        row, _ = ContentVersion.objects.get_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    if shared:
        cache.set(CONTENT_VERSION_KEY, row.token, None)
    return row.token


def content_changed():
    """Called when pages or synonyms change: every process, on every server, sees the change at once."""
    token = uuid.uuid4().hex
    ContentVersion.objects.update_or_create(pk=1, defaults={"token": token})
    cache.set(CONTENT_VERSION_KEY, token, None)
    _recent.version = None


# --- the page tree, its privacy and its sites: what every cached page depends on ---------------------


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender=Page)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(m2m_changed, sender=PageViewRestriction.groups.through)  # which groups may see a private branch
@receiver(post_save, sender=Site)  # a site's host or root page: where every address points
@receiver(post_delete, sender=Site)
def published_content_changed(sender, **kwargs):
    content_changed()
