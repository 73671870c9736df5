"""Account pages the school manages itself, in place of the ones allauth and Wagtail would otherwise offer."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
@login_required
def email_address(request):
    """People's addresses are the school's records, set by the school: nobody adds or changes one here.

    allauth's own page would let anyone add another person's address to their account (and mail that
    person); this page only shows the address and says whom to ask. Any POST is ignored the same way."""
    return render(request, "account/email_managed.html", status=200 if request.method == "GET" else 405)
