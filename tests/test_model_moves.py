"""Models that changed app keep their rows: the demo school's database taken back to the schema before the
moves, then migrated to today's, reads back page for page, version for version, receipt for receipt."""

import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page, Revision

from core import content
from core.models import ContentVersion
from declarations.models import Record
from hub.models import HomePage, OfficialAccount, ParentsPage, StaffHubPage
from policypages.models import PolicyVersion, ReadReceipt
from tests import db_snapshot

# Before the content version moved to core and the front pages moved to hub.
BEFORE_THE_MOVES = [
    ("core", None),
    ("hub", None),
    ("sitesearch", "0004_page_embeddings"),
    ("policypages", "0011_confirm_by_signing_in_again"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


def _to_today():
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


def _every_page():
    return sorted(
        (page.pk, page.title, page.url_path, type(page).__name__, page.live, page.latest_revision_id)
        for page in Page.objects.specific()
    )


@pytest.mark.django_db(transaction=True)
def test_the_demo_school_migrated_across_the_moves_keeps_every_page_and_record():
    # The database as the migrations left it: an earlier transactional test's flush removed what Wagtail's
    # migrations made, and on PostgreSQL gave the content types ids this process has not seen.
    ContentType.objects.clear_cache()
    db_snapshot.as_the_migrations_left_it()
    call_command("load_demo", "--allow-without-debug", stdout=open(os.devnull, "w"))
    pages = _every_page()
    kept = {
        "accounts": sorted(OfficialAccount.objects.values_list("pk", "platform", "name", "page_id")),
        "versions": sorted(PolicyVersion.objects.values_list("pk", "policy_id", "label")),
        "receipts": sorted(ReadReceipt.objects.values_list("pk", "user_id", "version_id")),
        "records": sorted(Record.objects.values_list("pk", "form", "submitted_by_id")),
        "revisions": Revision.objects.count(),
        "token": content.content_version(),
    }
    assert {"HomePage", "StaffHubPage", "ParentsPage"} <= {kind for *_, kind, _live, _rev in pages}

    try:
        old = _migrate(BEFORE_THE_MOVES).loader.project_state(BEFORE_THE_MOVES[2:]).apps
        # Before the moves the front pages were the policies app's: their content types say so.
        assert set(
            ContentType.objects.filter(model__in=["homepage", "staffhubpage", "parentspage"]).values_list(
                "app_label", flat=True
            )
        ) == {"policypages"}
        assert old.get_model("policypages", "StaffHubPage").objects.count() == 1
        assert old.get_model("sitesearch", "ContentVersion").objects.get(pk=1).token == kept["token"]
    finally:
        _to_today()

    assert _every_page() == pages
    assert isinstance(Page.objects.get(pk=HomePage.objects.get().pk).specific, HomePage)
    assert StaffHubPage.objects.live().count() == ParentsPage.objects.live().count() == 1
    assert sorted(OfficialAccount.objects.values_list("pk", "platform", "name", "page_id")) == kept["accounts"]
    assert sorted(PolicyVersion.objects.values_list("pk", "policy_id", "label")) == kept["versions"]
    assert sorted(ReadReceipt.objects.values_list("pk", "user_id", "version_id")) == kept["receipts"]
    assert sorted(Record.objects.values_list("pk", "form", "submitted_by_id")) == kept["records"]
    assert Revision.objects.count() == kept["revisions"]
    assert ContentVersion.objects.get(pk=1).token == kept["token"]
    content._recent.version = None
    assert content.content_version() == kept["token"]
