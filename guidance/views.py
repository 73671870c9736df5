from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import limits
from core.counters import increment_daily
from core.privacy import visible_to

from . import questions
from .forms import NAMED, SEARCH_KEPT, PublicQuestionForm, StaffQuestionForm
from .models import AnswerFeedback, Audience, GuidanceAnswerPage


@require_POST
def answer_feedback(request, page_id):
    """Count a 'helpful' or 'not helpful' vote on an answer the reader can see; one per answer per session."""
    answer = get_object_or_404(GuidanceAnswerPage.objects.live(), pk=page_id)
    if not visible_to(request, [answer]):
        raise Http404
    value = request.POST.get("helpful")
    if value not in ("yes", "no"):
        messages.error(request, "Choose yes or no.")
        return redirect(answer.url)
    voted = request.session.get("answer_feedback", [])
    if answer.pk in voted:
        messages.info(request, "You have already told us about this answer. Thank you.")
        return redirect(answer.url + "#feedback")
    field = "helpful" if value == "yes" else "not_helpful"
    increment_daily(AnswerFeedback, {"answer": answer, "date": timezone.localdate()}, **{field: 1})
    request.session["answer_feedback"] = (voted + [answer.pk])[-200:]
    messages.success(request, "Thank you for your feedback.")
    return redirect(answer.url + "#feedback")


def _may_ask(request):
    """Staff are counted per person (a school's staff share one address), visitors per address (the real one
    behind the proxy: TRUSTED_PROXY_COUNT). Only counts are kept, under keyed hashes (core/limits.py)."""
    if request.user.is_authenticated:
        return limits.allow("ask-staff", request.user.pk, settings.QUESTION_LIMITS["staff"])
    return limits.allow("ask-visitor", get_adapter().get_client_ip(request), settings.QUESTION_LIMITS["visitor"])


def ask_question(request):
    """Ask HR (staff) or ask the school (parents): a question search did not answer goes to HR's queue."""
    staff = request.user.is_authenticated
    form_class = StaffQuestionForm if staff else PublicQuestionForm
    if request.method != "POST":
        typed = request.GET.get("q", "")
        form = form_class(initial={"text": typed[:500], "searched": typed[:SEARCH_KEPT]})
        return TemplateResponse(request, "guidance/ask.html", {"form": form, "staff": staff})
    form = form_class(request.POST)
    if not form.is_valid():
        return TemplateResponse(request, "guidance/ask.html", {"form": form, "staff": staff}, status=400)
    if form.cleaned_data["website"]:
        return TemplateResponse(request, "guidance/asked.html", {"staff": staff})  # a robot: thanked, not filed
    if not _may_ask(request):
        form.add_error(None, "You have sent several questions in a short time. Please try again later.")
        return TemplateResponse(request, "guidance/ask.html", {"form": form, "staff": staff}, status=429)
    named = staff and form.cleaned_data["send_as"] == NAMED
    question = questions.ask(
        form.cleaned_data["text"],
        audience=Audience.STAFF if staff else Audience.PARENTS,
        searched=form.cleaned_data["searched"],
        user=request.user if named else None,
        reply_to="" if staff else form.cleaned_data["reply_to"],
        school=questions.school_asked_at(request),
    )
    return TemplateResponse(request, "guidance/asked.html", {"staff": staff, "question": question})
