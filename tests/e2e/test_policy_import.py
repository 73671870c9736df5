"""HR bring in a policy the school already has, from a Word file, in the admin: outline, correct it (split,
promote, join, rename), confirm, drafts. A file it cannot read, or one far too large, is refused with a message
(issues 14 and 42)."""

import re

from playwright.sync_api import expect

from policypages.models import PolicyPage, PolicySectionPage
from tests.policypages.test_import_screen import VISITORS

from .conftest import axe_violations, has_horizontal_scroll, sign_in


def check_page(page, where):
    problems = [f"{where}: {violation}" for violation in axe_violations(page)]
    if has_horizontal_scroll(page):
        problems.append(f"{where}: scrolls sideways")
    return problems


def row(page, text):
    """The outline's entry for the paragraph that shows `text`."""
    return page.locator("li.import-piece", has_text=text).first


def test_hr_correct_the_outline_then_find_the_drafts(page, live_server, demo_school, tmp_path):
    """Split a section at a paragraph, make a line a heading, join a heading to the section above, rename, then
    confirm: the drafts are the sections HR made. Checked at a laptop's width and a phone's."""
    document = tmp_path / "visitors_policy.docx"
    document.write_bytes(VISITORS)
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/")
    page.get_by_role("link", name="Import a policy").first.click()
    problems = check_page(page, "import screen")
    page.get_by_label("Policy document").set_input_files(str(document))
    page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_role("heading", name="Outline of visitors_policy.docx")).to_be_visible()
    expect(page.get_by_label("Policy title")).to_have_value("Visitors Policy")  # the document's own title
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        problems += check_page(page, f"outline at {width}px")
    assert not PolicyPage.objects.filter(title="Visitors Policy").exists()

    row(page, "All visitors sign in").get_by_label("What is this?").select_option("split")
    row(page, "Red for contractors").get_by_label("What is this?").select_option("heading")
    heading = page.locator("li.import-piece:has(input[value='Contractors'])")  # the heading, not its paragraph
    heading.get_by_label("What is this?").select_option("text")
    page.get_by_role("button", name="Update the outline").click()
    sections = page.locator(".import-sections li")
    expect(sections).to_have_count(5)
    row(page, "All visitors sign in").get_by_label("Section title").fill("At reception")
    page.set_viewport_size({"width": 390, "height": 900})
    problems += check_page(page, "updated outline at 390px")
    page.get_by_role("button", name="Create draft pages").click()
    expect(page.get_by_text(re.compile(r"Imported 'Visitors Policy'.*5 sections saved as drafts"))).to_be_visible()
    policy = PolicyPage.objects.get(title="Visitors Policy")
    titles = list(PolicySectionPage.objects.child_of(policy).order_by("path").values_list("title", flat=True))
    assert titles == ["Purpose", "Signing in", "At reception", "Red for contractors", "Review"]
    joined = PolicySectionPage.objects.child_of(policy).get(title="Red for contractors")
    assert "escorted away from pupils" in str(joined.body)  # "Contractors" was joined to the section above
    assert problems == []


def test_a_corrupt_file_and_a_20_mb_file_are_refused_with_a_message(page, live_server, demo_school, tmp_path):
    corrupt = tmp_path / "policy.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really a Word document")
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"1. Purpose\n\n" + b"x" * (20 * 1024 * 1024))
    before = PolicyPage.objects.count()
    sign_in(page, live_server.url, "hr@oakbrook.example", next_path="/admin/policies/import/")

    page.get_by_label("Policy document").set_input_files(str(corrupt))
    page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_text(re.compile("could not be read as a Word document"))).to_be_visible()

    page.get_by_label("Policy document").set_input_files(str(huge))
    page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_text(re.compile("the limit is 5 MB|too large to send"))).to_be_visible()
    assert PolicyPage.objects.count() == before
