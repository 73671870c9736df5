"""HR import guidance answers from a spreadsheet in the admin: check the file, see what it would do, confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guidance.models import GuidanceAnswerPage

pytestmark = pytest.mark.django_db
URL = "/admin/guidance/import/"
GOOD = (
    "question,answer,audience,short_answer,also_asked\n"
    "Can I wear jeans on a training day?,Smart casual is fine on days without pupils.,staff,Yes,inset day clothes\n"
    "When does the office open?,From 8am to 4pm on school days.,everyone,,\n"
)
ONE_BAD = GOOD + "Who do I ask?,,staff,,\n"


def upload(client, text, name="answers.csv", **extra):
    return client.post(URL, {"step": "preview", "spreadsheet": SimpleUploadedFile(name, text.encode()), **extra})


def test_hr_check_a_file_then_import_it(client, hr_user):
    client.force_login(hr_user)
    assert client.get(URL).status_code == 200
    preview = upload(client, GOOD)
    html = preview.content.decode()
    assert preview.status_code == 200 and "What importing answers.csv would do" in html
    assert "Can I wear jeans on a training day?" in html and "Import 2 answers" in html
    assert not GuidanceAnswerPage.objects.exists()  # nothing saved by looking
    done = client.post(URL, {"step": "confirm"})
    assert "What was imported" in done.content.decode()
    staff, public = (
        GuidanceAnswerPage.objects.get(title=t)
        for t in ("Can I wear jeans on a training day?", "When does the office open?")
    )
    assert staff.live and staff.audience == "staff" and staff.also_asked == "inset day clothes"
    assert public.get_parent().get_parent().slug == "parents"


def test_a_rejected_row_is_shown_and_nothing_is_imported_unless_asked(client, hr_user):
    client.force_login(hr_user)
    html = upload(client, ONE_BAD).content.decode()
    assert "the answer is empty" in html and "nothing would be imported" in html
    assert "Import 2 answers" not in html
    assert client.post(URL, {"step": "confirm"}).status_code in (200, 302)
    assert not GuidanceAnswerPage.objects.exists()
    html = upload(client, ONE_BAD, skip_invalid="on").content.decode()
    assert "Import 2 answers" in html
    client.post(URL, {"step": "confirm"})
    assert GuidanceAnswerPage.objects.count() == 2


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\nnot a spreadsheet", "not UTF-8 text"),
        (b"", "empty"),
        (b"title,text\nA,B\n", "missing column"),
    ],
)
def test_a_file_it_cannot_read_gets_a_clear_message_and_creates_nothing(client, hr_user, content, message):
    client.force_login(hr_user)
    response = client.post(URL, {"step": "preview", "spreadsheet": SimpleUploadedFile("x.csv", content)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not GuidanceAnswerPage.objects.exists()


def test_a_file_over_2_mb_is_refused(client, hr_user):
    client.force_login(hr_user)
    response = upload(client, GOOD + "x" * (2 * 1024 * 1024))
    assert response.status_code == 400 and "the limit is 2 MB" in response.content.decode()


def test_confirming_without_a_preview_says_so(client, hr_user):
    client.force_login(hr_user)
    response = client.post(URL, {"step": "confirm"}, follow=True)
    assert "That preview has expired" in response.content.decode()
    assert not GuidanceAnswerPage.objects.exists()


def test_the_template_downloads(client, hr_user):
    client.force_login(hr_user)
    response = client.get(URL + "template.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("question,answer,audience,short_answer,topics,also_asked,policy_refs")


@pytest.mark.parametrize("role", ["governor", "senior_leader", "safeguarding_lead"])
def test_only_people_who_add_answers_may_import(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code in (302, 403)
    assert upload(client, GOOD).status_code in (302, 403)
    assert not GuidanceAnswerPage.objects.exists()


def test_the_menu_shows_the_import_to_hr_only(client, hr_user, governor):
    client.force_login(hr_user)
    assert URL in client.get("/admin/").content.decode()
    client.force_login(governor)
    assert URL not in client.get("/admin/").content.decode()


def test_a_file_over_the_sites_upload_limit_is_refused_with_the_limits(client, hr_user, settings):
    settings.MAX_UPLOAD_FILE_BYTES = 1024  # stands in for the 20 MB limit
    client.force_login(hr_user)
    response = upload(client, GOOD + "x" * 4096)
    assert response.status_code == 413 and "too large to send" in response.content.decode()
    assert not GuidanceAnswerPage.objects.exists()
