"""HR import a policy document in the admin: upload, see the outline, rename or join sections, confirm, and
find draft pages to check. Files it cannot read get a clear message and create nothing."""

import io
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from policypages.models import PolicyPage, PolicySectionPage

pytestmark = pytest.mark.django_db
URL = "/admin/policies/import/"


def word_file(*paragraphs):
    """A .docx as Word writes it: heading styles with no typed numbers, body paragraphs, a bullet list."""
    document = docx.Document()
    document.add_paragraph("Visitors Policy", style="Title")
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


VISITORS = word_file(
    ("Heading 1", "Purpose"),
    ("Normal", "Every visitor is known to the office while they are here."),
    ("Heading 1", "Signing in"),
    ("Normal", "All visitors sign in at reception and wear a badge."),
    ("Heading 2", "Badges"),
    ("List Bullet", "Red for contractors"),
    ("Heading 1", "Contractors"),
    ("Normal", "Contractors are escorted away from pupils."),
    ("Heading 1", "Review"),
    ("Normal", "The governors review this policy every two years."),
)


def upload(client, content, name="visitors_policy.docx"):
    return client.post(URL, {"step": "outline", "document": SimpleUploadedFile(name, content)})


def piece(html, text):
    """The id of the outline's paragraph that shows `text`."""
    match = re.search(r'<p class="import-piece__text" id="text_(\d+)">(?:(?!</p>).)*' + re.escape(text), html, re.S)
    assert match, text
    return match.group(1)


def outline_form(html):
    """What the outline form would post as it stands: every paragraph's role, and titles and order where shown."""
    data = dict(re.findall(r'name="((?:title|position|shown)_\d+)" value="([^"]*)"', html))
    for name, options in re.findall(r'<select id="id_role_\d+" name="(role_\d+)"[^>]*>(.*?)</select>', html, re.S):
        data[name] = re.search(r'<option value="(\w+)" selected>', options).group(1)
    return data


def test_hr_see_the_outline_rename_and_join_then_find_drafts(client, hr_user, tree):
    client.force_login(hr_user)
    assert client.get(URL).status_code == 200
    outline = upload(client, VISITORS)
    html = outline.content.decode()
    assert outline.status_code == 200 and "Outline of visitors_policy.docx" in html
    assert 'value="Signing in"' in html and "All visitors sign in at reception" in html
    assert 'value="Visitors Policy"' in html  # the title the Word file gives itself, offered for the policy
    assert not PolicyPage.objects.filter(title__icontains="visitors").exists()  # nothing saved by looking

    data = outline_form(html)
    data.update(step="confirm", title="Visitors", parent=tree.policies.pk)
    data[f"title_{piece(html, 'Signing in')}"] = "Signing in and badges"
    data[f"role_{piece(html, 'Contractors')}"] = "text"  # contractors are part of signing in
    response = client.post(URL, data)
    policy = PolicyPage.objects.get(title="Visitors")
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{policy.pk}/"
    sections = list(PolicySectionPage.objects.child_of(policy).order_by("path"))
    assert [s.title for s in sections] == ["Purpose", "Signing in and badges", "Review"]
    assert not policy.live and not any(s.live for s in sections)  # drafts to check
    joined = [block.block_type for block in sections[1].body]
    assert joined.count("subheading") == 2  # "Badges", and "Contractors" where it was joined
    assert "escorted away from pupils" in str(sections[1].body)


def test_hr_split_a_section_promote_a_line_reorder_and_leave_a_line_out(client, hr_user, tree):
    client.force_login(hr_user)
    html = upload(client, VISITORS).content.decode()
    data = outline_form(html)
    data[f"role_{piece(html, 'All visitors sign in')}"] = "split"  # a new section starts at this paragraph
    data[f"role_{piece(html, 'Red for contractors')}"] = "heading"  # this line is a heading
    data[f"role_{piece(html, 'The governors review')}"] = "out"
    data.update(step="update", title="Visitors", parent=tree.policies.pk)
    updated = client.post(URL, data).content.decode()
    assert "All visitors sign in at reception and wear" in updated  # offered as the new section's title
    data = outline_form(updated)
    data[f"title_{piece(updated, 'All visitors sign in')}"] = "At reception"
    data[f"position_{piece(updated, 'Review')}"] = "1"  # the review first
    data.update(step="confirm", title="Visitors", parent=tree.policies.pk)
    assert client.post(URL, data).status_code == 302
    policy = PolicyPage.objects.get(title="Visitors")
    sections = list(PolicySectionPage.objects.child_of(policy).order_by("path"))
    assert [s.title for s in sections] == [
        "Review", "Purpose", "Signing in", "At reception", "Red for contractors", "Contractors",
    ]  # fmt: skip
    assert [s.number for s in sections] == ["1", "2", "3", "4", "5", "6"]
    assert "wear a badge" in str(sections[3].body) and "every two years" not in str(sections[0].body)


def test_the_button_on_a_policy_index_chooses_where_it_goes(client, hr_user, tree):
    client.force_login(hr_user)
    page = client.get(f"/admin/pages/{tree.policies.pk}/").content.decode()
    assert f"{URL}?parent={tree.policies.pk}" in page
    assert (
        f'name="parent" value="{tree.policies.pk}"' in client.get(f"{URL}?parent={tree.policies.pk}").content.decode()
    )


def test_what_is_missing_is_asked_for_and_nothing_is_saved(client, hr_user, tree):
    client.force_login(hr_user)
    html = upload(client, VISITORS).content.decode()
    data = outline_form(html)
    data[f"role_{piece(html, 'Purpose')}"] = "out"  # its paragraph is now before any section
    data.update(step="confirm", title="", parent=tree.policies.pk)
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 400 and "Give the policy a title" in page and "before the first section" in page
    assert not PolicyPage.objects.filter(title="Visitors").exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("broken.docx", b"PK\x03\x04 this is not really a Word file", "could not be read as a Word document"),
        ("old.doc", b"\xd0\xcf\x11\xe0 an old Word file", "save it as .docx"),
        ("policy.pdf", b"%PDF-1.7", "could not be read as a PDF"),
        ("empty.txt", b"", "empty"),
        ("big.txt", b"1. Heading\n\n" + b"x" * (6 * 1024 * 1024), "the limit is 5 MB"),
    ],
)
def test_a_file_it_cannot_read_gets_a_clear_message_and_creates_nothing(client, hr_user, name, content, message):
    client.force_login(hr_user)
    before = PolicyPage.objects.count()
    response = upload(client, content, name=name)
    assert response.status_code == 400 and message in response.content.decode()
    assert PolicyPage.objects.count() == before


def test_confirming_without_an_outline_says_so(client, hr_user):
    client.force_login(hr_user)
    response = client.post(URL, {"step": "confirm", "title": "X"}, follow=True)
    assert "That outline has expired" in response.content.decode()


@pytest.mark.parametrize("role", ["staff_user", "governor", "senior_leader", "safeguarding_lead"])
def test_only_people_who_add_policies_may_import(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code in (302, 403)
    assert upload(client, VISITORS).status_code in (302, 403)
    assert not PolicyPage.objects.filter(title__icontains="visitors").exists()


def test_the_menu_shows_the_import_to_hr_only(client, hr_user, governor):
    client.force_login(hr_user)
    assert URL in client.get("/admin/").content.decode()
    client.force_login(governor)
    assert URL not in client.get("/admin/").content.decode()


def test_a_file_over_the_sites_upload_limit_is_refused_with_the_limits(client, hr_user, settings):
    settings.MAX_UPLOAD_FILE_BYTES = 1024  # stands in for the 20 MB limit
    client.force_login(hr_user)
    response = upload(client, VISITORS + b"x" * 4096)
    assert response.status_code == 413 and "too large to send" in response.content.decode()
    assert not PolicyPage.objects.filter(title__icontains="visitors").exists()


def test_a_damaged_word_file_gets_a_clear_message_and_creates_nothing(client, hr_user):
    """A .docx cut short inside (a failed download, a damaged memory stick): its XML does not parse."""
    import zipfile

    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VISITORS)) as whole, zipfile.ZipFile(damaged, "w") as out:
        for item in whole.infolist():
            data = whole.read(item.filename)
            out.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    client.force_login(hr_user)
    response = upload(client, damaged.getvalue())
    assert response.status_code == 400
    assert "could not be read as a Word document" in response.content.decode()
    assert not PolicyPage.objects.filter(title__icontains="visitors").exists()


def test_an_ordinary_word_file_with_a_document_control_table_comes_in_whole(client, hr_user, tree):
    """Issue 42: a cover, a "Document control" table of versions 1.0/1.1/2.0, a contents page, Heading 1 sections,
    bullets and a contacts table (tests/fixtures/importer/shapes/visits_document_control.docx)."""
    from pathlib import Path

    shapes = Path(__file__).resolve().parents[1] / "fixtures" / "importer" / "shapes"
    client.force_login(hr_user)
    html = upload(client, (shapes / "visits_document_control.docx").read_bytes(), name="visits.docx").content.decode()
    assert 'value="Educational Visits Policy"' in html  # the document's title, not the file's name
    assert "Version: 2.0" in html and "Next review due: " in html and "Nextreviewdue" not in html  # readable
    data = outline_form(html)
    data.update(step="confirm", title="Educational Visits Policy", parent=tree.policies.pk)
    assert client.post(URL, data).status_code == 302
    policy = PolicyPage.objects.get(title="Educational Visits Policy")
    titles = list(PolicySectionPage.objects.child_of(policy).order_by("path").values_list("title", flat=True))
    assert titles == [
        "Purpose", "Planning a visit", "Risk assessment", "Staffing and ratios", "Consent from parents",
        "Residential visits", "Emergencies on a visit", "Key contacts",
    ]  # fmt: skip
    assert policy.next_review_due is not None  # from the approval table, into the status field


def test_a_document_shaped_as_nobody_foresaw_gets_a_message_not_a_traceback(client, hr_user, tree, monkeypatch):
    from policypages import import_admin

    def fails(text):
        raise IndexError("a shape the reader did not expect")

    monkeypatch.setattr(import_admin, "parse_policy", fails)
    client.force_login(hr_user)
    response = upload(client, VISITORS)
    assert response.status_code == 400 and "could not be read, so nothing was imported" in response.content.decode()
