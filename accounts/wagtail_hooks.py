from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.documents.views.bulk_actions.add_to_collection import AddToCollectionBulkAction
from wagtail.models import Page

from core import published

from . import alerts, mfa, places
from .middleware import second_step_response


@hooks.register("before_delete_user")
def keep_people_with_records(request, user):
    """Read receipts are the school's evidence of who read what; deleting the person would destroy it."""
    if user.read_receipts.exists():
        messages.error(
            request,
            f"{user} has confirmed reading policies, and that record must be kept. "
            "Deactivate the account instead (untick 'Active' on their account).",
        )
        return redirect("wagtailusers_users:edit", user.pk)
    return None


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label, message in alerts.LOG_ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("before_move_page")
def moving_is_a_privacy_change(request, page, destination):
    """The move screen says why in plain words (pre_page_move would refuse it anyway)."""
    reason = places.refusal_for_move(request.user, page, destination)
    if reason:
        messages.error(request, reason)
        return redirect("wagtailadmin_pages:move", page.pk)
    return None


@hooks.register("before_copy_page")
def a_copy_keeps_its_privacy(request, page):
    """The copy screen says why in plain words when the chosen place would change who may read the copy."""
    parent_id = request.POST.get("new_parent_page", "") if request.method == "POST" else ""
    destination = Page.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
    reason = destination and places.refusal_for_copy(request.user, page, destination)
    if reason:
        messages.error(request, reason)
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


@hooks.register("before_serve_page")
def privileged_pages_ask_for_the_second_step(page, request, serve_args, serve_kwargs):
    """A page restricted to senior leaders (or another group that needs two-step verification) asks a session
    that has not passed the second step for it, as the admin does (accounts.mfa.pages_needing_the_second_step)."""
    refused = mfa.pages_needing_the_second_step(request, published.current())
    if refused and page.path.startswith(refused):
        return second_step_response(request, request.user)
    return None


class AddDocumentsToCollectionOneByOne(AddToCollectionBulkAction):
    """Wagtail's bulk "add to collection" updates the documents in one statement, past every save() check: here
    each is saved, so moving a private document somewhere more public is judged (accounts.places)."""

    @classmethod
    def execute_action(cls, objects, collection=None, **kwargs):
        if collection is None:
            return
        with transaction.atomic():
            for document in objects:
                document.collection = collection
                document.save(update_fields=["collection"])
        return len(objects), 0


# Registered after Wagtail's own (a later registration of the same action replaces it).
hooks.register("register_bulk_action", AddDocumentsToCollectionOneByOne, order=100)
