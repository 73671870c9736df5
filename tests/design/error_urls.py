"""A URLconf for the error-page tests: views that fail on purpose, in front of the real site."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("A deliberate failure for the 500 page test")


urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-broken/", broken),
    path("", include("schoolsite.urls")),
]
