"""A PDF of a policy version, from its issued snapshot: the copy a parent can ask for (academies must give one).

Built with fpdf2's core fonts (Windows-1252, so curly quotes, dashes and £ print; anything else is
transliterated with anyascii, which Wagtail already uses for slugs). Every page carries the school, the policy,
the version, its date and the page number, so a single printed page can always be placed.

The PDF is *tagged*, so a screen reader can read it: a structure tree of headings (H1 for the policy, H2 for
each section, H3 for sub-headings), paragraphs, lists (L, LI, LBody), the document-status table (Table, TR,
TH, TD) and the boxed rules (Div), in reading order; the running header and footer are marked as pagination
artifacts; the document has its language (en-GB) and its title, shown as the window title. fpdf2 has no
public API for this, so `TaggedStructure` builds the tree on fpdf2's own structure classes (fpdf2 is pinned;
tests/design/test_pdf.py reads the tree back).
"""

from contextlib import contextmanager

from anyascii import anyascii
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.prefs import ViewerPreferences
from fpdf.structure_tree import StructElem, StructureTreeBuilder

from .blocks import RuleBlock, _text

RULE_LABELS = dict(RuleBlock.base_blocks["kind"].field.choices)
INK = (29, 36, 51)
MUTED = (74, 84, 104)


def _printable(text):
    """Text the PDF's core fonts can draw: Windows-1252 as is, anything else spelled in plain letters."""
    try:
        text.encode("windows-1252")
        return text
    except UnicodeEncodeError:
        out = []
        for char in text:
            try:
                char.encode("windows-1252")
                out.append(char)
            except UnicodeEncodeError:
                out.append(anyascii(char) or "?")
        return "".join(out)


class _PageRef:
    """A page's reference, resolved when the file is written (fpdf2 numbers its objects only then)."""

    def __init__(self, doc, page_number):
        self.doc, self.page_number = doc, page_number

    def serialize(self, **kwargs):
        return f"{self.doc.pages[self.page_number].id} 0 R"


class _MarkedContentRef:
    """A structure element's content on another page than its first: /MCR with that page."""

    def __init__(self, doc, page_number, mcid):
        self.page, self.mcid = _PageRef(doc, page_number), mcid

    def serialize(self, **kwargs):
        return f"<</Type /MCR /Pg {self.page.serialize()} /MCID {self.mcid}>>"


class TaggedStructure(StructureTreeBuilder):
    """fpdf2's structure tree, with nesting (a list holds items, a table rows, a row cells) and elements
    whose content runs over a page break."""

    def __init__(self, doc):
        super().__init__()
        self.doc = doc
        self.elements = []
        self.mcids = {}  # page number -> next marked-content id

    def element(self, struct_type, parent=None):
        parent = parent or self.doc_struct_elem
        elem = StructElem(struct_type=f"/{struct_type}", parent=parent, kids=[], page_number=self.doc.page)
        elem.pg = _PageRef(self.doc, self.doc.page)
        parent.k.append(elem)
        self.elements.append(elem)
        return elem

    def mark(self, elem):
        """A new marked-content id on the current page for `elem`'s content."""
        page = self.doc.page
        mcid = self.mcids.get(page, 0)
        self.mcids[page] = mcid + 1
        spid = self.spid_per_page_number.setdefault(page, len(self.spid_per_page_number))
        self.doc.pages[page].struct_parents = spid
        self.struct_tree_root.parent_tree.nums[spid].append(elem)  # index in this list = the MCID
        elem.k.append(mcid if elem.page_number() == page else _MarkedContentRef(self.doc, page, mcid))
        return mcid

    def empty(self):
        return not self.elements

    def __iter__(self):
        yield self.struct_tree_root
        yield self.doc_struct_elem
        yield self.struct_tree_root.parent_tree
        yield from self.elements


class PolicyDocument(FPDF):
    def __init__(self, *, school, title, version):
        super().__init__(format="A4")
        self.core_fonts_encoding = "windows-1252"
        self.school, self.policy_title, self.policy_version = school, title, version
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=20)
        self.set_title(_printable(f"{title}, version {version.label}"))
        self.set_author(_printable(school))
        self.set_creator("School policies")
        self.set_lang("en-GB")
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.struct_builder = TaggedStructure(self)

    # --- what is not content: running header and footer -------------------------------

    @contextmanager
    def artifact(self):
        self._out("/Artifact <</Type /Pagination>> BDC")
        yield
        self._out("EMC")

    def header(self):
        with self.artifact():
            self.set_font("Helvetica", size=8)
            self.set_text_color(*MUTED)
            self.cell(0, 5, _printable(f"{self.school} · {self.policy_title}"), new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def footer(self):
        self.set_y(-14)
        with self.artifact():
            self.set_font("Helvetica", size=8)
            self.set_text_color(*MUTED)
            issued = self.policy_version.issued_on.strftime("%-d %B %Y")
            self.cell(0, 5, _printable(f"Version {self.policy_version.label}, issued {issued}"), align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    # --- content, each piece tagged -----------------------------------------------------

    def element(self, struct_type, parent=None):
        return self.struct_builder.element(struct_type, parent)

    @contextmanager
    def _marked(self, elem):
        mcid = self.struct_builder.mark(elem)
        self._out(f"{elem.s} <</MCID {mcid}>> BDC")
        yield
        self._out("EMC")

    def text(self, elem, value, *, size=11, style="", colour=INK, indent=0, gap=2.5, width=0):
        """`value` as lines of `elem`, breaking pages between lines (never inside a marked sequence)."""
        self.set_font("Helvetica", style=style, size=size)
        self.set_text_color(*colour)
        line_height = size * 0.5
        left = self.l_margin + indent
        width = width or (self.w - self.r_margin - left)
        lines = [
            # fpdf2 hands the lines back in the core font's byte encoding: back to text for cell().
            line.encode("latin-1").decode("windows-1252")
            for line in self.multi_cell(width, line_height, _printable(value), dry_run=True, output="LINES")
        ]
        start = 0
        while start < len(lines):
            if self.get_y() + line_height > self.page_break_trigger:
                self.add_page()
                self.set_font("Helvetica", style=style, size=size)
                self.set_text_color(*colour)
            room = int((self.page_break_trigger - self.get_y()) // line_height) or 1
            with self._marked(elem):
                for line in lines[start : start + room]:
                    self.set_x(left)
                    self.cell(width, line_height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            start += room
        self.ln(gap)

    def paragraph(self, value, *, parent=None, kind="P", **style):
        self.text(self.element(kind, parent), value, **style)

    def bullet_list(self, items, *, parent=None, indent=4):
        """A list: L, then for each item LI with its LBody (the mark is part of the text a reader hears)."""
        listing = self.element("L", parent)
        for item in items:
            entry = self.element("LI", listing)
            self.text(self.element("LBody", entry), item, indent=indent, gap=1.5)
        self.ln(1)

    def facts(self, rows):
        """The document status as a two-column table: a row header and its value."""
        table = self.element("Table")
        for label, value in rows:
            if self.get_y() + 12 > self.page_break_trigger:
                self.add_page()
            row = self.element("TR", table)
            top = self.get_y()
            self.text(self.element("TH", row), label, size=10, style="B", gap=0, width=45)
            self.set_y(top)
            self.text(self.element("TD", row), value or "-", size=10, indent=45, gap=0)
        self.ln(3)

    def boxed(self, label, value):
        """A rule or an important note: ruled off so it stands out on paper too."""
        top, page = self.get_y(), self.page
        box = self.element("Div")
        self.paragraph(label.upper(), parent=box, size=9, style="B", indent=4, gap=0.5)
        self.paragraph(value, parent=box, indent=4, gap=1.5)
        if self.page == page:
            with self.artifact():
                self.set_draw_color(*INK)
                self.line(self.l_margin, top, self.l_margin, self.get_y())
        self.ln(2)


def section_paragraphs(block):
    """The paragraphs and list items of a rich-text block, as plain text, in order."""
    source = block.value.source if hasattr(block.value, "source") else str(block.value)
    parts = source.replace("</p>", "</p>\n").replace("<li>", "\n• ").replace("</li>", "\n").splitlines()
    return [text for text in (_text(part) for part in parts) if text]


def render_body(doc, body):
    for block in body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            bullets = []
            for line in section_paragraphs(block) + [None]:
                if line is not None and line.startswith("• "):
                    bullets.append(line)
                    continue
                if bullets:
                    doc.bullet_list(bullets)
                    bullets = []
                if line is not None:
                    doc.paragraph(line)
        elif kind == "subheading":
            doc.paragraph(_text(value), kind="H3", size=11, style="B", gap=1.5)
        elif kind == "list":
            marks = {"numbered": lambda i: f"{i}.", "lettered": lambda i: f"{chr(96 + i)})"}
            mark = marks.get(value["style"], lambda i: "•")
            doc.bullet_list(
                [
                    f"{mark(i)} {_text(item.source if hasattr(item, 'source') else item)}"
                    for i, item in enumerate(value["items"], start=1)
                ]
            )
        elif kind == "rule":
            doc.boxed(RULE_LABELS.get(value["kind"], value["kind"]), _text(value["text"].source))
        elif kind == "note":
            doc.boxed(value["kind"], _text(value["text"].source))
        elif kind == "legislation":
            line = value["title"] + (f": {value['relevance']}" if value.get("relevance") else "")
            doc.paragraph(line, size=10, style="I")
        elif kind == "form_link":
            page = value["page"]
            label = value["label"] or (page.title if page else "")
            if label:
                doc.paragraph(f"Form for staff: {label} (on the staff hub)", size=10, colour=MUTED)
        elif kind == "table":
            header = value.header()
            for row in value.body():
                # One line per row, each cell named by its column: readable in print and by a screen reader.
                doc.paragraph("; ".join(f"{h}: {c}" if h else c for h, c in zip(header, row, strict=False)), size=10)


def policy_pdf(*, school, policy, version, sections, hidden_count=0):
    """The bytes of a tagged PDF of `version` of `policy`, with only `sections` (what this reader may see)."""
    doc = PolicyDocument(school=school, title=policy.title, version=version)
    doc.add_page()
    doc.paragraph(policy.title, kind="H1", size=20, style="B", gap=3)
    if policy.summary:
        doc.paragraph(policy.summary, colour=MUTED, gap=4)
    doc.facts(
        [
            ("Version", f"{version.label}, issued {version.issued_on:%-d %B %Y}"),
            ("Approved by", f"{version.approved_by}, {version.approved_on:%-d %B %Y}"),
            ("Policy owner", str(policy.policy_owner) if policy.policy_owner_id else ""),
            ("Next review due", f"{policy.next_review_due:%-d %B %Y}" if policy.next_review_due else "Not set"),
        ]
    )
    doc.paragraph("What changed in this version", kind="H2", size=12, style="B", gap=1)
    doc.paragraph(version.summary_of_changes, size=10, gap=4)
    if hidden_count:
        doc.paragraph(
            f"This copy leaves out {hidden_count} section{'s' if hidden_count != 1 else ''} written for staff only.",
            size=10,
            style="I",
            colour=MUTED,
            gap=4,
        )
    for section in sections:
        if doc.get_y() > doc.h - 60:
            doc.add_page()  # keep a heading with the start of its text
        doc.ln(2)
        doc.paragraph(section.heading, kind="H2", size=14, style="B", gap=2)
        render_body(doc, section.body)
    return bytes(doc.output())
