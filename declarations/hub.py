"""What the forms add to the staff hub (registered as a hook in wagtail_hooks.py)."""

from core.published import published_data

from .models import RecordFormPage


def staff_hub_context(hub, request):
    return {
        "forms": published_data(
            hub, "forms", lambda: list(RecordFormPage.objects.child_of(hub).live().order_by("path"))
        )
    }
