from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from policypages.models import visible_to
from schoolsite.counters import increment_daily

from .models import AnswerFeedback, GuidanceAnswerPage


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
