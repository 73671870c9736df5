"""Rebuild the Elasticsearch index that ranks staff and parents' searches (sitesearch/elasticsearch_index.py).

    manage.py rebuild_answer_index

Run after configuring ELASTICSEARCH_URL, after changing the synonyms shipped in the index settings, or if
Elasticsearch was unreachable while pages were published. Publishing keeps the index in step otherwise.
Wagtail's own index (the admin's page search) is rebuilt by `manage.py update_index`.
"""

from django.core.management.base import BaseCommand, CommandError

from sitesearch import elasticsearch_index
from sitesearch.models import SynonymGroup


class Command(BaseCommand):
    help = "Rebuild the Elasticsearch index of answers, policy sections and policies."

    def handle(self, *args, **options):
        if not elasticsearch_index.configured():
            raise CommandError("Elasticsearch is not configured: set ELASTICSEARCH_URL.")
        groups = [(group.terms, group.note) for group in SynonymGroup.objects.all()]
        try:
            done = elasticsearch_index.rebuild(groups or None)
        except Exception as error:
            raise CommandError(f"Elasticsearch did not answer: {error}") from error
        self.stdout.write(f"Indexed {done} pages in {elasticsearch_index.index_name()}.")
