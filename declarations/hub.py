"""What the forms add to the staff hub (registered as a hook in wagtail_hooks.py)."""

from core.published import published_data

from . import services
from .models import RecordFormPage


def staff_hub_reader_context(hub, request):
    """The reader's own part of the hub's forms: how many of their records have a reply they have not read
    (called only where it is shown)."""
    return {"new_replies": lambda: services.unseen_reply_count(request.user)}


def staff_hub_context(hub, request):
    return {
        "forms": published_data(
            hub, "forms", lambda: list(RecordFormPage.objects.child_of(hub).live().order_by("path"))
        )
    }
