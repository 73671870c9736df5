"""Turn a school policy document (.txt, .md or .docx) into a policy with one page per top-level section.

Schools' policies come as Word files or text pulled out of PDFs: running headers, page numbers and a
contents page are mixed into the text, and headings are marked in several ways ("1. Introduction",
"## Purpose", "**Purpose**", "PURPOSE"). The parser strips the furniture, finds the top-level
headings, keeps sub-clauses (4.2.1) inside their section, and turns bullets into lists.
Nothing here touches the database: `create_policy` does, in one transaction.
"""

import datetime
import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from .formats import UnreadableDocument
from .formats.pdf import read_pdf
from .formats.web import looks_like_a_saved_web_page, read_html, read_web_text
from .formats.word import read_docx
from .models import PolicyPage, PolicySectionPage
from .structure import BOLD_LINE, MD_HEADING, SUBCLAUSE, clean_lines, find_headings, sentence_case
from .structure import looks_like_title as _looks_like_title
from .structure import plain as _plain

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_PDF_BYTES = 20 * 1024 * 1024  # a PDF carries its fonts and pictures: larger than the same text in Word
SUPPORTED = {".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm"}
FORMATS_IN_WORDS = ".docx, .pdf, .html, .md or .txt"
READERS = {".docx": read_docx, ".pdf": read_pdf, ".html": read_html, ".htm": read_html}  # the rest: text


class DocumentText(str):
    """The text a reader made of a file, with what it left out as page furniture (formats.Read.dropped)."""

    def __new__(cls, text, dropped=None):
        made = super().__new__(cls, text)
        made.dropped = Counter(dropped or {})
        return made


class PolicyImportError(Exception):
    """A document that cannot be read or split into sections. The message is for the person importing."""


@dataclass
class ParsedSection:
    number: str
    title: str
    blocks: list = field(default_factory=list)

    @property
    def display_title(self):
        """The title as a reader names the section: an appendix keeps its label ("Appendix A: Forms")."""
        if self.number and not self.number.isdigit():
            return self.number if self.title in ("", self.number) else f"{self.number}: {self.title}"
        return self.title


def first_words(section, words=12):
    text = section_text(section)
    cut = " ".join(text.split()[:words])
    return cut + ("…" if len(text.split()) > words else "")


def outline(parsed):
    """The outline HR and `import_policy --dry-run` see before anything is saved: lines of text."""
    lines = [f"Title: {parsed.title}"] if parsed.title else []
    lines.append(f"{len(parsed.sections)} sections:")
    for section in parsed.sections:
        number = f"{section.number}. " if section.number.isdigit() else ""
        lines.append(f"  {number}{section.display_title}: {first_words(section) or '(empty)'}")
    if parsed.metadata:
        found = "; ".join(f"{key.replace('_', ' ')} {value}" for key, value in parsed.metadata.items())
        lines.append(f"Document status found: {found}")
    if parsed.dropped:
        shown = ", ".join(f"'{text[:60]}'" + (f" ×{n}" if n > 1 else "") for text, n in parsed.dropped.most_common(8))
        more = len(parsed.dropped) - 8
        lines.append(f"Left out as page furniture: {shown}" + (f" and {more} more" if more > 0 else ""))
    lines += [f"Check: {note}" for note in parsed.notes]
    return lines


def section_text(section):
    """A parsed section's body as plain text (paragraphs, lists, rules, sub-headings and tables)."""
    parts = []

    def visit(value):
        if isinstance(value, str):
            parts.append(html.unescape(re.sub(r"<[^>]+>", " ", value)))
        elif isinstance(value, dict):
            for key, inner in value.items():
                if key not in ("style", "kind"):  # a list's style and a rule's kind are settings, not text
                    visit(inner)
        elif isinstance(value, list | tuple):
            for inner in value:
                visit(inner)

    for block in section.blocks:
        visit(block["value"])
    return " ".join(" ".join(parts).split())


@dataclass
class ParsedPolicy:
    sections: list
    metadata: dict
    dropped: Counter = field(default_factory=Counter)  # lines removed as page furniture, with how often
    notes: list = field(default_factory=list)  # where the structure was guessed, for the person checking it
    title: str = ""  # the document's own title, where it marks one (Word's Title style, a "% " title line)


# --- reading files -------------------------------------------------------------------------


def read_document(path):
    path = Path(path)
    if not path.exists():
        raise PolicyImportError(f"File not found: {path}")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise PolicyImportError(f"{path.name}: a policy can be imported from a {FORMATS_IN_WORDS} file.")
    size = path.stat().st_size
    if size == 0:
        raise PolicyImportError(f"{path.name} is empty.")
    limit = MAX_PDF_BYTES if suffix == ".pdf" else MAX_FILE_BYTES
    if size > limit:
        raise PolicyImportError(f"{path.name} is larger than {limit // (1024 * 1024)} MB; is it really a policy?")
    if suffix in READERS:
        try:
            read = READERS[suffix](path)
        except UnreadableDocument as problem:
            raise PolicyImportError(str(problem)) from problem
        return DocumentText(read.text, read.dropped)
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise PolicyImportError(f"{path.name} does not look like a text file (it contains binary data).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding).replace("\x00", "")  # a stray NUL further in: no database can store it
        except UnicodeDecodeError:
            continue
        if looks_like_a_saved_web_page(text):  # a web page's text copied into a file: its furniture goes first
            read = read_web_text(text)
            return DocumentText(read.text, read.dropped)
        return text
    raise PolicyImportError(f"{path.name} is not in a text encoding we can read (save it as UTF-8).")


# --- cleaning and headings: policypages/structure.py ----------------------------------------------

BULLET = re.compile(r"^\s*(?:[-*•·▪◦]|o(?=\s))\s+(.*)$")
LETTERED = re.compile(r"^\s*\(?([a-z])\)\s+(.*)$")


# --- section bodies -------------------------------------------------------------------------------


def _inline(text):
    """Escape text and turn markdown emphasis into the few tags rich text allows."""
    text = html.escape(text.strip(), quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", text)
    return text.replace("**", "")


def _rule_kind(text):
    lowered = text.lower()
    if "**must not**" in lowered or "**must** not" in lowered:
        return "must_not"
    if "**must**" in lowered:
        return "must"
    return None


PIPE_ROW = re.compile(r"^\|.*\|$")
PIPE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def _cells(line):
    """The cells of a table row: tab-separated (Word, PDF exports) or a Markdown pipe row; None otherwise."""
    stripped = line.strip()
    if PIPE_ROW.match(stripped):
        return [cell.strip() for cell in stripped.strip("|").split("|")]
    if "\t" in stripped and not BULLET.match(stripped):
        cells = [cell.strip() for cell in stripped.split("\t")]
        return cells if len([c for c in cells if c]) >= 2 else None
    return None


def _tables(lines):
    """Runs of two or more table rows, as ("table", rows) units; other lines as they are."""
    out, i = [], 0
    while i < len(lines):
        run = []
        while i + len(run) < len(lines) and (
            _cells(lines[i + len(run)]) is not None or PIPE_RULE.match(lines[i + len(run)].strip() or "x")
        ):
            run.append(lines[i + len(run)])
        rows = [_cells(line) for line in run if not PIPE_RULE.match(line.strip())]
        if len(rows) >= 2:
            out.append(("table", rows))
            i += len(run)
        else:
            out.append(lines[i])
            i += 1
    return out


def build_blocks(lines):
    """Group a section's lines into StreamField blocks: paragraphs, lists, rules, subheadings and tables."""
    units = []  # (kind, text) with kind in paragraph, bullet, lettered, subheading, table
    for raw in _tables(lines):
        if isinstance(raw, tuple):
            units.append(raw)
            continue
        if not raw.strip():
            units.append(("blank", ""))
            continue
        stripped = raw.strip()
        heading = MD_HEADING.match(stripped)
        if heading:
            units.append(("subheading", _plain(heading.group(2))))
            continue
        bullet = BULLET.match(stripped)
        body = bullet.group(1) if bullet else stripped
        clause = SUBCLAUSE.match(body.replace("**", ""))
        if clause and _looks_like_title(clause.group(2), max_words=10) and not bullet:
            units.append(("subheading", f"{clause.group(1)} {clause.group(2).strip(' *:')}"))
        elif clause:
            units.append(("paragraph", body))  # a numbered clause keeps its number and stays a paragraph
        elif bullet:
            units.append(("bullet", body))
        elif LETTERED.match(stripped):
            units.append(("lettered", stripped))
        elif BOLD_LINE.match(stripped) and _looks_like_title(stripped.strip("*:"), max_words=10):
            units.append(("subheading", stripped.strip("*: ")))
        elif raw[:1].isspace() and units and units[-1][0] in ("bullet", "lettered", "paragraph"):
            units[-1] = (units[-1][0], units[-1][1] + " " + stripped)  # a wrapped line from a PDF
        else:
            units.append(("paragraph", stripped))

    # Re-join a paragraph split by a page break: no full stop before, lower case after.
    merged = []
    for kind, text in units:
        if kind == "blank":
            merged.append((kind, text))
            continue
        previous = next((u for u in reversed(merged) if u[0] != "blank"), None)
        if (
            kind == "paragraph"
            and previous
            and previous[0] in ("paragraph", "bullet")
            and text[:1].islower()
            and not previous[1].rstrip("*").endswith((".", ":", ";", "!", "?"))
        ):
            index = max(i for i, u in enumerate(merged) if u[0] != "blank")
            merged[index] = (previous[0], previous[1] + " " + text)
            merged = merged[: index + 1]
            continue
        merged.append((kind, text))

    blocks, items, item_kind = [], [], None

    def flush():
        nonlocal items, item_kind
        if items:
            style = "lettered" if item_kind == "lettered" else "bulleted"
            blocks.append({"type": "list", "value": {"style": style, "items": [_inline(t) for t in items]}})
        items, item_kind = [], None

    for kind, text in merged:
        if kind == "blank":
            continue
        if kind in ("bullet", "lettered"):
            if item_kind not in (None, kind):
                flush()
            item_kind = kind
            items.append(LETTERED.sub(r"\2", text) if kind == "lettered" else text)
            continue
        flush()
        if kind == "table":
            rows = "\n".join(" | ".join(cell.replace("|", "/").replace("**", "") for cell in row) for row in text)
            blocks.append({"type": "table", "value": {"caption": "", "rows": rows}})
        elif kind == "subheading":
            blocks.append({"type": "subheading", "value": text.replace("**", "")})
        elif (rule := _rule_kind(text)) is not None:
            blocks.append({"type": "rule", "value": {"kind": rule, "text": f"<p>{_inline(text)}</p>"}})
        else:
            blocks.append({"type": "paragraph", "value": f"<p>{_inline(text)}</p>"})
    flush()
    return _rules_kept_whole(blocks)


# The rule's verb, then at most a few words, then the colon: "staff must not:", "pupils should not use it to:".
# ("should also be aware that other laws may apply, including:" is advice, not a rule.)
LEAD_IN_RULE = re.compile(r"\b(must not|must never|must|should not|should)\b((?:\s+[^\s:]+){0,5})\s*:\s*$", re.I)
LEAD_IN_KINDS = {"must not": "must_not", "must never": "must_not", "must": "must", "should not": "should_not"}


def _rules_kept_whole(blocks):
    """ "Staff must not:" and the list after it are one rule: the list is what the rule says."""
    kept = []
    for block in blocks:
        previous = kept[-1] if kept else None
        if block["type"] == "list" and previous and previous["type"] in ("paragraph", "rule"):
            lead_in = previous["value"] if previous["type"] == "paragraph" else previous["value"]["text"]
            match = LEAD_IN_RULE.search(html.unescape(re.sub(r"<[^>]+>", "", lead_in)))
            if match:
                kind = LEAD_IN_KINDS.get(match.group(1).lower(), "should")
                tag = "ol" if block["value"]["style"] == "numbered" else "ul"
                items = "".join(f"<li>{item}</li>" for item in block["value"]["items"])
                kept[-1] = {"type": "rule", "value": {"kind": kind, "text": f"{lead_in}<{tag}>{items}</{tag}>"}}
                continue
        kept.append(block)
    return kept


# --- metadata in the preamble --------------------------------------------------------------------

META_PATTERNS = {
    "next_review_due": re.compile(
        r"^(?:to be reviewed|next review(?: due)?(?: by)?|date for review|review date)\s*:?\s*(.+)$", re.I
    ),
    "last_reviewed": re.compile(
        r"^(?:last reviewed(?: on)?|date completed\s*/\s*last reviewed|reviewed)\s*:?\s*(.+)$", re.I
    ),
    "key_staff": re.compile(r"^key staff\s*:?\s*(.+)$", re.I),
    "version": re.compile(r"^version(?: number)?\s*:?\s*(v?\d+(?:\.\d+)*)\b", re.I),
}


def parse_date(text):
    text = re.sub(r"(\d)\s*(st|nd|rd|th)\b", r"\1", text.strip(), flags=re.I)
    text = re.split(r"\t|\s{2,}", text)[0].strip().rstrip(".")
    for fmt in ("%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y", "%m %Y", "%d/%m/%Y", "%Y-%m-%d", "%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_metadata(lines):
    found = {}
    for line in lines:
        text = _plain(line).replace("\t", " ").strip()
        for key, pattern in META_PATTERNS.items():
            match = pattern.match(text)
            if match and key not in found:
                value = match.group(1).strip()
                found[key] = value if key in ("key_staff", "version") else parse_date(value)
    table_version = _version_table(lines)
    if table_version and "version" not in found:
        found["version"] = table_version
    return {k: v for k, v in found.items() if v}


def _version_table(lines):
    """The newest version in a document-control table ("Version / Date / Action", one row per version)."""
    header = next((i for i, line in enumerate(lines) if re.match(r"^\s*version\s*(\t|\|)", line, re.I)), None)
    if header is None:
        return None
    newest = None
    for line in lines[header + 1 :]:
        cells = [cell.strip() for cell in re.split(r"\t|\|", line.strip()) if cell.strip()]
        if not cells:
            continue
        if not re.fullmatch(r"v?\d+(?:\.\d+)*", cells[0], re.I):
            break
        newest = cells[0]
    return newest


# --- the whole document ---------------------------------------------------------------------------


# A line left for a signature, a name or a date: a label, then dots or underscores to write on.
BLANK_TO_FILL = re.compile(r"^(signed|signature|name|print name|date|position|role)\b[^:]{0,20}:?\s*[._…]{5,}", re.I)


def _without_signature_block(lines, dropped):
    """A signature block ("Signed: ........ Chair of Governors" / "Date: ........") closing a section is the
    approval of the paper copy, not part of the policy."""
    if not any(BLANK_TO_FILL.match(line.strip()) and line.strip()[:4].lower() == "sign" for line in lines):
        return lines
    kept = []
    for line in lines:
        if BLANK_TO_FILL.match(line.strip()):
            dropped["signature block lines"] += 1
            kept.append("")
        else:
            kept.append(line)
    return kept


@dataclass
class Piece:
    """One paragraph of the document as the outline shows it (a heading line, a paragraph, a list item or a
    table), in order, with what the reader took it for. HR can change that on the outline before anything is
    saved (ROLES)."""

    id: int
    lines: list
    heading: tuple = None  # (number, title) where the reader took it for the start of a section
    before_first: bool = False  # front matter: before the first section

    @property
    def guessed_role(self):
        if self.heading:
            return "heading"
        return "out" if self.before_first else "text"

    @property
    def text(self):
        return " ".join(_plain(line).replace("\t", " | ") for line in self.lines if line.strip())

    def short(self, words=40):
        text = self.text
        cut = " ".join(text.split()[:words])
        return cut + ("…" if len(text.split()) > words else "")


# What a piece can be made on the outline.
ROLES = {
    "heading": "Section heading",
    "split": "Starts a new section (its first paragraph)",
    "text": "Part of the section above",
    "out": "Leave out",
}


def parse_policy(text):
    """The document read into sections, as the reader guesses them; `pieces` keeps every paragraph so that HR can
    change the guess on the outline (sections_from)."""
    if not text or not text.strip():
        raise PolicyImportError("The document has no text in it.")
    dropped, notes = Counter(getattr(text, "dropped", {})), []
    document_title, text = _title_line(text)
    lines = clean_lines(text, dropped)
    if not any(line.strip() for line in lines):
        raise PolicyImportError("The document has no text in it.")
    headings = find_headings(lines, notes)
    if len(headings) < 2:
        # Nothing to split it by: the whole document comes in as one section, for HR to split on the outline.
        document_title = document_title or _front_heading(lines)
        headings = [(-1, "1", document_title or "Policy text")]
        notes.append(
            "No headings were found, so the whole document is one section. On the outline, choose 'Starts a new "
            "section' beside each paragraph where a section begins."
        )
    metadata = parse_metadata(lines[: max(headings[0][0], 0)])
    if not document_title:
        front = lines[: max(headings[0][0], 0)]
        document_title = _front_heading(front) or _named_document(front)
    pieces = _pieces(lines, headings)
    sections, more_notes = sections_from(pieces, dropped=dropped)
    parsed = ParsedPolicy(
        sections=sections, metadata=metadata, dropped=dropped, notes=notes + more_notes, title=document_title
    )
    parsed.pieces = pieces
    return parsed


def _pieces(lines, headings):
    starts = {index: (number, title) for index, number, title in headings}
    first = headings[0][0]
    pieces, current = [], []

    def flush(at):
        nonlocal current
        if current:
            pieces.append(Piece(id=len(pieces), lines=current, before_first=at < first))
            current = []

    if first < 0:  # no headings: one section, begun before the first line
        pieces.append(Piece(id=0, lines=[], heading=starts[first]))
    for i, line in enumerate(lines):
        if i in starts:
            flush(i)
            number, title = starts[i]
            pieces.append(Piece(id=len(pieces), lines=[line], heading=(number, title)))
        elif not line.strip():
            flush(i)
        else:
            current.append(line)
    flush(len(lines))
    return pieces


def sections_from(pieces, choices=None, dropped=None):
    """The sections the pieces make: as the reader guessed them, or as HR chose on the outline (`choices`: a
    dict of piece id -> {"role", "title", "position"}). Returns (sections, notes)."""
    choices = choices or {}
    sections, notes, orphans = [], [], []
    for piece in pieces:
        choice = choices.get(piece.id, {})
        role = choice.get("role") or piece.guessed_role
        if role == "out":
            continue
        if role in ("heading", "split"):
            number, found_title = piece.heading or ("", "")
            default = found_title if role == "heading" and piece.heading else _first_words_title(piece)
            if role == "heading" and not piece.heading:
                default = BULLET.sub(r"\1", _plain(piece.text))  # a line made a heading: its text, no bullet
            title = sentence_case(_plain(choice.get("title") or default).strip(" :"))[:255] or "Untitled section"
            section = ParsedSection(number=number, title=title)
            section.rank = len(sections) + 1
            section.position = choice.get("position", section.rank)
            section.piece_id = piece.id
            section.body = [] if role == "heading" else [*piece.lines, ""]
            sections.append(section)
            continue
        if not sections:
            orphans.append(piece)
            continue
        sections[-1].body += [*piece.lines, ""]
    if orphans and choices:
        notes.append(
            f"'{orphans[0].short(8)}' comes before the first section: it was left out. Make it a section's start, "
            "or move the section that should hold it."
        )
    in_order = [section.piece_id for section in sections]
    # A section HR gave a new place goes before the one that had it.
    sections.sort(key=lambda section: (section.position, section.position == section.rank, section.piece_id))
    roles_changed = any(choices.get(p.id, {}).get("role", p.guessed_role) != p.guessed_role for p in pieces)
    if roles_changed or [section.piece_id for section in sections] != in_order:
        numbered = 0
        for section in sections:  # HR changed the outline: numbers follow the new order
            if not section.number or section.number.isdigit():
                numbered += 1
                section.number = str(numbered)
    for section in sections:
        body = section.body
        if section.number.isdigit():  # in an appendix, a signature line is the form itself and stays
            body = _without_signature_block(body, dropped if dropped is not None else Counter())
        section.blocks = build_blocks(body)
    notes += _numbers_made_unique(sections)
    return sections, notes


def _first_words_title(piece, words=8):
    text = BULLET.sub(r"\1", _plain(piece.text))
    cut = " ".join(text.split()[:words]).rstrip(".,;:")
    return cut + ("…" if len(text.split()) > words else "")


def _numbers_made_unique(sections):
    """Every section needs a number of its own in its policy. Numbering that starts again (a list inside an
    appendix taken for sections, a label used twice) is made unique, and HR is told where."""
    notes, seen = [], set()
    for section in sections:
        number = section.number
        if number.lower() not in seen:
            seen.add(number.lower())
            continue
        n = 2
        while f"{number} ({n})".lower() in seen:
            n += 1
        section.number = f"{number} ({n})"[:20]
        seen.add(section.number.lower())
        notes.append(
            f"Two sections were numbered {number}; the second ('{section.title}') is numbered {section.number}. "
            "Check whether it belongs inside the section before it."
        )
    return notes


DOCUMENT_NAMES = re.compile(
    r"\b(policy|procedure|procedures|plan|statement|guidance|code of conduct|protocol|charter|handbook)\b", re.I
)


def _named_document(front_matter):
    """The line before the first section that names the document ("VISITORS POLICY", "Complaints Procedure"):
    its title, in the case a person writes it."""
    for line in front_matter:
        text = " ".join(_plain(line).split())
        if text and DOCUMENT_NAMES.search(text) and len(text.split()) <= 12 and not text.endswith((".", ":", ";")):
            return sentence_case(text)[:255]
    return ""


def _front_heading(front_matter):
    """A markdown top-level heading ("# Lettings policy") before the first section: the document's title."""
    for line in front_matter:
        match = MD_HEADING.match(line)
        if match and match.group(1) == "#":
            return " ".join(match.group(2).replace("**", "").split())[:255]
    return ""


def _title_line(text):
    """A title line ("% Staff Code of Conduct") as the document's first line: taken out, and returned."""
    lines = text.splitlines()
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].startswith("% "):
        return "", text
    title = " ".join(lines[first][2:].split())[:255]
    return title, "\n".join(lines[:first] + [""] + lines[first + 1 :])


@transaction.atomic
def create_policy(parsed, *, title, parent, publish=False, user=None):
    """Create the policy and its sections under `parent`; all or nothing."""
    slug = slugify(title)[:80] or "policy"
    if parent.get_children().filter(slug=slug).exists():
        raise PolicyImportError(f"There is already a page called '{slug}' under {parent.title}; choose another title.")
    policy = PolicyPage(
        title=title,
        slug=slug,
        live=False,
        key_staff=parsed.metadata.get("key_staff", "")[:255],
        last_reviewed=parsed.metadata.get("last_reviewed"),
        next_review_due=parsed.metadata.get("next_review_due"),
        owner=user,
    )
    parent.add_child(instance=policy)
    revision = policy.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    used_slugs = set()
    for section in parsed.sections:
        section_slug = slugify(f"{section.number} {section.title}")[:70] or f"section-{section.number}"
        while section_slug in used_slugs:
            section_slug += "-2"
        used_slugs.add(section_slug)
        page = PolicySectionPage(
            title=section.title, slug=section_slug, number=section.number, body=section.blocks, live=False, owner=user
        )
        policy.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
    return policy
