"""A school added, moved to another site or removed changes whose staff-only pages are whose: the content
version moves, so every process works out the schools' sites afresh (schools.services.school_sites)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.content import content_changed

from .models import School


@receiver([post_save, post_delete], sender=School, dispatch_uid="schools.school_changed")
def school_changed(**kwargs):
    content_changed()
