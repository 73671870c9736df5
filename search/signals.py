"""Keep search's cached vocabularies, synonyms and suggestions, and the visitors' page cache, in step with the
content, in every process."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from policypages.models import PolicyVersion, SchoolBranding

from .models import SynonymGroup
from .pipeline import content_changed


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender, **kwargs):
    content_changed()


@receiver(post_delete, sender=Page)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=SynonymGroup)
@receiver(post_delete, sender=SynonymGroup)
@receiver(post_save, sender=PolicyVersion)  # the policy page shows its version history
def other_change(sender, **kwargs):
    content_changed()


@receiver(post_save, sender=SchoolBranding)
def branding_changed(sender, created, **kwargs):
    # Every page shows the school's name, logo and colours. The row Wagtail creates with the defaults on
    # first use changes nothing anyone sees.
    if not created:
        content_changed()
