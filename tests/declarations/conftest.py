import io
import shutil
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import roles
from declarations.models import (
    ABUSE,
    ACCOUNT_REQUEST,
    FORMS_WITH_EVIDENCE,
    REJECTED_CONTACT,
    RELATIONSHIP,
    Record,
    RecordFormPage,
)
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa

VALID = {
    "relationship": {
        "person": "parent",
        "person_name": "Alex Morgan (mum of a Year 4 pupil)",
        "relationship": "family_friend",
        "platforms": "Facebook",
        "since": "2019-09-01",
        "details": "We met at a book club years ago.",
    },
    "rejected_contact": {
        "approached_by": "pupil",
        "their_name": "",
        "platform": "Instagram",
        "contacted_at": "2026-11-20T19:30",
        "what_was_sent": "A follow request and a message saying hi miss.",
        "response": "Declined and blocked.",
        "kept_copies": "on",
    },
    "abuse": {
        "what_happened": "A fake account using my name and photo.",
        "where": "https://social.example/fake-teacher",
        "happened_at": "2026-11-19T08:00",
        "who_involved": "",
        "consent_platform": "on",
    },
    "account_request": {
        "department": "PE",
        "line_manager": "Jo Head",
        "account_name": "Oakbrook Sport",
        "aims": "Share fixtures and results.",
        "content": "Fixtures, results, photos with consent.",
        "audience": ["families", "staff"],
        "contributors": ["staff"],
        "administrators": "Sam Coach\nAlex Teacher",
        "moderators": "Jo Assistant\nKim Office",
        "host": "third_party",
        "host_name": "Instagram",
        "go_live": "2027-01-10",
        "closure": "2027-07-20",
        "security": "Private account; only approved followers.",
    },
}


def form_data(form, **overrides):
    return {**VALID[form], "submission_key": str(uuid.uuid4()), **overrides}


def png(name="screenshot.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="saved.pdf"):
    """A real (small) PDF, as a phone or a browser's 'Save as PDF' would make."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Message received at 19:30")
    return SimpleUploadedFile(name, bytes(document.output()), content_type="application/pdf")


@pytest.fixture(autouse=True)
def private_media():
    yield
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def form_pages(tree):
    return {page.form: page for page in RecordFormPage.objects.all()}


@pytest.fixture
def superuser(tree):
    return with_mfa(UserFactory(is_superuser=True, groups=[roles.STAFF]))


def submit(client, form, files=None, **overrides):
    data = form_data(form, **overrides)
    if files:
        data["evidence"] = files
    return client.post(f"/records/submit/{form}/", data)


@pytest.fixture
def records(client, form_pages, staff_user):
    """One record of each form, sent by `staff_user` (with a screenshot where the form takes evidence)."""
    client.force_login(staff_user)
    for form in (RELATIONSHIP, REJECTED_CONTACT, ABUSE, ACCOUNT_REQUEST):
        files = [png()] if form in FORMS_WITH_EVIDENCE else None
        assert submit(client, form, files=files).status_code == 302
    client.logout()
    return {r.form: r for r in Record.objects.all()}
