import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import F, Sum
from django.template.response import TemplateResponse
from django.utils import timezone

from core import counters
from guidance.models import AnswerFeedback

from .models import SearchTermDay

PERMISSION = "sitesearch.view_searchtermday"


def search_report(request):
    """What staff and parents searched for and did not find, and how helpful answers were. Last 30 days."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    counters.write_pending()  # the last minute's searches, still in the shared cache
    since = timezone.localdate() - datetime.timedelta(days=30)
    terms = (
        SearchTermDay.objects.filter(date__gte=since)
        .values("query")
        .annotate(searches=Sum("searches"), zero=Sum("zero_results"), clicks=Sum("clicks"))
    )
    nothing_found = terms.filter(zero__gt=0).order_by("-zero", "query")[:50]
    no_click = (
        terms.annotate(unclicked=F("searches") - F("clicks"))
        .filter(unclicked__gt=0, zero=0)
        .order_by("-unclicked", "query")[:50]
    )
    feedback = (
        AnswerFeedback.objects.filter(date__gte=since)
        .values("answer_id", "answer__title")
        .annotate(helpful=Sum("helpful"), not_helpful=Sum("not_helpful"))
        .order_by(F("not_helpful").desc(), "answer__title")[:100]
    )
    return TemplateResponse(
        request,
        "sitesearch/admin/search_report.html",
        {"nothing_found": nothing_found, "no_click": no_click, "feedback": feedback, "since": since},
    )
