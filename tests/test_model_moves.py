"""Models that changed app keep their rows: an existing school's database migrated to today's schema."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import content
from core.models import ContentVersion

BEFORE_THE_MOVE = [("core", None), ("sitesearch", "0004_page_embeddings")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_content_version_moved_from_search_to_core_keeps_its_token():
    """The token every server reads (core.content) was search's model; it is core's now, in the same table."""
    old = _migrate(BEFORE_THE_MOVE).loader.project_state([BEFORE_THE_MOVE[1]]).apps
    try:
        old.get_model("sitesearch", "ContentVersion").objects.update_or_create(pk=1, defaults={"token": "kept" * 8})
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())

    assert ContentVersion.objects.get(pk=1).token == "kept" * 8
    content._recent.version = None
    assert content.content_version() == "kept" * 8
