"""A PDF of a policy version, from its issued snapshot: the copy a parent can ask for (academies must give one).

Built with fpdf2's core fonts (Windows-1252, so curly quotes, dashes and £ print; anything else is
transliterated with anyascii, which Wagtail already uses for slugs). Every page carries the school, the policy, the version, its date and the page number,
so a single printed page can always be placed.
"""

from anyascii import anyascii
from fpdf import FPDF

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

    def header(self):
        self.set_font("Helvetica", size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, _printable(f"{self.school} · {self.policy_title}"), new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def footer(self):
        self.set_y(-14)
        self.set_font("Helvetica", size=8)
        self.set_text_color(*MUTED)
        issued = self.policy_version.issued_on.strftime("%-d %B %Y")
        self.cell(0, 5, _printable(f"Version {self.policy_version.label}, issued {issued}"), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    # --- content -----------------------------------------------------------------

    def paragraph(self, value, *, size=11, style="", colour=INK, indent=0, gap=2.5):
        self.set_font("Helvetica", style=style, size=size)
        self.set_text_color(*colour)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.5, _printable(value), new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def facts(self, rows):
        self.set_font("Helvetica", size=10)
        for label, value in rows:
            self.set_text_color(*INK)
            self.set_font("Helvetica", style="B", size=10)
            self.cell(45, 6, _printable(label))
            self.set_font("Helvetica", size=10)
            self.multi_cell(0, 6, _printable(value or "-"), new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def boxed(self, label, value):
        """A rule or an important note: ruled off so it stands out on paper too."""
        top = self.get_y()
        self.set_draw_color(*INK)
        self.paragraph(label.upper(), size=9, style="B", indent=4, gap=0.5)
        self.paragraph(value, indent=4, gap=1.5)
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
            for line in section_paragraphs(block):
                doc.paragraph(line, indent=4 if line.startswith("• ") else 0)
        elif kind == "subheading":
            doc.paragraph(_text(value), size=11, style="B", gap=1.5)
        elif kind == "list":
            marks = {"numbered": lambda i: f"{i}.", "lettered": lambda i: f"{chr(96 + i)})"}
            mark = marks.get(value["style"], lambda i: "•")
            for i, item in enumerate(value["items"], start=1):
                doc.paragraph(f"{mark(i)} {_text(item.source if hasattr(item, 'source') else item)}", indent=4, gap=1.5)
            doc.ln(1)
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


def policy_pdf(*, school, policy, version, sections, hidden_count=0):
    """The bytes of a PDF of `version` of `policy`, with only `sections` (what this reader may see)."""
    doc = PolicyDocument(school=school, title=policy.title, version=version)
    doc.add_page()
    doc.paragraph(policy.title, size=20, style="B", gap=3)
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
    doc.paragraph("What changed in this version", size=12, style="B", gap=1)
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
        doc.paragraph(section.heading, size=14, style="B", gap=2)
        render_body(doc, section.body)
    return bytes(doc.output())
