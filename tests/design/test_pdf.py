"""The PDF copy of a policy: the issued text, what this reader may see, the version on every page."""

import io

import pytest
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from tests.policypages.factories import PolicySectionPageFactory, issue, make_policy, section_body

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


def _structure(reader):
    """(type, text) of every structure element in reading order, the text read from the marked content its
    MCIDs point to; and the content that is neither tagged nor an artifact."""
    from pypdf.generic import ContentStream, DictionaryObject

    marked = {}  # (page index, mcid) -> text
    untagged = []
    for index, page in enumerate(reader.pages):
        stream = ContentStream(page.get_contents(), reader)
        stack = []
        for operands, operator in stream.operations:
            if operator in (b"BDC", b"BMC"):
                props = operands[1] if len(operands) > 1 and isinstance(operands[1], DictionaryObject) else {}
                stack.append((operands[0], props.get("/MCID")))
            elif operator == b"EMC":
                stack.pop()
            elif operator in (b"Tj", b"TJ"):
                text = operands[0] if operator == b"Tj" else "".join(p for p in operands[0] if isinstance(p, str))
                if not stack:
                    untagged.append(text)
                elif stack[-1][1] is not None:
                    key = (index, stack[-1][1])
                    marked[key] = marked.get(key, "") + str(text)
    page_index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    elements = []

    def walk(node, page):
        node = node.get_object()
        if "/S" in node:
            page = page_index.get(node.raw_get("/Pg").idnum, page) if "/Pg" in node else page
            texts = []
            kids = node.get("/K", [])
            for kid in kids if isinstance(kids, list) else [kids]:
                kid = kid.get_object() if hasattr(kid, "get_object") else kid
                if isinstance(kid, int):
                    texts.append(marked.pop((page, kid), ""))
                elif isinstance(kid, dict) and kid.get("/Type") == "/MCR":
                    texts.append(marked.pop((page_index[kid.raw_get("/Pg").idnum], kid["/MCID"]), ""))
            elements.append((node["/S"][1:], " ".join(t for t in texts if t)))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict) and "/S" in kid.get_object():
                walk(kid, page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], 0)
    return elements, marked, untagged


def test_the_pdf_is_tagged_for_screen_readers(client, issued):
    from tests.policypages.factories import PolicySectionPageFactory

    section = PolicySectionPageFactory(
        parent=issued,
        number="5",
        title="Lists and rules",
        slug="lists",
        body=[
            {"type": "subheading", "value": "What to do"},
            {
                "type": "list",
                "value": {"style": "bulleted", "items": ["<p>Block the account</p>", "<p>Tell the DSL</p>"]},
            },
            {"type": "rule", "value": {"kind": "must_not", "text": "<p>Reply to a pupil on social media.</p>"}},
        ],
    )
    issue(issued, "3", summary="Added section 5.")
    reader = PdfReader(io.BytesIO(client.get("/policies/mixed/pdf/").content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Mixed, version 3"
    elements, orphans, untagged = _structure(reader)
    types = [kind for kind, _ in elements]
    assert elements[1] == ("H1", "Mixed")
    assert [text for kind, text in elements if kind == "H2"] == [
        "What changed in this version",
        "1. Section 1",
        "2. Section 2",
        "4. Long section",
        "5. Lists and rules",
    ]
    assert ("H3", "What to do") in elements
    assert {"Table", "TR", "TH", "TD", "L", "LI", "LBody", "Div", "P"} <= set(types)
    assert ("TH", "Version") in elements
    # (The raw operands are read here without the font's WinAnsi encoding, so the bullet itself is not compared.)
    assert [text[2:] for kind, text in elements if kind == "LBody"] == ["Block the account", "Tell the DSL"]
    # The long section runs over pages: its paragraphs are still whole, read in order.
    paragraphs = [text for kind, text in elements if kind == "P" and text.startswith("Paragraph ")]
    assert paragraphs[:2] == [
        "Paragraph 0 about using social media with care at school.",
        "Paragraph 1 about using social media with care at school.",
    ]
    assert len(paragraphs) == 120
    assert orphans == {}, "marked content no structure element points to"
    assert untagged == [], "text that is neither tagged nor a page artifact"
    assert section.pk
