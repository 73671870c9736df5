"""The policy importer, on the three seed policies and on documents in other styles."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from policypages.importer import clean_lines, outline, parse_policy, read_document, section_text
from policypages.models import PolicyPage, PolicySectionPage

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "importer"
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"the seed policies are not here ({SEEDS}); they live in ../shared, beside the project"
)


def seed(prefix):
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def all_text(section):
    parts = []
    for block in section.blocks:
        value = block["value"]
        if isinstance(value, dict):
            parts += value.get("items", []) + [value.get("text", "")]
        else:
            parts.append(value)
    return " ".join(parts)


@needs_seeds
def test_seed_000_numbered_sections_with_running_headers_and_contents():
    parsed = parse_policy(read_document(seed("000")))
    assert [s.number for s in parsed.sections] == [str(n) for n in range(1, 12)]
    assert parsed.sections[0].title == "Introduction"
    assert parsed.sections[-1].title == "Legislation"
    text = " ".join(all_text(s) for s in parsed.sections)
    assert "RESPECT, BELIEVE, ACHIEVE" not in text  # running header dropped
    assert "Table of Contents" not in text
    # A paragraph broken by a page break is joined again.
    assert "images of you which have been taken" in all_text(parsed.sections[6])
    assert parsed.metadata["next_review_due"] == datetime.date(2025, 3, 1)
    assert any(b["type"] == "list" for b in parsed.sections[1].blocks)


@needs_seeds
def test_seed_001_markdown_and_bold_numbered_headings_keep_subclauses_inside():
    parsed = parse_policy(read_document(seed("001")))
    assert len(parsed.sections) == 12
    assert parsed.sections[3].title == "When using social media at any time"
    assert parsed.sections[7].title == "When using social media in staff's personal life"
    section_4 = all_text(parsed.sections[3])
    assert "4.2.1" in section_4 and "4.10" in section_4
    assert any(b["type"] == "rule" and b["value"]["kind"] == "must_not" for b in parsed.sections[3].blocks)
    assert parsed.metadata["last_reviewed"] == datetime.date(2023, 9, 1)


@needs_seeds
def test_seed_002_contents_page_dropped_and_appendices_kept():
    parsed = parse_policy(read_document(seed("002")))
    numbers = [s.number for s in parsed.sections]
    assert numbers == [str(n) for n in range(1, 11)] + ["Appendix A", "Appendix B"]
    assert parsed.sections[0].title == "Purpose and scope"
    assert {"type": "subheading", "value": "1.1 Definition of social media"} in parsed.sections[0].blocks
    assert "Social Media Site Creation Approval Form" in parsed.sections[-1].title
    assert parsed.metadata["last_reviewed"] == datetime.date(2024, 4, 16)


@needs_seeds
@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_import_policy_command_on_each_seed(tree, prefix, capsys):
    call_command("import_policy", str(seed(prefix)), "--title", f"Seed {prefix}", "--publish")
    policy = PolicyPage.objects.get(title=f"Seed {prefix}")
    assert policy.live
    sections = PolicySectionPage.objects.child_of(policy)
    assert sections.count() >= 11 and all(s.live for s in sections)
    assert "Created policy" in capsys.readouterr().out


def test_markdown_headings():
    parsed = parse_policy(read_document(FIXTURES / "markdown_headings.md"))
    assert [s.title for s in parsed.sections] == ["Purpose", "Where phones may be used", "Photographs", "Review"]
    where = parsed.sections[1].blocks
    assert where[0]["type"] == "list" and len(where[0]["value"]["items"]) == 3
    assert {"type": "subheading", "value": "Exceptions"} in where
    assert parsed.sections[2].blocks[0]["type"] == "rule"
    assert parsed.metadata == {"last_reviewed": datetime.date(2025, 3, 3), "next_review_due": datetime.date(2027, 3, 1)}


def test_bold_headings():
    parsed = parse_policy(read_document(FIXTURES / "bold_headings.txt"))
    assert [(s.number, s.title) for s in parsed.sections] == [
        ("1", "Introduction"),
        ("2", "Who may book"),
        ("3", "Charges"),
        ("4", "Cancellations"),
    ]
    charges = parsed.sections[2].blocks[0]
    assert charges["type"] == "list" and charges["value"]["style"] == "lettered"


def test_capitalised_headings_and_page_furniture():
    parsed = parse_policy(read_document(FIXTURES / "capitalised_headings.txt"))
    assert [s.title for s in parsed.sections] == ["Introduction", "What pupils wear", "Pe kit", "Help with costs"]
    text = " ".join(all_text(s) for s in parsed.sections)
    assert "HILLSIDE SCHOOL" not in text and "Page 2 of 2" not in text
    assert parsed.sections[1].blocks[0]["value"]["items"][0] == "Navy jumper with the school badge"
    assert "help with the cost of uniform, in confidence" in text


def test_word_documents(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Visitors policy", level=0)
    document.add_heading("Signing in", level=1)
    document.add_paragraph("All visitors sign in at reception.")
    document.add_paragraph("Wear a visitor badge", style="List Bullet")
    document.add_paragraph("Stay with your host", style="List Bullet")
    document.add_heading("Contractors", level=1)
    document.add_paragraph("Contractors show photo ID.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Next review", "May 2026"
    path = tmp_path / "visitors.docx"
    document.save(path)
    parsed = parse_policy(read_document(path))
    assert [s.title for s in parsed.sections] == ["Signing in", "Contractors"]
    assert parsed.sections[0].blocks[1] == {
        "type": "list",
        "value": {"style": "bulleted", "items": ["Wear a visitor badge", "Stay with your host"]},
    }


def test_markup_is_escaped():
    parsed = parse_policy("1. Intro\n\nSay <script>alert(1)</script> **never**.\n\n2. End\n\nDone.")
    assert parsed.sections[0].blocks[0]["value"] == "<p>Say &lt;script&gt;alert(1)&lt;/script&gt; <b>never</b>.</p>"


def test_a_numbered_list_inside_a_section_is_not_mistaken_for_headings():
    text = "1. Introduction\n\nSteps:\n\n1. Ask first.\n2. Then write it down.\n\n2. Scope\n\nEveryone."
    parsed = parse_policy(text)
    assert [s.title for s in parsed.sections] == ["Introduction", "Scope"]


def test_clean_lines_drops_page_numbers():
    assert clean_lines("Text\n12\nPage 3 of 9\nMore") == ["Text", "", "", "More"]


# --- bad input: a clear message, and nothing created --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "is empty"),
        ("binary.txt", b"\x00\x01\x02PNG", "does not look like a text file"),
        ("broken.docx", b"not a zip file", "could not be read as a Word document"),
        ("policy.pdf", b"%PDF-1.4", "could not be read as a PDF"),
        ("page.html", b"\x00\x01 not html", "does not look like a web page"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "a .docx, .pdf, .html, .md or .txt file"),
        ("spaces.txt", b"   \n\n  ", "no text"),
    ],
)
def test_unreadable_files_create_nothing(tree, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_policy", str(path), "--title", "Broken")
    assert not PolicyPage.objects.exists()


@pytest.mark.django_db
def test_a_document_without_sections_comes_in_as_one_section(tree):
    """Not refused: one section holding all of it, for HR to split on the outline (which says so)."""
    parsed = parse_policy(read_document(FIXTURES / "no_headings.txt"))
    assert len(parsed.sections) == 1 and any("No headings were found" in note for note in parsed.notes)
    call_command("import_policy", str(FIXTURES / "no_headings.txt"), "--title", "Notes", stdout=io.StringIO())
    policy = PolicyPage.objects.get(title="Notes")
    assert policy.get_children().count() == 1


@pytest.mark.django_db
def test_missing_file_and_bad_parent(tree):
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_policy", "/nonexistent/policy.txt", "--title", "X")
    with pytest.raises(CommandError, match="No policy index page at /parents/"):
        call_command("import_policy", str(FIXTURES / "bold_headings.txt"), "--title", "X", "--parent", "/parents/")
    assert not PolicyPage.objects.exists()


@pytest.mark.django_db
def test_import_into_a_named_parent_as_drafts_and_refuse_a_duplicate(tree, capsys):
    from policypages.models import PolicyIndexPage

    staff_policies = PolicyIndexPage(title="Staff policies", slug="staff-policies")
    tree.staff.add_child(instance=staff_policies)
    call_command(
        "import_policy",
        str(FIXTURES / "bold_headings.txt"),
        "--title",
        "Lettings",
        "--parent",
        "/staff/staff-policies/",
    )
    policy = PolicyPage.objects.get(title="Lettings")
    assert policy.get_parent().pk == staff_policies.pk
    assert not policy.live and policy.get_children().count() == 4
    assert "saved as drafts" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already a page called 'lettings'"):
        call_command(
            "import_policy",
            str(FIXTURES / "bold_headings.txt"),
            "--title",
            "Lettings",
            "--parent",
            "/staff/staff-policies/",
        )
    assert PolicyPage.objects.count() == 1


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing_behind(tree, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(PolicySectionPage, "save_revision", explode)
    with pytest.raises(RuntimeError):
        call_command("import_policy", str(FIXTURES / "bold_headings.txt"), "--title", "Half")
    assert not PolicyPage.objects.exists()


# --- shapes of real documents (issue 14): our own fixtures, beside the development set ---------------------


def test_a_pdf_export_comes_out_whole():
    """Running header and footer with a page count, a heading without its dot, one wrapped over two lines, a
    number after its title, a number on the line above, skipped numbering, a bare page number inside a
    sentence, a word hyphenated across lines, an annex, and the review dates read from the cover."""
    parsed = parse_policy(read_document(FIXTURES / "pdf_export_shapes.txt"))
    assert [(s.number, s.display_title) for s in parsed.sections] == [
        ("1", "Purpose"),
        ("2", "Signing in and out"),
        ("3", "Visitors who work with pupils and volunteers"),
        ("4", "Safeguarding checks"),
        ("5", "Contractors"),
        ("7", "Emergencies"),
        ("Annex B", "Annex B: Visitor badge colours"),
    ]
    text = [section_text(s) for s in parsed.sections]
    assert "Staff are responsible for asking" in text[1]
    assert "an enhanced DBS check before they work with pupils" in text[2]
    assert not any("Page 2 of 3" in t or "Anytown Primary School" in t for t in text)
    assert parsed.metadata["next_review_due"] == datetime.date(2026, 3, 1)


def test_parts_are_the_sections_when_nothing_is_numbered():
    parsed = parse_policy(read_document(FIXTURES / "parts.txt"))
    assert [s.display_title for s in parsed.sections] == [
        "Part A: Working here",
        "Part B: Looking after pupils",
        "Part C: Leaving",
    ]


def test_a_rule_lead_in_and_its_list_are_one_rule():
    text = (
        "1. Conduct\n\nWhen online, staff must not:\n\n- accept friend requests from pupils\n- share passwords\n\n"
        "Staff should also be aware that other laws may apply to what they post, including:\n\n"
        "- the Defamation Act 2013\n\n2. Review\n\nReviewed every year.\n"
    )
    blocks = parse_policy(text).sections[0].blocks
    rule, advice, laws = blocks
    assert rule["type"] == "rule" and rule["value"]["kind"] == "must_not"
    assert rule["value"]["text"] == (
        "<p>When online, staff must not:</p><ul><li>accept friend requests from pupils</li>"
        "<li>share passwords</li></ul>"
    )
    # Advice that ends in a list ("...including:") is not a rule.
    assert advice["type"] == "paragraph" and laws["type"] == "list"


def test_dry_run_prints_the_outline_and_saves_nothing(tree, capsys):
    call_command("import_policy", str(FIXTURES / "pdf_export_shapes.txt"), "--dry-run")
    out = capsys.readouterr().out
    assert "nothing saved" in out and "7 sections:" in out
    assert "  4. Safeguarding checks: The office keeps the single central record up to date." in out
    assert "Document status found: last reviewed 2025-03-01; next review due 2026-03-01" in out
    assert "'Visitors policy v1.2' ×3" in out and "'page numbers'" in out
    assert "Check: The numbering skips 6 (5 is followed by 7)" in out
    assert not PolicyPage.objects.filter(title__icontains="visitors").exists()


def test_version_table_and_signature_block_are_document_status_not_sections():
    text = (
        "STAFF CONDUCT\n\nVersion\tDate\tAction\n1.0\t09/2019\tAdopted\n2.1\t10/2023\tGift limit changed\n\n"
        "1. Introduction\n\nStaff set an example.\n\n2. Breaches\n\nBreaches may lead to action.\n\n"
        "Signed: ..........................\tChair of Governors\nDate: ..........................\n\n"
        "Appendix A: Declaration\n\nName: ..........................\nSignature: ..........................\n"
    )
    parsed = parse_policy(text)
    assert parsed.metadata["version"] == "2.1"
    assert [s.display_title for s in parsed.sections] == ["Introduction", "Breaches", "Appendix A: Declaration"]
    assert "Signed" not in section_text(parsed.sections[1])
    assert "Signature" in section_text(parsed.sections[2])  # in an appendix it is the form itself
    assert parsed.dropped["signature block lines"] == 2


def test_tab_separated_and_pipe_tables_are_kept_as_tables():
    text = (
        "1. Timescales\n\nStage\tWho\tResponse\nStage 1\tClass teacher\t10 school days\n"
        "Stage 2\tHeadteacher\t15 school days\n\n2. Contacts\n\n| Role | Email |\n|---|---|\n| DSL | dsl@school.example |\n"
    )
    first, second = (section.blocks for section in parse_policy(text).sections)
    assert first == [
        {
            "type": "table",
            "value": {
                "caption": "",
                "rows": "Stage | Who | Response\nStage 1 | Class teacher | 10 school days\nStage 2 | Headteacher | 15 school days",
            },
        }
    ]
    assert second[0]["value"]["rows"] == "Role | Email\nDSL | dsl@school.example"


@pytest.mark.django_db
def test_a_table_is_a_real_table_on_the_page(client, tree):
    from tests.policypages.factories import PolicySectionPageFactory, make_policy

    policy = make_policy(tree.policies, sections=1, slug="complaints", title="Complaints")
    table = {"caption": "Timescales", "rows": "Stage | Response\nStage 1 | 10 school days"}
    section = PolicySectionPageFactory(
        parent=policy, number="4", title="Timescales", slug="timescales", body=[{"type": "table", "value": table}]
    )
    html = client.get(section.url).content.decode()
    assert '<th scope="col">Stage</th>' in html and "<td>10 school days</td>" in html
    assert "<caption>Timescales</caption>" in html
    from policypages.blocks import body_lines

    assert body_lines(section.body) == ["Stage | Response", "Stage 1 | 10 school days"]


# --- Word files as Word writes them ------------------------------------------------------------------


def _word_numbering(paragraph, level=0, list_id=1):
    """Word's automatic numbering on a paragraph: the number shows in Word but is not in the text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    numbering = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", level), ("w:numId", list_id)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(value))
        numbering.append(element)
    paragraph._p.get_or_add_pPr().append(numbering)
    return paragraph


def _word_contents_control(document, entries):
    """A contents page as Word generates it: a content control of the 'Table of Contents' gallery."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    rows = "".join(f"<w:p><w:r><w:t>{entry}</w:t></w:r></w:p>" for entry in entries)
    document.element.body.append(
        parse_xml(
            f'<w:sdt {w}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
            f"</w:docPartObj></w:sdtPr><w:sdtContent>{rows}</w:sdtContent></w:sdt>"
        )
    )


def test_word_house_heading_styles_with_automatic_numbers(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Northgate Trust | Visitors policy | Version 3"
    section.footer.paragraphs[0].text = "Page 1 of 4"
    document.add_paragraph("Visitors policy", style="Title")
    _word_contents_control(document, ["Introduction 1", "Signing in and out 2"])
    house = document.styles.add_style("Trust Heading", WD_STYLE_TYPE.PARAGRAPH)
    house.base_style = document.styles["Heading 1"]
    _word_numbering(document.add_paragraph("Introduction", style="Trust Heading"))
    document.add_paragraph("The trust welcomes visitors and keeps pupils safe.")
    heading = _word_numbering(document.add_paragraph(style="Trust Heading"))
    for run in ("Signing ", "in and ", "out"):  # Word splits a heading into runs wherever it was edited
        heading.add_run(run)
    document.add_paragraph("Every visitor signs in at reception.")
    document.add_paragraph("Out of hours", style="Heading 2")
    rule = document.add_paragraph().add_run("Visitors must never be left alone with pupils, whoever they are.")
    rule.bold = True
    document.add_paragraph("Staff who host a visitor stay with them.")
    path = tmp_path / "visitors.docx"
    document.save(path)

    parsed = parse_policy(read_document(path))
    assert [s.title for s in parsed.sections] == ["Introduction", "Signing in and out"]
    assert parsed.title == "Visitors policy"  # offered as the policy's title, not made a section
    assert outline(parsed)[0] == "Title: Visitors policy"
    text = " ".join(all_text(s) for s in parsed.sections)
    assert "Out of hours" in all_text(parsed.sections[1])  # a sub-heading stays inside its section
    assert "left alone with pupils" in all_text(parsed.sections[1])  # a bold sentence is not a heading
    for furniture in ("Northgate Trust", "Page 1 of 4", "Introduction 1", "Visitors policy"):
        assert furniture not in text


def test_word_bold_numbered_paragraphs_as_headings_with_numbered_clauses_inside(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for title, clauses in [
        ("Purpose", ["The policy sets out how lettings work."]),
        ("Who may book", ["Community groups may book the hall.", "Private parties may not."]),
        ("Charges", ["Charges are reviewed each year."]),
    ]:
        heading = _word_numbering(document.add_paragraph(style="List Paragraph"))
        heading.add_run(title).bold = True
        for clause in clauses:
            _word_numbering(document.add_paragraph(clause, style="List Paragraph"), level=1)
    path = tmp_path / "lettings.docx"
    document.save(path)

    parsed = parse_policy(read_document(path))
    assert [s.title for s in parsed.sections] == ["Purpose", "Who may book", "Charges"]
    assert "Private parties may not." in all_text(parsed.sections[1])


def test_word_headings_bold_by_a_character_style_or_set_by_outline_level(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph().add_run("Aims").style = document.styles["Strong"]
    document.add_paragraph("We aim to keep every journey safe.")
    document.add_paragraph().add_run("Coaches").style = document.styles["Strong"]
    document.add_paragraph("Coaches are booked through the office.")
    path = tmp_path / "trips.docx"
    document.save(path)
    assert [s.title for s in parse_policy(read_document(path)).sections] == ["Aims", "Coaches"]

    document = docx.Document()
    for title in ("Aims", "Coaches"):
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), "0")  # Word's paragraph dialog: Outline level 1
        document.add_paragraph(title)._p.get_or_add_pPr().append(level)
        document.add_paragraph(f"About {title.lower()}, in a sentence of its own.")
    document.save(path)
    assert [s.title for s in parse_policy(read_document(path)).sections] == ["Aims", "Coaches"]


@pytest.mark.django_db
def test_the_title_a_document_gives_itself_is_used_unless_another_is_given(tree, tmp_path):
    path = tmp_path / "lettings.md"
    path.write_text("% Lettings policy\n\n1. Purpose\n\nHow lettings work.\n\n2. Charges\n\nReviewed yearly.\n")
    call_command("import_policy", str(path))
    assert PolicyPage.objects.get().title == "Lettings policy"
    assert "Lettings policy" not in all_text(parse_policy(path.read_text()).sections[0])
    markdown = "# Lettings Policy\n\n## Purpose\n\nHow lettings work.\n\n## Charges\n\nReviewed yearly.\n"
    assert parse_policy(markdown).title == "Lettings Policy"
    assert [s.title for s in parse_policy(markdown).sections] == ["Purpose", "Charges"]
    untitled = tmp_path / "untitled.txt"
    untitled.write_text("1. Purpose\n\nHow lettings work.\n\n2. Charges\n\nReviewed yearly.\n")
    with pytest.raises(CommandError, match="--title must be given"):
        call_command("import_policy", str(untitled))
    assert PolicyPage.objects.count() == 1


def test_word_styles_based_on_each_other_do_not_hang_the_import(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    first = document.styles.add_style("House A", WD_STYLE_TYPE.PARAGRAPH)
    second = document.styles.add_style("House B", WD_STYLE_TYPE.PARAGRAPH)
    first.base_style, second.base_style = second, first  # as a crafted file can say
    for title in ("Aims", "Coaches"):
        document.add_paragraph(title, style="Heading 1")
        document.add_paragraph(f"About {title.lower()}.", style="House A")
    path = tmp_path / "loop.docx"
    document.save(path)
    parsed = parse_policy(read_document(path))
    assert [s.title for s in parsed.sections] == ["Aims", "Coaches"]


def test_a_word_file_whose_body_cannot_be_read_says_so(tmp_path, monkeypatch, caplog):
    from policypages import importer

    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Aims", style="Heading 1")
    path = tmp_path / "odd.docx"
    document.save(path)

    def fails(*args):
        raise AttributeError("a structure python-docx did not expect")

    from policypages.formats.word import WordReader

    monkeypatch.setattr(WordReader, "paragraph", fails)
    with pytest.raises(importer.PolicyImportError, match="could not be read as a Word document: part of it is damaged"):
        read_document(path)
    assert "Reading the body of odd.docx failed" in caplog.text
