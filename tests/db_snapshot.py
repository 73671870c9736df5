"""Every table's rows, kept once and put back for each browser test, instead of building the demo school again.

The browser tests need a committed database (the live server answers from another thread, or another
connection), so each one ends with Django's flush, which empties every table; building the demo school again
for the next one took about 15 s of each test. A snapshot of its rows goes back in well under a second.

Everything is replaced, content types and permissions included (the flush's post_migrate makes them again,
under new ids, which the demo's rows do not use). SQLite copies the whole database; on PostgreSQL each table's
rows are copied with COPY, and foreign keys are checked at commit (Django declares them deferrable), so the
tables may be filled in any order.
"""

import sqlite3

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


def _tables():
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def take():
    """The rows of every table Django knows, in a form `restore` puts back on the same database."""
    if connection.vendor == "sqlite":
        # SQLite copies a whole database, page by page, exactly.
        connection.ensure_connection()
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        return snapshot
    quote = connection.ops.quote_name
    snapshot = {}
    with connection.cursor() as cursor:
        for table in _tables():
            # COPY keeps every value exactly (JSON, arrays, time zones) without adapting it to Python.
            with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                snapshot[table] = b"".join(bytes(block) for block in copy)
    return snapshot


def restore(snapshot):
    """Empty every table and put the snapshot's rows back, in one transaction."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        snapshot.backup(connection.connection)
    else:
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for table in _tables():
                cursor.execute(f"DELETE FROM {quote(table)}")
            for table, rows in snapshot.items():
                if rows:
                    with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(rows)
            # New rows must not take ids the snapshot's rows hold (sequences do not follow COPY).
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
                cursor.execute(sql)
    ContentType.objects.clear_cache()  # the ids the flush's post_migrate gave are gone


def as_the_migrations_left_it():
    """The database as a fresh install has it before `setup_site`: no school's pages, groups, workflow or
    synonyms (tests/conftest.py builds them once per session), and Wagtail's root page and root collection,
    which a transactional test's flush removes. Inside a test's transaction the school comes back afterwards.

    (Serialized rollback cannot restore the root: Playwright's event loop gives this thread a different
    database connection object from the one the test database was serialized on.)
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page, Site, Task, Workflow

    from schools.models import School
    from sitesearch.models import SynonymGroup

    Site.objects.all().delete()
    for page in Page.objects.filter(depth=2):
        page.delete()
    Workflow.objects.all().delete()
    Task.objects.all().delete()
    Group.objects.all().delete()
    SynonymGroup.objects.all().delete()
    get_user_model().objects.update(school=None)
    School.objects.all().delete()
    if not Page.objects.exists():
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        locale, _ = Locale.objects.get_or_create(language_code=language)
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
