from django.http import Http404
from django.template.response import TemplateResponse
from wagtail import hooks

from core.published import current

from .admin_viewsets import SchoolViewSet
from .services import is_unfiled, other_schools_staff_pages


@hooks.register("register_admin_viewset")
def register_schools():
    return SchoolViewSet("schools")


@hooks.register("before_serve_page")
def refuse_another_schools_staff_pages(page, request, serve_args, serve_kwargs):
    """Wagtail lets anyone signed in through a "signed-in users" restriction; inside another school's site of
    a trust, that is not enough (the same rule as every listing and search: core.privacy.refused_paths)."""
    refused = other_schools_staff_pages(request, current())
    if refused and page.path.startswith(refused):
        if is_unfiled(request.user):  # say why, and whom to ask
            return TemplateResponse(request, "403.html", {"unfiled": True}, status=403)
        raise Http404
