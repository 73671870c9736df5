"""What guidance adds to the staff hub and the parents' page (registered as hooks in wagtail_hooks.py): the
policies app below knows neither of these by name."""

from django.db.models import Q

from core import published
from core.privacy import visible_to
from core.published import published_data
from schools.services import in_a_schools_site, trust_roots

from .models import GuidanceAnswerPage, GuidanceIndexPage
from .popular import popular_answers


def the_trusts_own(page):
    """The trust's pages of `page`'s kind (its staff hub, its parents' page) when `page` is one school's in a
    trust: the trust's answers are every school's, alongside the school's own. None anywhere else."""
    snapshot = published.current()
    if not in_a_schools_site(page, snapshot):
        return []
    roots = trust_roots(snapshot)
    if not roots:
        return []

    def make():
        near = Q()
        for root in roots:
            near |= Q(path__startswith=root)
        return list(type(page).objects.live().filter(near).order_by("path"))

    return published_data(page, "the trust's own", make)


def staff_hub_context(hub, request):
    trust_hubs = the_trusts_own(hub)
    return {
        "guidance_indexes": published_data(
            hub, "guidance lists", lambda: list(GuidanceIndexPage.objects.child_of(hub).live().order_by("path"))
        ),
        "trust_guidance_indexes": published_data(
            hub,
            "the trust's guidance lists",
            lambda: [i for trust_hub in trust_hubs for i in GuidanceIndexPage.objects.child_of(trust_hub).live()],
        ),
        "popular": popular_answers(request, within=[hub, *trust_hubs], chosen=hub.chosen_questions),
    }


def parents_page_context(parents_page, request):
    near = Q()
    for page in [parents_page, *the_trusts_own(parents_page)]:
        near |= Q(path__startswith=page.path)
    answers = GuidanceAnswerPage.objects.live().filter(near).filter(canonical_answer__isnull=True).order_by("title")
    return {"answers": visible_to(request, answers)}
