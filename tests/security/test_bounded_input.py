"""Bounded input: what an anonymous or hostile request can make the server keep, read or decode."""

import struct
import zipfile
import zlib

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from declarations import evidence
from declarations.models import Record
from policypages.importer import PolicyImportError, read_document
from tests.declarations.conftest import form_data, pdf, png

pytestmark = pytest.mark.django_db


def test_an_anonymous_post_keeps_at_most_a_few_kilobytes_in_the_session(client, form_pages):
    huge = form_data("relationship", details="x" * 2_000_000, made_up_field="y" * 100_000)
    response = client.post("/records/submit/relationship/", huge)
    assert response.status_code == 302
    stored = sum(len(s.session_data) for s in Session.objects.all())
    assert stored < 40_000
    page = client.get(response["Location"], follow=True)
    assert "too long for us to keep" in page.content.decode()


def test_a_normal_draft_is_still_kept_for_after_sign_in(client, form_pages, staff_user):
    client.post("/records/submit/relationship/", form_data("relationship", details="We met at a book club."))
    session = client.session
    draft = session["declarations:draft:relationship"]
    assert draft["details"] == "We met at a book club." and "submission_key" in draft
    assert "csrfmiddlewaretoken" not in draft


def test_a_request_over_the_limit_is_refused_before_it_is_read(client, form_pages, staff_user, settings):
    client.force_login(staff_user)
    response = client.generic(
        "POST",
        "/records/submit/abuse/",
        b"x" * 1024,
        content_type="multipart/form-data; boundary=zzz",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()
    assert not Record.objects.exists()


def test_a_file_far_over_the_limit_stops_the_upload(client, form_pages, staff_user, settings):
    settings.MAX_UPLOAD_FILE_BYTES = 64 * 1024  # keeps the test small; production: 20 MB
    client.force_login(staff_user)
    big = SimpleUploadedFile("big.txt", b"a" * (200 * 1024))
    response = client.post("/records/submit/abuse/", {**form_data("abuse"), "evidence": [big]})
    assert response.status_code == 413
    assert not Record.objects.exists()


def _png_header_only(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 100)[:20])


@pytest.mark.parametrize(
    "name, data",
    [
        ("huge.png", _png_header_only(10_000, 10_000)),
        ("truncated.png", _png_header_only(200, 200)),
        ("page.pdf", b"<html><script>alert(1)</script></html>\n%PDF-1.4\n%%EOF"),
        ("halfway.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n"),
    ],
)
def test_evidence_that_only_looks_right_is_refused(name, data):
    with pytest.raises(ValidationError):
        evidence.check(SimpleUploadedFile(name, data))


def test_real_evidence_is_still_accepted():
    assert evidence.check(png())[1] == "image/png"
    assert evidence.check(pdf())[1] == "application/pdf"


def _docx_bomb(path, unpacked_mb):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"A" * (1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(block)


def test_a_docx_that_unpacks_to_gigabytes_is_refused_unread(tmp_path):
    path = tmp_path / "policy.docx"
    _docx_bomb(path, 150)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(PolicyImportError, match="unpacks to 150 MB"):
        read_document(path)


def test_a_corrupt_docx_gets_a_message(tmp_path):
    path = tmp_path / "policy.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip" + b"\x00" * 100)
    with pytest.raises(PolicyImportError, match="could not be read as a Word document"):
        read_document(path)
