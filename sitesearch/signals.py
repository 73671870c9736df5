"""Keep search's index and vectors in step with what is published. The content version itself (which also empties
search's cached vocabularies, synonyms and suggestions) is core's (core/content.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.content import content_changed

from . import elasticsearch_index, embeddings
from .models import GlossaryTerm, SynonymGroup


@receiver(page_published)
def embed_and_refresh(sender, instance, revision=None, **kwargs):
    # Embedded once, here, and stored with the revision: every process's index reads the vectors.
    try:
        embeddings.embed_revision(instance, revision)
    except Exception:  # a failed embedding must never stop a publish: search still finds it by its words
        embeddings.logger.exception("Embedding %s failed; `manage.py embed_content` will retry", instance.pk)
    elasticsearch_index.page_published(instance)
    # Again after the vectors are stored (core changed it when the publish began): an index another process
    # builds for the new token must find them.
    content_changed()


@receiver(page_unpublished)
def page_withdrawn(sender, instance, **kwargs):
    elasticsearch_index.page_removed(instance.pk)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    # The visibility filter works on tree paths: the moved pages are indexed again at their new place.
    elasticsearch_index.pages_moved(instance)


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    elasticsearch_index.page_removed(instance.pk)


@receiver(post_save, sender=SynonymGroup)
@receiver(post_delete, sender=SynonymGroup)
@receiver(post_save, sender=GlossaryTerm)
@receiver(post_delete, sender=GlossaryTerm)
def synonyms_changed(sender, **kwargs):
    content_changed()


@receiver(post_save, sender=SearchPromotion)
@receiver(post_delete, sender=SearchPromotion)
@receiver(post_delete, sender=Query)
def promotions_changed(sender, instance, **kwargs):
    """Which searches have promoted pages is read once per content version (pipeline.promoted_queries)."""
    content_changed()


@receiver(post_save, sender=Query)
def promoted_search_renamed(sender, instance, created, **kwargs):
    # Wagtail saves a Query for every search it records; only one with promotions matters here.
    if not created and instance.editors_picks.exists():
        content_changed()
