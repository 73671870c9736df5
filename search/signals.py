"""Keep search's cached vocabularies, synonyms and suggestions, and the visitors' page cache, in step with the
content, in every process."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from guidance.models import AnswerCheck
from policypages.models import PolicyVersion, SchoolBranding

from . import elasticsearch_index, embeddings
from .models import SynonymGroup
from .pipeline import content_changed


@receiver(page_published)
def embed_and_refresh(sender, instance, revision=None, **kwargs):
    # Embedded once, here, and stored with the revision: every process's index reads the vectors.
    try:
        embeddings.embed_revision(instance, revision)
    except Exception:  # a failed embedding must never stop a publish: search still finds it by its words
        embeddings.logger.exception("Embedding %s failed; `manage.py embed_content` will retry", instance.pk)
    elasticsearch_index.page_published(instance)
    content_changed()


@receiver(page_unpublished)
def page_withdrawn(sender, instance, **kwargs):
    elasticsearch_index.page_removed(instance.pk)
    content_changed()


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    # The visibility filter works on tree paths: the moved pages are indexed again at their new place.
    elasticsearch_index.pages_moved(instance)
    content_changed()


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    elasticsearch_index.page_removed(instance.pk)
    content_changed()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(m2m_changed, sender=PageViewRestriction.groups.through)  # which groups may see a private branch
@receiver(post_save, sender=Site)  # a site's host or root page: where every address points
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=SynonymGroup)
@receiver(post_delete, sender=SynonymGroup)
@receiver(post_save, sender=PolicyVersion)  # the policy page shows its version history
@receiver(post_save, sender=AnswerCheck)  # an answer says when the policy changed since it was written
def other_change(sender, **kwargs):
    content_changed()


@receiver(post_save, sender=SchoolBranding)
def branding_changed(sender, created, **kwargs):
    # Every page shows the school's name, logo and colours. The row Wagtail creates with the defaults on
    # first use changes nothing anyone sees.
    if not created:
        content_changed()


@receiver(post_save, sender=get_image_model())
def logo_changed(sender, instance, created, **kwargs):
    # A new file for the school's logo gives it new renditions; pages must stop pointing at the old ones.
    if not created and SchoolBranding.objects.filter(logo=instance).exists():
        content_changed()
