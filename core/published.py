"""What is published, read once per content version: the sites, the address of every live page, and the view
restrictions. Every signed-in request used to ask the database for these again (Wagtail's routing walks the
tree one level per query; each privacy check reads the restrictions of the page and its ancestors), though
they change only when something is published, moved, deleted or made private (docs/performance.md).

Each process keeps one snapshot and builds a new one when the shared content version moves
(core.content.content_version: every publish, unpublish, move, delete, privacy change, site change and
rebranding changes it, on every server at once). The snapshot answers questions; it never decides on its own:
a path it does not know is routed by Wagtail as before, and the pages themselves are still read from the
database on every request.
"""

import threading
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site

from .content import content_version


@dataclass(frozen=True)
class Published:
    version: str
    sites: tuple  # every Site, with its root page
    addresses: dict  # site pk -> {path below the site's root, as a tuple of slugs: (page pk, content type id)}
    restrictions: tuple  # every PageViewRestriction, with its page and groups loaded, shallowest first
    titles: dict  # tree path -> (title, url_path) of every page, live or not, for breadcrumbs
    _by_path: dict = field(default_factory=dict, repr=False)
    _derived: dict = field(default_factory=dict, repr=False)

    def derived(self, key, make):
        """Something worked out from published content (a site's branding, say), made at most once per
        snapshot: the next content version starts afresh. What `make` returns is shared by every request of
        this process, so it must not be changed by them."""
        try:
            return self._derived[key]
        except KeyError:
            return self._derived.setdefault(key, make())

    def site_for(self, hostname, port):
        """The site Wagtail would choose for this host and port (wagtail.models.sites.get_site_for_hostname):
        the exact host and port; else the host on the default site; else the default site, unless exactly one
        other site has this host."""
        candidates = [s for s in self.sites if s.hostname == hostname or s.is_default_site]

        def match(site):
            if site.hostname == hostname and site.port == port:
                return 0
            if site.hostname == hostname and site.is_default_site:
                return 1
            return 2 if site.is_default_site else 3

        candidates.sort(key=match)
        if not candidates:
            return None
        if len(candidates) == 1 or match(candidates[0]) in (0, 1):
            return candidates[0]
        return candidates[len(candidates) == 2]

    def site_for_request(self, request):
        """The request's site, remembered on the request where Wagtail looks for it (Site.find_for_request)."""
        if not hasattr(request, "_wagtail_site"):
            hostname = split_domain_port(request._get_raw_host())[0]
            request._wagtail_site = self.site_for(hostname, request.get_port())
        return request._wagtail_site

    def page_at(self, site, slugs):
        """(page pk, content type id, the slugs left over) for the deepest live page on this path, or None."""
        addresses = self.addresses.get(site.pk, {})
        for depth in range(len(slugs), -1, -1):
            found = addresses.get(tuple(slugs[:depth]))
            if found is not None:
                return (*found, list(slugs[depth:]))
        return None

    def breadcrumbs(self, site, page):
        """(title, address) of each ancestor of `page` from the site's home page down, as Wagtail would give
        them (Page.get_ancestors, pageurl), or None where one is not below the site's root (Wagtail decides)."""
        if site is None:
            return None
        root = site.root_page.url_path
        step = Page.steplen
        crumbs = []
        for end in range(2 * step, len(page.path), step):
            title, url_path = self.titles.get(page.path[:end], (None, ""))
            if title is None or not url_path.startswith(root):
                return None
            crumbs.append((title, "/" + url_path[len(root) :]))
        return crumbs

    def address_of_first(self, site, model, below="/"):
        """The address of the shallowest live page of exactly this type on the site ("/staff/"), below the
        given address, or None: for links to the site's main pages that follow an editor's renaming or moving
        of them."""
        if site is None or below is None:
            return None
        content_type_id = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        within = tuple(slug for slug in below.split("/") if slug)
        found = [
            slugs
            for slugs, (_, type_id) in self.addresses.get(site.pk, {}).items()
            if type_id == content_type_id and slugs[: len(within)] == within
        ]
        if not found:
            return None
        slugs = min(found, key=lambda s: (len(s), s))
        return "/" + "".join(f"{slug}/" for slug in slugs)

    def restrictions_on(self, path):
        """The view restrictions on the page at this tree path and on its ancestors."""
        step = Page.steplen
        found = []
        for end in range(step, len(path) + 1, step):
            found.extend(self._by_path.get(path[:end], ()))
        return found


def build(version):
    sites = tuple(Site.objects.select_related("root_page"))
    roots = {site.pk: site.root_page.url_path for site in sites}
    addresses = {pk: {} for pk in roots}
    for pk, url_path, content_type_id in Page.objects.live().values_list("pk", "url_path", "content_type_id"):
        for site_pk, root in roots.items():
            if url_path.startswith(root):
                slugs = tuple(s for s in url_path[len(root) :].split("/") if s)
                addresses[site_pk][slugs] = (pk, content_type_id)
    restrictions = tuple(
        PageViewRestriction.objects.select_related("page").prefetch_related("groups").order_by("page__path")
    )
    by_path = {}
    for restriction in restrictions:
        by_path.setdefault(restriction.page.path, []).append(restriction)
    titles = {
        path: (title, url_path) for path, title, url_path in Page.objects.values_list("path", "title", "url_path")
    }
    return Published(version, sites, addresses, restrictions, titles, by_path)


_current = None
_lock = threading.Lock()


def current():
    """This process's snapshot for the content version now."""
    global _current
    version = content_version()
    snapshot = _current
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with _lock:
        if _current is None or _current.version != version:
            _current = build(version)
        return _current


def forget():
    """Drop this process's snapshot (tests that rewrite the database under it)."""
    global _current
    with _lock:
        _current = None


def route(request, path):
    """Route `path` as Wagtail would, from the snapshot, and remember the result on the request where Wagtail's
    serve() looks for it (Page.route_for_request), so Wagtail's own serve() runs its privacy hooks and the
    page as before. The page is read with its specific fields in one query, and its own route() finishes the
    job (a routable page resolves its sub-paths; a child that is not live is not found). A path the snapshot
    does not know, or a page gone since the snapshot was taken, is left to Wagtail's routing."""
    snapshot = current()
    site = snapshot.site_for_request(request)
    found = snapshot.page_at(site, [slug for slug in path.split("/") if slug]) if site else None
    if found is None:
        return
    pk, content_type_id, remaining = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model.objects.filter(pk=pk, live=True).first() if model else None
    if page is None:
        return
    try:
        request._wagtail_route_for_request = page.route(request, remaining)
    except Http404:
        request._wagtail_route_for_request = None


def remember_site_root_paths(request):
    """Every site's root path, from the snapshot, where Wagtail's page URLs look for them on the request: a
    page's links then cost no cache read (in production a call to Redis) for each request."""
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        request._wagtail_cached_site_root_paths = current().derived("site root paths", Site.get_site_root_paths)


class PublishedRouting:
    """Middleware: a request for a page is routed from the snapshot before Wagtail's serve() runs, so the
    tree is not walked one query per level. Everything else about serving a page stays Wagtail's."""

    def __init__(self, get_response):
        from wagtail.views import serve

        self.get_response, self.wagtail_serve = get_response, serve

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is self.wagtail_serve and view_args:
            remember_site_root_paths(request)
            route(request, view_args[0])
        return None


class RestrictionsFromSnapshot:
    """Page mixin: a page's view restrictions (its own and its ancestors') come from the snapshot, not two
    queries. Still a queryset of the same rows, so Wagtail's check before serving, and any caller that filters
    or orders it (the admin's privacy dialog), behave as before: only plain iteration is answered from memory.
    An alias's restrictions include its original's ancestors': those are left to Wagtail."""

    def get_view_restrictions(self):
        if self.alias_of_id or not self.path:
            return super().get_view_restrictions()
        restrictions = current().restrictions_on(self.path)
        queryset = PageViewRestriction.objects.filter(pk__in=[r.pk for r in restrictions])
        queryset._result_cache = list(restrictions)
        queryset._prefetch_done = True
        return queryset


def published_data(page, name, make, request=None):
    """Something read from the database about a live page, once per content version instead of on every
    request (this process's snapshot): its sections, its issued versions, the answers citing it. Only what
    the live rows say: a draft's own choices (what a preview shows) are read afresh, as is anything about a
    page that is not live or not saved. The result is shared by every request: never change it."""
    if not page.pk or not page.live or getattr(request, "is_preview", False):
        return make()
    return current().derived((name, page.pk), make)
