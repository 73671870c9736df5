from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from wagtail import hooks

from core.published import current

from .admin_viewsets import SchoolViewSet
from .services import is_unfiled, other_schools_roots, other_schools_staff_pages


@hooks.register("register_admin_viewset")
def register_schools():
    return SchoolViewSet("schools")


@hooks.register("construct_page_chooser_queryset")
def choose_from_their_own_schools(pages, request):
    """The page chooser (linking a page from a policy, an answer, a promotion) lists the person's own schools'
    pages and the trust's, never another school's: their titles alone can say too much."""
    elsewhere = other_schools_roots(request.user, current())
    if not elsewhere:
        return pages
    away = Q()
    for root in elsewhere:
        away |= Q(path__startswith=root)
    return pages.exclude(away)


@hooks.register("before_serve_page")
def refuse_another_schools_staff_pages(page, request, serve_args, serve_kwargs):
    """Wagtail lets anyone signed in through a "signed-in users" restriction; inside another school's site of
    a trust, that is not enough (the same rule as every listing and search: core.privacy.refused_paths)."""
    refused = other_schools_staff_pages(request, current())
    if refused and page.path.startswith(refused):
        if is_unfiled(request.user):  # say why, and whom to ask
            return TemplateResponse(request, "403.html", {"unfiled": True}, status=403)
        raise Http404
