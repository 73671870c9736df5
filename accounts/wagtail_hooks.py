from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from . import alerts


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
