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

from .models import PolicyPage, PolicySectionPage
from .structure import BOLD_LINE, MD_HEADING, SUBCLAUSE, clean_lines, find_headings, sentence_case
from .structure import looks_like_title as _looks_like_title
from .structure import plain as _plain

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
SUPPORTED = {".txt", ".md", ".markdown", ".docx"}


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
    if path.suffix.lower() not in SUPPORTED:
        raise PolicyImportError(f"{path.name}: only .txt, .md and .docx files can be imported.")
    size = path.stat().st_size
    if size == 0:
        raise PolicyImportError(f"{path.name} is empty.")
    if size > MAX_FILE_BYTES:
        raise PolicyImportError(
            f"{path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; is it really a policy?"
        )
    if path.suffix.lower() == ".docx":
        return _read_docx(path)
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise PolicyImportError(f"{path.name} does not look like a text file (it contains binary data).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding).replace("\x00", "")  # a stray NUL further in: no database can store it
        except UnicodeDecodeError:
            continue
    raise PolicyImportError(f"{path.name} is not in a text encoding we can read (save it as UTF-8).")


# A .docx is a zip file. A real policy unpacks to a few megabytes (images included); a crafted 2 MB file can
# unpack to gigabytes and exhaust the server's memory, so the sizes its directory declares (which the zip
# reader then holds each part to) are checked before anything is unpacked.
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_DOCX_PARTS = 5_000


def _check_unpacked_size(path):
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise PolicyImportError(
            f"{path.name} could not be read as a Word document (.docx); is it an older .doc file?"
        ) from exc
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_DOCX_PARTS or unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise PolicyImportError(
            f"{path.name} unpacks to {unpacked / 2**20:,.0f} MB in {len(parts):,} parts, far more than any policy "
            "document; it was not read. Save the document again from Word (File > Save As > Word Document) and "
            "import that, or import it as plain text."
        )


def _read_docx(path):
    import zipfile

    import docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    _check_unpacked_size(path)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError, LxmlError) as exc:  # LxmlError: damaged XML inside
        raise PolicyImportError(
            f"{path.name} could not be read as a Word document (.docx); is it an older .doc file?"
        ) from exc
    # Headers and footers live in their own parts of the file and are never read: only the body is.
    lines = []
    try:
        _read_docx_blocks(document.element.body, document, lines)
    except Exception as exc:  # a file Word would repair on opening: say so, and keep the details for the log
        logger.exception("Reading the body of %s failed", path.name)
        raise PolicyImportError(
            f"{path.name} could not be read as a Word document: part of it is damaged. Open it in Word, save it "
            "again (File > Save As > Word Document) and import that."
        ) from exc
    return "\n".join(lines)


# Content controls Word puts around a generated contents page or a cover page: furniture, not the policy.
DOCX_SKIPPED_GALLERIES = ("table of contents", "cover pages", "bibliographies")


def _read_docx_blocks(container, document, lines):
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            _read_docx_paragraph(Paragraph(child, document), lines)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                lines.append("\t".join(cell.text.strip() for cell in row.cells))
            lines.append("")
        elif tag == "sdt":  # a content control: read what it holds, unless Word generated it
            gallery = child.find("./{*}sdtPr/{*}docPartObj/{*}docPartGallery")
            if gallery is not None and any(
                name in (gallery.get(_W_VAL) or "").lower() for name in DOCX_SKIPPED_GALLERIES
            ):
                continue
            content = child.find("./{*}sdtContent")
            if content is not None:
                _read_docx_blocks(content, document, lines)


_W_VAL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val"


def _style_chain(style):
    """A style and the styles it is based on. A crafted file can base two styles on each other: stop at a repeat."""
    seen = set()
    while style is not None and style.style_id not in seen and len(seen) < 50:
        seen.add(style.style_id)
        yield style
        style = style.base_style


def _heading_level(paragraph):
    """1 for a top-level heading, 2 for the next level, ... or None. Word marks a heading by its style (Heading
    1, or a house style built on it) or by an outline level set on the paragraph or its style; the section
    numbers Word adds to such headings are not in the text."""
    for element in [paragraph._p, *(style.element for style in _style_chain(paragraph.style))]:
        level = element.find("./{*}pPr/{*}outlineLvl")
        if level is not None and (level.get(_W_VAL) or "").isdigit() and int(level.get(_W_VAL)) < 9:
            return int(level.get(_W_VAL)) + 1
    for style in _style_chain(paragraph.style):
        match = re.fullmatch(r"heading (\d)", (style.name or "").lower())
        if match:
            return int(match.group(1))
    return None


def _is_title(paragraph):
    return any((style.name or "").lower() in ("title", "subtitle") for style in _style_chain(paragraph.style))


def _bold(run, paragraph):
    """Whether a run shows in bold: set on the run, or on its character style, or on the paragraph's style."""
    if run.bold is not None:
        return run.bold
    for style in [*_style_chain(run.style), *_style_chain(paragraph.style)]:
        if style.font.bold is not None:
            return style.font.bold
    return False


def _read_docx_paragraph(paragraph, lines):
    text = paragraph.text.strip()
    if not text:
        lines.append("")
        return
    style_name = (getattr(paragraph.style, "name", None) or "").lower()
    if style_name.startswith("toc"):
        return  # Word's own contents page ("TOC Heading", "toc 1", ...): furniture
    if _is_title(paragraph):
        # The document's own title: not a section, but what the import screen offers as the policy's title.
        # Written as a title line ("% Title", as pandoc writes one), which parse_policy takes out.
        is_main = style_name == "title" and not any(line.startswith("% ") for line in lines)
        lines += [f"% {text}" if is_main else "", ""]
        return
    level = _heading_level(paragraph)
    bold = paragraph.runs and all(_bold(run, paragraph) for run in paragraph.runs if run.text.strip())
    numbering = paragraph._p.find("./{*}pPr/{*}numPr")
    numbered = numbering is not None
    list_level = numbering.find("./{*}ilvl") if numbered else None
    top_of_list = numbered and (list_level is None or list_level.get(_W_VAL) in (None, "0"))
    if level:
        lines.append("#" * min(level, 6) + " " + text)
    elif bold and top_of_list and len(text.split()) <= 10 and not text.endswith((".", ":", ";", ",")):
        # A short bold line that Word numbers at the top level of a list reads as "3. Contractors": a heading.
        lines.append("# " + text)
    elif bold:
        # Bold on its own line, numbered by Word or not: whether it is a heading is decided with the rest of
        # the document (policypages/structure.py), as a bold line in a text file would be.
        lines.append(f"**{text}**")
    elif numbered or "list" in style_name:
        lines.append("- " + text)
    else:
        lines.append(text)
    lines.append("")


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


def parse_policy(text):
    if not text or not text.strip():
        raise PolicyImportError("The document has no text in it.")
    document_title, text = _title_line(text)
    dropped, notes = Counter(), []
    lines = clean_lines(text, dropped)
    headings = find_headings(lines, notes)
    if len(headings) < 2:
        raise PolicyImportError(
            "Could not split the document into sections: found "
            f"{len(headings)} heading{'s' if len(headings) != 1 else ''}. Headings are recognised as "
            "'1. Introduction', '## Introduction', '**Introduction**' or 'INTRODUCTION', one per line."
        )
    metadata = parse_metadata(lines[: headings[0][0]])
    if not document_title:
        document_title = _front_heading(lines[: headings[0][0]])
    sections = []
    for n, (index, number, title) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else len(lines)
        title = sentence_case(_plain(title).strip(" :"))[:255]
        body = lines[index + 1 : end]
        if number.isdigit():  # in an appendix, a signature line is the form itself and stays
            body = _without_signature_block(body, dropped)
        sections.append(ParsedSection(number=number, title=title, blocks=build_blocks(body)))
    return ParsedPolicy(sections=sections, metadata=metadata, dropped=dropped, notes=notes, title=document_title)


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
