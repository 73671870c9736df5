"""Each format read by its own structure (policypages/formats/): what a reader of that format can be sure of,
shown on small documents made here. (Whole documents are in test_importer_devset.py.)"""

import io

import pytest

from policypages.importer import PolicyImportError, parse_policy, read_document


def _pdf(tmp_path, build, name="p.pdf", **options):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_margins(20, 20, 20)
    if options.get("password"):
        pdf.set_encryption(owner_password="owner", user_password=options["password"])
    pdf.add_page()
    build(pdf)
    path = tmp_path / name
    pdf.output(str(path))
    return path


def test_a_scanned_pdf_is_refused_with_a_message_saying_so(tmp_path):
    from PIL import Image

    picture = tmp_path / "scan.png"
    Image.new("RGB", (400, 560), "white").save(picture)
    path = _pdf(tmp_path, lambda pdf: pdf.image(str(picture), x=10, y=10, w=180))
    with pytest.raises(PolicyImportError, match="looks like a scan"):
        read_document(path)


def test_a_pdf_with_a_password_says_so(tmp_path):
    def build(pdf):
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, "Locked text.")

    path = _pdf(tmp_path, build, password="secret")
    with pytest.raises(PolicyImportError, match="password"):
        read_document(path)


def test_pdf_headings_come_from_the_type_size_and_the_title_from_the_largest(tmp_path):
    def build(pdf):
        pdf.set_font("Helvetica", "B", 20)
        pdf.multi_cell(0, 10, "Lettings Policy", new_x="LMARGIN", new_y="NEXT")
        for title, body in (("Who may hire", "Local groups may hire the hall."), ("Charges", "The hall costs £20.")):
            pdf.set_font("Helvetica", "B", 14)
            pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, body, new_x="LMARGIN", new_y="NEXT")

    parsed = parse_policy(read_document(_pdf(tmp_path, build)))
    assert parsed.title == "Lettings Policy"
    assert [s.title for s in parsed.sections] == ["Who may hire", "Charges"]


def test_a_saved_web_page_keeps_its_content_not_its_furniture(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Uniform | Oak School</title></head><body><nav><a>Home</a><a>Parents</a></nav>"
        '<div class="cookie-banner">We use cookies <button>Accept</button></div><main><h1>Uniform Policy</h1>'
        "<h2>What to wear</h2><p>Navy jumpers.</p><h2>PE kit</h2><ul><li>White T-shirt</li></ul>"
        '<p><a href="#top">Back to top</a></p></main><footer>&copy; Oak School</footer></body></html>'
    )
    text = read_document(path)
    parsed = parse_policy(text)
    assert parsed.title == "Uniform Policy"
    assert [s.title for s in parsed.sections] == ["What to wear", "PE kit"]
    assert "cookies" not in text and "Back to top" not in text and "Oak School" not in text.replace("% ", "")


def test_ordinary_text_is_not_taken_for_a_web_page(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("1. Purpose\n\nWe keep children safe.\n\n2. Cookies\n\nOur website uses cookies.\n")
    assert [s.title for s in parse_policy(read_document(path)).sections] == ["Purpose", "Cookies"]


def test_a_table_row_is_never_a_heading():
    text = "Version\tDate\tChange\n1.0\tMarch 2022\tFirst issue\n2.0\tMay 2024\tRewritten\n\n1. Aims\n\nText.\n\n2. Scope\n\nMore."
    parsed = parse_policy(text)
    assert [s.title for s in parsed.sections] == ["Aims", "Scope"]
    assert parsed.metadata.get("version") == "2.0"  # the version table goes to the status fields


def test_a_label_used_twice_never_crashes_the_import(tree):
    from policypages.importer import create_policy

    text = "1. Aims\n\nA.\n\n2. Scope\n\nB.\n\nAppendix A: Form\n\nC.\n\nAppendix A: Form again\n\nD.\n"
    parsed = parse_policy(text)
    numbers = [s.number for s in parsed.sections]
    assert len(numbers) == len(set(numbers)) and any("Two sections were numbered" in n for n in parsed.notes)
    create_policy(parsed, title="Twice", parent=tree.policies)


def test_word_tracked_changes_are_read_accepted(tmp_path):
    docx = pytest.importorskip("docx")
    from tests.fixtures.importer.shapes.build import _change, _run

    document = docx.Document()
    document.add_paragraph("Aims", style="Heading 1")
    p = document.add_paragraph("We ")
    p._p.append(_change("del", _run("never ", deleted=True)))
    p._p.append(_change("ins", _run("always ")))
    p._p.append(_run("check."))
    document.add_paragraph("Scope", style="Heading 1")
    document.add_paragraph("All staff.")
    path = tmp_path / "tracked.docx"
    document.save(path)
    text = read_document(path)
    assert "We always check." in text and "never" not in text


def test_the_importer_command_reads_a_pdf(tree, tmp_path):
    from django.core.management import call_command

    from policypages.models import PolicyPage

    def build(pdf):
        pdf.set_font("Helvetica", "B", 20)
        pdf.multi_cell(0, 10, "Visitors Policy", new_x="LMARGIN", new_y="NEXT")
        for title in ("Signing in", "Badges"):
            pdf.set_font("Helvetica", "B", 14)
            pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, f"About {title.lower()}.", new_x="LMARGIN", new_y="NEXT")

    path = _pdf(tmp_path, build)
    call_command("import_policy", str(path), "--title", "Visitors", stdout=io.StringIO())
    assert PolicyPage.objects.get(title="Visitors").get_children().count() == 2


def test_the_title_is_the_documents_own_not_the_file_name():
    parsed = parse_policy("Anytown Primary School\n\nVISITORS POLICY\n\nVersion 2\n\n1. Aims\n\nA.\n\n2. Scope\n\nB.\n")
    assert parsed.title == "Visitors policy"


def test_a_version_table_lined_up_with_spaces_is_not_sections():
    text = (
        "Version     Date             Change\n1.0         March 2022       First version\n"
        "2.0         May 2024         Rewritten for the new guidance\n\n1. Aims\n\nText.\n\n2. Scope\n\nMore.\n"
    )
    assert [s.title for s in parse_policy(text).sections] == ["Aims", "Scope"]
