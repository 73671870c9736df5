"""After submission: follow-ups, replies, the audit log on the record, exports, retention, subject access."""

import csv
import io
import json
import os
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from declarations.models import ABUSE, RELATIONSHIP, EvidenceFile, FollowUp, Record, RelationshipDeclaration
from declarations.services import history

from .conftest import png, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def declaration(client, form_pages, staff_user):
    client.force_login(staff_user)
    submit(client, RELATIONSHIP, person_name='=HYPERLINK("http://evil")')
    return Record.objects.get(form=RELATIONSHIP)


def test_every_view_export_download_and_status_change_is_logged_and_shown(
    client, form_pages, staff_user, senior_leader
):
    client.force_login(staff_user)
    submit(client, ABUSE, files=[png()])
    record = Record.objects.get()
    client.get(record.get_absolute_url())
    client.force_login(senior_leader)
    client.get(f"/admin/declarations/record/inspect/{record.pk}/")
    client.get(f"/records/evidence/{EvidenceFile.objects.get().pk}/")
    client.get(f"/admin/records/export/{staff_user.pk}/")
    client.post(f"/admin/records/{record.pk}/status/", {"status": "acknowledged", "reviewer_notes": ""})
    actions = [(e.action, e.user_id) for e in history(record)]
    assert actions == [
        ("declarations.submit", staff_user.pk),
        ("declarations.view", staff_user.pk),
        ("declarations.view", senior_leader.pk),
        ("declarations.download", senior_leader.pk),
        ("declarations.export", senior_leader.pk),
        ("declarations.status", senior_leader.pk),
    ]
    page = client.get(f"/admin/declarations/record/inspect/{record.pk}/").content.decode()
    assert "Audit log" in page and "Changed the status" in page and "Downloaded evidence" in page


def test_submitter_adds_a_follow_up_and_withdraws_but_cannot_edit(client, declaration, staff_user):
    url = declaration.get_absolute_url()
    assert client.post(url, {"kind": "update", "text": "We now also play tennis."}).status_code == 302
    assert client.post(url, {"kind": "withdrawal", "text": "We moved away."}).status_code == 302
    assert client.post(url, {"kind": "note", "text": ""}).status_code == 400
    assert list(declaration.follow_ups.values_list("kind", flat=True)) == [FollowUp.UPDATE, FollowUp.WITHDRAWAL]
    assert RelationshipDeclaration.objects.get(pk=declaration.pk).withdrawn_at is not None
    body = client.get(url).content.decode()
    assert "Withdrawn" in body and "We moved away." in body
    assert client.post(url, {"person_name": "Changed"}).status_code == 400
    assert RelationshipDeclaration.objects.get(pk=declaration.pk).person_name.startswith("=HYPERLINK")


def test_reviewer_message_reaches_the_submitter(client, declaration, staff_user, senior_leader):
    client.force_login(senior_leader)
    client.post(f"/admin/records/{declaration.pk}/message/", {"text": "Thanks, please keep it off school accounts."})
    client.force_login(staff_user)
    assert "please keep it off school accounts" in client.get(declaration.get_absolute_url()).content.decode()


def test_csv_export_for_the_personnel_file_is_formula_safe(client, declaration, staff_user, hr_user):
    client.force_login(hr_user)
    response = client.get(f"/admin/records/export/{staff_user.pk}/")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Reference", "Form"] and rows[1][0] == declaration.reference
    assert "Their name: =HYPERLINK" in rows[1][4]  # inside the cell, not at its start
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_purge_deletes_only_expired_finished_records_and_their_files(
    client, form_pages, staff_user, settings, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    submit(client, ABUSE, files=[png()])
    submit(client, ABUSE)
    old, recent = Record.objects.order_by("pk")
    path = EvidenceFile.objects.get().file.path
    long_ago = timezone.now() - timedelta(days=settings.RECORD_RETENTION_DAYS[ABUSE] + 1)
    Record.objects.filter(pk=old.pk).update(status=Record.CLOSED, status_changed_at=long_ago)
    Record.objects.filter(pk=recent.pk).update(status=Record.SUBMITTED, status_changed_at=long_ago)  # still open

    out = io.StringIO()
    call_command("purge_expired_records", "--dry-run", stdout=out)
    assert f"Would delete {old}" in out.getvalue() and Record.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired_records", stdout=io.StringIO())
    assert list(Record.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not os.path.exists(path)
    assert history(old).filter(action="declarations.purge").exists()
    # What the trail keeps is the reference: not who sent it, not what kind of report it was, nothing it said.
    for entry in history(old):
        assert entry.label == old.reference and entry.data == {}
        assert entry.user_id != staff_user.pk
    assert "abuse" not in " ".join(entry.label.lower() for entry in history(old))


def test_export_user_data_holds_everything_about_one_person(client, form_pages, staff_user, tmp_path):
    client.force_login(staff_user)
    submit(client, ABUSE, files=[png("shot.png")])
    target = tmp_path / "sar.zip"
    call_command("export_user_data", staff_user.email.upper(), "--output", str(target), stdout=io.StringIO())
    with zipfile.ZipFile(target) as archive:
        data = json.loads(archive.read("data.json"))
        names = archive.namelist()
    assert data["account"]["email"] == staff_user.email
    record = data["records_submitted"][0]
    assert record["form"] == "Online abuse or impersonation report" and "What happened" in record["fields"]
    assert any(name.endswith("shot.png") for name in names)


def test_private_media_inside_media_root_fails_the_system_check(settings):
    from declarations.checks import private_media_is_not_public

    assert private_media_is_not_public(None) == []
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT / "evidence"
    assert private_media_is_not_public(None)[0].id == "declarations.E001"


def test_a_name_with_a_line_break_still_exports(client, form_pages, staff_user, senior_leader):
    """Issue 41, finding 11: the records export was a 500 once a person's name held a line break (it went into
    the download's file name header)."""
    client.force_login(staff_user)
    submit(client, ABUSE)
    type(staff_user).objects.filter(pk=staff_user.pk).update(first_name='Line\nBreak "Quoted"', last_name="Ná\rme")
    client.force_login(senior_leader)
    response = client.get(f"/admin/records/export/{staff_user.pk}/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\n" not in disposition and "\r" not in disposition and disposition.startswith("attachment;")
