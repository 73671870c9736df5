import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from core import counters
from guidance.models import AnswerFeedback, Audience, GuidanceAnswerPage

from . import learning
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
        {
            "nothing_found": nothing_found,
            "no_click": no_click,
            "feedback": feedback,
            "since": since,
            "may_teach": _may_teach(request.user),
        },
    )


def _may_teach(user):
    return user.has_perm(PERMISSION) and user.has_perm("guidance.answer_question")


def teach(request):
    """One search from the report: choose the answer it should have found (search's own guesses first), or start
    a new answer with it as the question."""
    if not _may_teach(request.user):
        raise PermissionDenied
    phrasing = learning.tidy(request.GET.get("q", ""))
    if not phrasing:
        messages.warning(request, "Choose a search from the lists below first.")
        return redirect("search_report:index")
    answers = learning.answers_to_choose(request.user)
    by_pk = {answer.pk: answer for answer in answers}
    likely = [by_pk[pk] for pk in learning.likely_answers(request, phrasing) if pk in by_pk]
    others = [answer for answer in answers if answer not in likely]
    return TemplateResponse(
        request,
        "sitesearch/admin/teach.html",
        {"phrasing": phrasing, "likely": likely, "others": others, "audiences": Audience.choices},
    )


@require_POST
def add_phrasing(request):
    if not _may_teach(request.user):
        raise PermissionDenied
    phrasing = request.POST.get("q", "")
    chosen = request.POST.get("answer", "")
    answer = GuidanceAnswerPage.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    if answer is None:
        messages.warning(request, "Choose the answer this search should find.")
        return redirect(f"{_teach_url()}?{_query(phrasing)}")
    try:
        live = learning.add_phrasing(request.user, answer, phrasing)
    except learning.NotTaught as refused:
        messages.warning(request, refused.message)
        return redirect(f"{_teach_url()}?{_query(phrasing)}")
    if live:
        messages.success(
            request, f"Added '{learning.tidy(phrasing)}' to '{answer.title}'. Search finds it that way now."
        )
    else:
        messages.success(
            request,
            f"Added '{learning.tidy(phrasing)}' to '{answer.title}' as a draft: it reaches search when someone who may "
            "publish the answer publishes it.",
        )
    return redirect("search_report:index")


@require_POST
def new_answer(request):
    if not _may_teach(request.user):
        raise PermissionDenied
    phrasing = request.POST.get("q", "")
    audience = request.POST.get("audience", Audience.STAFF)
    if audience not in Audience.values:
        audience = Audience.STAFF
    try:
        page = learning.new_answer(request.user, phrasing, audience)
    except learning.NotTaught as refused:
        messages.warning(request, refused.message)
        return redirect("search_report:index")
    messages.success(
        request, "A draft answer is ready with the search as its question: write the answer and publish it."
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


def _teach_url():
    return reverse("search_report:teach")


def _query(phrasing):
    return urlencode({"q": learning.tidy(phrasing)})
