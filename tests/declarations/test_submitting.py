"""A member of staff fills in a form: what is saved, what is refused and why, and nothing lost."""

from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from declarations.models import EvidenceFile, Notification, Record

from .conftest import VALID, form_data, pdf, png, submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form", list(VALID))
def test_each_form_saves_a_record_with_a_reference(client, form_pages, staff_user, senior_leader, form):
    client.force_login(staff_user)
    page = client.get(form_pages[form].url)
    assert page.status_code == 200 and b'name="submission_key"' in page.content
    response = submit(client, form)
    record = Record.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert record.form == form and record.submitted_by == staff_user and record.status == Record.SUBMITTED
    assert record.reference.startswith(("RD-", "RC-", "AB-", "AR-"))
    mine = client.get(record.get_absolute_url())
    assert record.reference in mine.content.decode()


def test_form_page_shows_the_policy_sections_it_implements(client, form_pages, staff_user, policy):
    section = policy.get_children().first().specific
    page = form_pages["relationship"]
    page.policy_sections.add(section)
    page.save_revision().publish()
    client.force_login(staff_user)
    assert section.title in client.get(page.url).content.decode()


@pytest.mark.parametrize("form", list(VALID))
def test_radio_buttons_offer_only_real_answers(client, form_pages, staff_user, form):
    client.force_login(staff_user)
    html = client.get(form_pages[form].url).content.decode()
    assert 'type="radio"' in html or form == "abuse"
    assert "---------" not in html


def test_missing_fields_are_explained_and_nothing_is_saved(client, form_pages, staff_user):
    client.force_login(staff_user)
    response = submit(client, "rejected_contact", platform="", what_was_sent="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing has been sent yet" in body and "Which app or site" in body
    assert "Declined and blocked." in body  # what they typed is still there
    assert not Record.objects.exists()


def test_account_request_needs_two_administrators_and_a_later_closure(client, form_pages, staff_user):
    client.force_login(staff_user)
    response = submit(client, "account_request", administrators="Only Me", closure="2026-12-01", go_live="2027-01-01")
    body = response.content.decode()
    assert response.status_code == 400
    assert "at least two administrators" in body and "closure date must be after" in body
    assert not Record.objects.exists()


def test_dates_in_the_future_are_refused(client, form_pages, staff_user):
    client.force_login(staff_user)
    response = submit(client, "relationship", since="2099-01-01")
    assert response.status_code == 400 and "in the future" in response.content.decode()


def test_evidence_is_stored_privately_with_a_clean_name(client, form_pages, staff_user, settings):
    client.force_login(staff_user)
    submit(client, "rejected_contact", files=[png("../../etc/My <screenshot>.PNG"), png()])
    item = EvidenceFile.objects.order_by("pk").first()
    assert item.original_name == "My_screenshot.png"
    assert item.content_type == "image/png" and len(item.sha256) == 64
    path = item.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))
    assert "screenshot" not in item.file.name  # a random name on disk


@pytest.mark.parametrize(
    "upload, reason",
    [
        (SimpleUploadedFile("photo.png", b"MZ\x90\x00\x03" + b"\x00" * 200), "does not contain what its name says"),
        (SimpleUploadedFile("notes.pdf", b"just text, not a pdf"), "does not contain what its name says"),
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "not a kind of file we accept"),
        (SimpleUploadedFile("page.html", b"<script>alert(1)</script>"), "not a kind of file we accept"),
        (SimpleUploadedFile("empty.txt", b""), "empty"),
    ],
)
def test_disguised_or_unacceptable_files_are_refused(client, form_pages, staff_user, upload, reason):
    client.force_login(staff_user)
    response = submit(client, "abuse", files=[upload])
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Record.objects.exists() and not EvidenceFile.objects.exists()


def test_over_size_files_are_refused(client, form_pages, staff_user):
    client.force_login(staff_user)
    big = SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    response = submit(client, "abuse", files=[big])
    assert response.status_code == 400 and "the limit is 10 MB" in response.content.decode()
    assert not Record.objects.exists()


def test_accepted_kinds_of_evidence(client, form_pages, staff_user):
    client.force_login(staff_user)
    files = [
        png(),
        pdf(),
        SimpleUploadedFile("notes.txt", "Message received at 19:30 – “hi miss”".encode()),
        SimpleUploadedFile("mail.eml", b"From: someone@example.com\nSubject: hi\n\nHello"),
    ]
    assert submit(client, "abuse", files=files).status_code == 302
    assert EvidenceFile.objects.count() == 4


def test_pressing_send_twice_makes_one_record(client, form_pages, staff_user):
    client.force_login(staff_user)
    data = form_data("relationship")
    first = client.post("/records/submit/relationship/", data)
    second = client.post("/records/submit/relationship/", data)
    assert Record.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_reviewers_and_submitter_are_emailed_without_the_content(
    client, form_pages, staff_user, senior_leader, safeguarding_lead, hr_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, "rejected_contact")
    record = Record.objects.get()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([staff_user.email, senior_leader.email, safeguarding_lead.email])  # not HR
    for message in mail.outbox:
        assert record.reference in message.subject
        assert "Instagram" not in message.body and "hi miss" not in message.body
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_email_failure_loses_nothing_and_is_retried(
    client, form_pages, staff_user, senior_leader, caplog, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    with (
        mock.patch("declarations.services.send_mail", side_effect=OSError("connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = submit(client, "relationship")
    assert response.status_code == 302
    record = Record.objects.get()
    waiting = Notification.objects.filter(sent_at__isnull=True)
    assert waiting.exists() and "connection refused" in waiting.first().last_error
    assert "Could not send notification" in caplog.text
    call_command("send_pending_notifications")
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert {m.to[0] for m in mail.outbox} == {staff_user.email, senior_leader.email}
    assert record.reference in mail.outbox[0].subject


def test_a_session_that_expired_mid_form_loses_nothing(client, form_pages, staff_user):
    data = form_data("account_request", aims="Typed carefully over ten minutes.")
    response = client.post("/records/submit/account_request/", data)  # not signed in any more
    page_url = form_pages["account_request"].url
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert page_url in response["Location"].replace("%2F", "/")
    assert not Record.objects.exists()
    client.force_login(staff_user)  # signing in keeps the session's data
    body = client.get(page_url).content.decode()
    assert "We kept what you typed" in body
    assert "Typed carefully over ten minutes." in body and data["submission_key"] in body
    assert 'value="families" id="id_audience_2" checked' in body  # the ticked boxes too
    assert client.post("/records/submit/account_request/", data).status_code == 302
    assert Record.objects.count() == 1


def test_disk_full_while_saving_evidence_saves_nothing(client, form_pages, staff_user):
    client.force_login(staff_user)
    with mock.patch(
        "django.core.files.storage.FileSystemStorage._save", side_effect=OSError(28, "No space left on device")
    ):
        response = submit(client, "abuse", files=[png()])
    assert response.status_code == 503
    assert "nothing was sent" in response.content.decode()
    assert not Record.objects.exists() and not EvidenceFile.objects.exists()
