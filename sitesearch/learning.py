"""Learning from the school's own searches: HR turns a search that found nothing, or led nowhere, into another
way of asking the right answer (its "also asked"), or into a new draft answer. Search reads "also asked" in
both its stages (the words, and the sentence the model embeds), so the next person asking that way finds it.

The rule lives here, not in the view: only someone who may edit the answer adds to it; a phrasing reaches
search only when the answer is published, so it is published at once by someone who may publish it, and saved
as a draft for someone who may not; an answer with changes waiting for approval or review is never published
from here, since that would publish someone else's unfinished changes.
"""

from django.db import transaction
from wagtail.log_actions import log

from guidance import questions
from guidance.models import Audience, GuidanceAnswerPage

from . import pipeline

MAX_PHRASING = 200  # what search keeps of a query (core.text.normalise)


class NotTaught(Exception):
    """Why a phrasing was not added, in words HR can act on."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def tidy(phrasing):
    return " ".join((phrasing or "").split())[:MAX_PHRASING]


def answers_to_choose(user):
    """The live answers `user` may add a phrasing to, staff answers first."""
    answers = GuidanceAnswerPage.objects.live().filter(canonical_answer__isnull=True).order_by("audience", "title")
    return [answer for answer in answers if answer.permissions_for_user(user).can_edit()]


def likely_answers(request, phrasing, limit=5):
    """The answers search itself ranks first for the phrasing, however unsure, as this person sees them."""
    found = pipeline.search(request, phrasing, everything=True)
    picks = []
    for result in found.results[:20]:
        if result.kind == pipeline.KIND_GUIDANCE:
            picks.append(result.pk)
        if len(picks) == limit:
            break
    return picks


@transaction.atomic
def add_phrasing(user, answer, phrasing):
    """Add `phrasing` to the answer's other ways of asking. Returns True if it is live now (published), False if
    it is saved as a draft for someone who may publish. Raises NotTaught with the reason otherwise."""
    phrasing = tidy(phrasing)
    if not phrasing:
        raise NotTaught("There is no search to add: choose one from Searches and answers.")
    answer = GuidanceAnswerPage.objects.select_for_update().get(pk=answer.pk)
    permissions = answer.permissions_for_user(user)
    if not permissions.can_edit():
        raise NotTaught(f"You cannot edit the answer '{answer.title}'. Ask a site administrator.")
    if not answer.live:
        raise NotTaught(f"'{answer.title}' is not published: publish it first, then add the search.")
    if answer.has_unpublished_changes:
        raise NotTaught(
            f"'{answer.title}' has changes waiting to be published. Add the search in the editor, with them, so "
            "they are not published before they are ready."
        )
    known = {p.lower() for p in answer.phrasings} | {answer.title.lower()}
    if phrasing.lower() in known:
        raise NotTaught(f"'{phrasing}' is already a way of asking '{answer.title}'.")
    answer.also_asked = "\n".join([*answer.phrasings, phrasing])
    revision = answer.save_revision(user=user, log_action=True)
    if permissions.can_publish():
        revision.publish(user=user)
        return True
    return False


def new_answer(user, phrasing, audience=Audience.STAFF):
    """A draft answer with the search as its question, in the user's school's guidance for that audience.
    Returns the draft page; raises NotTaught if there is nowhere the user may add it."""
    phrasing = tidy(phrasing)
    if not phrasing:
        raise NotTaught("There is no search to answer: choose one from Searches and answers.")
    index = questions.guidance_index_for(audience, getattr(user, "school", None))
    if index is None or not index.permissions_for_user(user).can_add_subpage():
        raise NotTaught("You cannot add answers to that guidance. Ask a site administrator.")
    title = phrasing[0].upper() + phrasing[1:]
    page = GuidanceAnswerPage(title=title, audience=audience, live=False, owner=user)
    index.add_child(instance=page)
    page.save_revision(user=user, clean=False)  # a draft: HR writes the short answer and answer before publishing
    log(page, "wagtail.create", user=user)
    return page
