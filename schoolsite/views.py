"""Site-wide views: the CSRF failure page in the site's own design (Django's default has no request context)."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    # `reason` is for developers (it is logged by Django); readers get what to do next.
    return render(request, "403_csrf.html", status=403)
