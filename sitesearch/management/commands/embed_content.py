"""Embed every live answer, policy section and policy that has no stored vectors for its live revision.

    manage.py embed_content            # only what is missing (after an upgrade, or if the model was unavailable)
    manage.py embed_content --all      # again for every page (after changing what is embedded)

Publishing embeds a page by itself; this is the backfill. Safe to run at any time and more than once.
"""

from django.core.management.base import BaseCommand, CommandError

from core.content import content_changed
from guidance.models import GuidanceAnswerPage
from policypages.models import PolicyPage, PolicySectionPage
from sitesearch import embeddings
from sitesearch.models import PageEmbedding


class Command(BaseCommand):
    help = "Store sentence vectors for live pages whose live revision has none (search's semantic layer)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Embed every live page again, not only the missing.")

    def handle(self, *args, all=False, **options):
        if embeddings.model() is None:
            raise CommandError("The embedding model could not be loaded (see the log above); nothing was changed.")
        done = 0
        for model in (GuidanceAnswerPage, PolicySectionPage, PolicyPage):
            pages = model.objects.live().exclude(live_revision=None)
            if not all:
                embedded = PageEmbedding.objects.filter(model=embeddings.MODEL_ID).values("revision_id")
                pages = pages.exclude(live_revision_id__in=embedded)
            for page in pages.select_related("live_revision").iterator(chunk_size=200):
                embeddings.embed_revision(page, page.live_revision)
                done += 1
        if done:
            content_changed()
        self.stdout.write(f"Embedded {done} page{'s' if done != 1 else ''} ({embeddings.MODEL_ID}).")
