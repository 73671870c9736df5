"""Who may see which published pages, judged the way Wagtail's serve() judges them, for the places that list
pages outside it: a policy's sections, answers citing a section, related pages, search results, the page cache's
audience. No query per page: the restrictions come from the published snapshot (core/published.py)."""

from django.db.models import prefetch_related_objects

from .published import current

# Rules the apps above add (AppConfig.ready): each takes (request, snapshot) and returns paths this reader may
# not see besides those Wagtail's own restrictions refuse. schools: a school's staff-only pages are its own.
_further_rules = []


def also_refuse(rule):
    """Add a rule to refused_paths (and so to every listing, search and the page cache's audience)."""
    if rule not in _further_rules:
        _further_rules.append(rule)
    return rule


def is_restricted(page):
    return bool(page.get_view_restrictions())


def visible_to(request, pages):
    """The pages this reader may see, judged by every view restriction on each page or its ancestors.

    No query: the restrictions come from the published snapshot (core/published.py), which every change
    of privacy replaces. Used wherever pages are listed outside Wagtail's own serve() check: sections of a
    policy, answers citing a section, related pages, search results.
    """
    pages = list(pages)
    if not pages:
        return pages
    refused = refused_paths(request)
    if not refused:
        return pages
    return [page for page in pages if not page.path.startswith(refused)]


def refused_paths(request):
    """Paths of the restricted pages this reader may not see; their descendants are hidden too.

    Judged by Wagtail's own rule (PageViewRestriction.accept_request) on every restriction, once per request:
    the person's groups are read in one query for all the group restrictions, not one query each. It is also
    what the signed-in page cache keys a page by (core/page_cache.py): two people refused the same paths
    see the same pages."""
    snapshot = current()
    remembered = getattr(request, "_refused_paths", None)
    if remembered is not None and remembered[0] == snapshot.version:
        return remembered[1]
    user = request.user
    if user.is_authenticated and any(r.restriction_type == r.GROUPS for r in snapshot.restrictions):
        prefetch_related_objects([getattr(user, "_wrapped", user)], "groups")
    refused = tuple(r.page.path for r in snapshot.restrictions if not r.accept_request(request))
    refused += tuple(path for rule in _further_rules for path in rule(request, snapshot) if path not in refused)
    request._refused_paths = (snapshot.version, refused)
    return refused
