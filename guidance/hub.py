"""What guidance adds to the staff hub and the parents' page (registered as hooks in wagtail_hooks.py): the
policies app below knows neither of these by name."""

from core.privacy import visible_to
from core.published import published_data

from .models import GuidanceAnswerPage, GuidanceIndexPage
from .popular import popular_answers


def staff_hub_context(hub, request):
    return {
        "guidance_indexes": published_data(
            hub, "guidance lists", lambda: list(GuidanceIndexPage.objects.child_of(hub).live().order_by("path"))
        ),
        "popular": popular_answers(request, within=hub, chosen=hub.chosen_questions),
    }


def parents_page_context(parents_page, request):
    answers = (
        GuidanceAnswerPage.objects.live()
        .descendant_of(parents_page)
        .filter(canonical_answer__isnull=True)
        .order_by("title")
    )
    return {"answers": visible_to(request, answers)}
