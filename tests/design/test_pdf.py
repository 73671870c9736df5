"""The PDF copy of a policy: the issued text, what this reader may see, the version on every page."""

import io

import pytest
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from tests.factories import PolicySectionPageFactory, issue, make_policy, section_body

pytestmark = pytest.mark.django_db


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [page.extract_text() for page in reader.pages]


@pytest.fixture
def issued(mixed_policy):
    policy = mixed_policy
    # Long enough to need several pages, so 'every page' means something.
    PolicySectionPageFactory(
        parent=policy,
        number="4",
        title="Long section",
        slug="long",
        body=section_body(*[f"Paragraph {n} about using social media with care at school." for n in range(120)]),
    )
    issue(policy, "2.1", summary="Clarified section 1.")
    return policy


def test_parents_get_the_public_sections_with_the_version_on_every_page(client, issued):
    response = client.get("/policies/mixed/pdf/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mixed-version-2.1.pdf"'
    assert "private" in response["Cache-Control"]
    pages = pdf_text(response)
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert "Version 2.1, issued 1 September 2026" in text
        assert f"Page {number} of {len(pages)}" in text
    whole = "\n".join(pages)
    assert "Rule 1 says staff must be kind." in whole and "Clarified section 1." in whole
    assert "extension 4321" not in whole and "Internal procedure" not in whole
    assert "leaves out 1 section written for staff only" in whole


def test_staff_get_every_section(client, issued, staff_user):
    client.force_login(staff_user)
    whole = "\n".join(pdf_text(client.get("/policies/mixed/pdf/")))
    assert "3. Internal procedure" in whole and "extension 4321" in whole
    assert "leaves out" not in whole


def test_the_pdf_is_the_issued_text_not_a_later_draft(client, issued):
    section = issued.get_children().get(slug="section-1").specific
    section.body = section_body("A rule nobody has approved yet.")
    section.save_revision().publish()
    whole = "\n".join(pdf_text(client.get("/policies/mixed/pdf/")))
    assert "Rule 1 says staff must be kind." in whole
    assert "nobody has approved" not in whole


def test_a_staff_only_policy_pdf_needs_sign_in(client, tree, issued):
    PageViewRestriction.objects.create(page=issued, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/policies/mixed/pdf/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_policy_never_issued_has_no_pdf(client, tree):
    make_policy(tree.policies, sections=1, slug="draft")
    assert client.get("/policies/draft/pdf/").status_code == 404


def test_characters_outside_the_pdf_fonts_are_transliterated_not_fatal(client, tree):
    policy = make_policy(tree.policies, sections=0, slug="unicode", title="Żółw policy – “quotes” £5")
    PolicySectionPageFactory(parent=policy, number="1", title="Émoji 🙂 and ŝ", slug="s1")
    issue(policy, "1")
    whole = "\n".join(pdf_text(client.get("/policies/unicode/pdf/")))
    assert "Zólw policy – “quotes” £5" in whole
    assert "1. Émoji" in whole and " and s" in whole


def test_policy_page_offers_the_pdf_and_print(client, issued):
    html = client.get("/policies/mixed/").content.decode()
    assert 'href="/policies/mixed/pdf/"' in html and "Download PDF" in html
    assert "data-print" in html
    assert 'class="print-meta"' in html and "version 2.1, issued 1 September 2026" in html
