"""Site-wide views: the CSRF failure page in the site's own design (Django's default has no request context),
the brand stylesheet, the health check and local media."""

import posixpath

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.static import serve

from core import published
from policypages.branding import SchoolBranding, brand_stylesheet, shade


def csrf_failure(request, reason=""):
    # `reason` is for developers (it is logged by Django); readers get what to do next.
    return render(request, "403_csrf.html", status=403)


@require_GET
def brand_css(request):
    """The school's colours as a stylesheet, so the Content-Security-Policy needs no inline style.

    The page links it with a version of the colours in the query string, so it can be cached for a year.
    """
    site = published.current().site_for_request(request)
    branding = SchoolBranding.for_site(site) if site else SchoolBranding()
    response = HttpResponse(brand_stylesheet(branding, shade(branding.main_colour, 0.75)), content_type="text/css")
    response["Cache-Control"] = "public, max-age=31536000, immutable" if request.GET.get("v") else "no-cache"
    return response


def healthz(request):
    """'ok' for load balancers and uptime checks: the application is up (it does not touch the database).

    Also the baseline of bench/load.py: the cheapest request this Django stack can answer.
    """
    return HttpResponse("ok", content_type="text/plain")


def local_media(request, path):
    """`make run` serves uploaded images from MEDIA_ROOT, as the proxy does in production; never documents,
    however the address is written ("images/../documents/x.pdf" included): Wagtail's /documents/ view hands
    those out after checking their collection's privacy."""
    normalised = posixpath.normpath(path).lstrip("/")
    if normalised == "documents" or normalised.startswith(("documents/", "../")):
        raise Http404
    return serve(request, normalised, document_root=settings.MEDIA_ROOT)


def not_here(request, *args, **kwargs):
    """An address another app routes that this site does not offer (schoolsite/urls.py says why)."""
    raise Http404
