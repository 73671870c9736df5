"""Turn a school policy document (.txt, .md or .docx) into a policy with one page per top-level section.

Schools' policies come as Word files or text pulled out of PDFs: running headers, page numbers and a
contents page are mixed into the text, and headings are marked in several ways ("1. Introduction",
"## Purpose", "**Purpose**", "PURPOSE"). The parser strips the furniture, finds the top-level
headings, keeps sub-clauses (4.2.1) inside their section, and turns bullets into lists.
Nothing here touches the database: `create_policy` does, in one transaction.
"""

import datetime
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

MAX_FILE_BYTES = 5 * 1024 * 1024
SUPPORTED = {".txt", ".md", ".markdown", ".docx"}


class PolicyImportError(Exception):
    """A document that cannot be read or split into sections. The message is for the person importing."""


@dataclass
class ParsedSection:
    number: str
    title: str
    blocks: list = field(default_factory=list)


@dataclass
class ParsedPolicy:
    sections: list
    metadata: dict


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
            return raw.decode(encoding)
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
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_unpacked_size(path)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError) as exc:
        raise PolicyImportError(
            f"{path.name} could not be read as a Word document (.docx); is it an older .doc file?"
        ) from exc
    lines = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if not text:
                lines.append("")
                continue
            style = (paragraph.style.name if paragraph.style is not None else "").lower()
            heading = re.match(r"heading (\d)", style)
            if heading:
                lines.append("#" * int(heading.group(1)) + " " + text)
            elif style == "title":
                lines.append(text)  # the document's title is not a section
            elif "list" in style or child.find(".//{*}numPr") is not None:
                lines.append("- " + text)
            elif paragraph.runs and all(run.bold for run in paragraph.runs if run.text.strip()):
                lines.append(f"**{text}**")
            else:
                lines.append(text)
            lines.append("")
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = [cell.text.strip() for cell in row.cells]
                lines.append("\t".join(cells))
            lines.append("")
    return "\n".join(lines)


# --- cleaning --------------------------------------------------------------------------------

PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,3}(\s*(of|/)\s*\d{1,3})?$", re.I)
CONTENTS = re.compile(r"^(table of )?contents:?$", re.I)


def _plain(line):
    """A line without markdown emphasis or heading marks, for comparisons."""
    line = re.sub(r"^\s*#{1,6}\s*", "", line)
    return line.replace("**", "").replace("__", "").strip()


def _toc_key(line):
    parts = line.split("\t")
    if len(parts) > 1 and len(parts[-1].strip()) <= 3:
        parts = parts[:-1]
    return re.sub(r"[^a-z0-9]+", " ", _plain(" ".join(parts)).lower()).strip()


def clean_lines(text):
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line.replace("<u>", "").replace("</u>", "").replace("\u00a0", " ") for line in lines]
    # Running headers and footers repeat on every page; real sentences rarely repeat three times.
    counts = Counter(line.strip() for line in lines if line.strip())
    furniture = {text for text, n in counts.items() if n >= 3 and len(text) <= 80 and not re.match(r"^[-*•·]", text)}
    kept = ["" if line.strip() in furniture or PAGE_NUMBER.match(line.strip()) else line for line in lines]
    return _drop_contents(kept)


def _drop_contents(lines):
    start = next((i for i, line in enumerate(lines) if CONTENTS.match(_plain(line))), None)
    if start is None:
        return lines
    entries = [i for i in range(start + 1, len(lines)) if lines[i].strip()]
    if not entries:
        return lines[:start]
    first_key = _toc_key(lines[entries[0]])
    # The body starts where the first contents entry appears again as a heading.
    for i in entries[1:]:
        if _toc_key(lines[i]) == first_key and "\t" not in lines[i].strip():
            return lines[:start] + lines[i:]
    # Otherwise drop the run of tabbed or page-numbered lines that follows "Contents".
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or "\t" in lines[end] or re.search(r"\s\d{1,3}$", lines[end])):
        end += 1
    return lines[:start] + lines[end:]


# --- finding headings --------------------------------------------------------------------------

BULLET = re.compile(r"^\s*(?:[-*•·▪◦]|o(?=\s))\s+(.*)$")
LETTERED = re.compile(r"^\s*\(?([a-z])\)\s+(.*)$")
NUMBERED_HEADING = re.compile(r"^(?:[-*•]\s+)?(?:#{1,6}\s*)?(?:\*\*)?\s*(\d{1,2})\.?\s+(?!\d)(.+?)\s*(?:\*\*)?\s*$")
APPENDIX_HEADING = re.compile(
    r"^(?:#{1,6}\s*)?(?:\*\*)?\s*(appendix\s+[A-Z0-9]{1,3})\b\s*[-–—:.]?\s*(.*?)\s*(?:\*\*)?$", re.I
)
SUBCLAUSE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(.*)$")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
BOLD_LINE = re.compile(r"^\*\*([^*]+?)\*\*:?$")


def _looks_like_title(text, max_words=14):
    text = text.replace("**", "").strip()
    words = text.split()
    return (
        0 < len(words) <= max_words
        and len(text) <= 110
        and not text.endswith((".", ";", ","))
        and text[0].isalpha()
        and text[0].isupper()
    )


def _is_caps_heading(text):
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 3
        and all(c.isupper() for c in letters)
        and len(text.split()) <= 10
        and not text.endswith((".", ",", ";"))
    )


def find_headings(lines):
    """Return [(line index, number, title)] for the top-level sections, or [] if none are found."""
    numbered, expected = [], 1
    for i, line in enumerate(lines):
        stripped = line.strip()
        match = NUMBERED_HEADING.match(stripped)
        if match and int(match.group(1)) == expected and _looks_like_title(match.group(2)):
            numbered.append((i, match.group(1), match.group(2).strip(" *:")))
            expected += 1
            continue
        appendix = APPENDIX_HEADING.match(stripped)
        if appendix and numbered and len(stripped) <= 140:
            label = appendix.group(1).title()
            numbered.append((i, label, appendix.group(2).strip(" *:") or label))
    if len([h for h in numbered if h[1].isdigit()]) >= 2:
        return numbered

    markdown = [
        (i, len(m.group(1)), _plain(m.group(2)))
        for i, line in enumerate(lines)
        if (m := MD_HEADING.match(line.strip()))
    ]
    levels = Counter(level for _, level, _ in markdown)
    for level in sorted(levels):
        if levels[level] >= 2:
            return _numbered_in_order([(i, title) for i, lvl, title in markdown if lvl == level])

    bold = [
        (i, m.group(1).strip())
        for i, line in enumerate(lines)
        if (m := BOLD_LINE.match(line.strip())) and _looks_like_title(m.group(1))
    ]
    if len(bold) >= 2:
        return _numbered_in_order(bold)

    caps = [(i, line.strip().rstrip(":")) for i, line in enumerate(lines) if _is_caps_heading(line.strip())]
    if len(caps) >= 2:
        return _numbered_in_order([(i, title.capitalize()) for i, title in caps])
    return []


def _numbered_in_order(found):
    result = []
    for position, (i, title) in enumerate(found, start=1):
        match = re.match(r"^(\d{1,2})\.?\s+(.+)$", title)
        if match:
            result.append((i, match.group(1), match.group(2)))
        else:
            result.append((i, str(position), title))
    return result


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


def build_blocks(lines):
    """Group a section's lines into StreamField blocks: paragraphs, lists, rules and subheadings."""
    units = []  # (kind, text) with kind in paragraph, bullet, lettered, subheading
    for raw in lines:
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
        if kind == "subheading":
            blocks.append({"type": "subheading", "value": text.replace("**", "")})
        elif (rule := _rule_kind(text)) is not None:
            blocks.append({"type": "rule", "value": {"kind": rule, "text": f"<p>{_inline(text)}</p>"}})
        else:
            blocks.append({"type": "paragraph", "value": f"<p>{_inline(text)}</p>"})
    flush()
    return blocks


# --- metadata in the preamble --------------------------------------------------------------------

META_PATTERNS = {
    "next_review_due": re.compile(
        r"^(?:to be reviewed|next review due(?: by)?|date for review|review date)\s*:?\s*(.+)$", re.I
    ),
    "last_reviewed": re.compile(
        r"^(?:last reviewed(?: on)?|date completed\s*/\s*last reviewed|reviewed)\s*:?\s*(.+)$", re.I
    ),
    "key_staff": re.compile(r"^key staff\s*:?\s*(.+)$", re.I),
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
                found[key] = value if key == "key_staff" else parse_date(value)
    return {k: v for k, v in found.items() if v}


# --- the whole document ---------------------------------------------------------------------------


def parse_policy(text):
    if not text or not text.strip():
        raise PolicyImportError("The document has no text in it.")
    lines = clean_lines(text)
    headings = find_headings(lines)
    if len(headings) < 2:
        raise PolicyImportError(
            "Could not split the document into sections: found "
            f"{len(headings)} heading{'s' if len(headings) != 1 else ''}. Headings are recognised as "
            "'1. Introduction', '## Introduction', '**Introduction**' or 'INTRODUCTION', one per line."
        )
    metadata = parse_metadata(lines[: headings[0][0]])
    sections = []
    for n, (index, number, title) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else len(lines)
        title = _plain(title).strip(" :")[:255]
        sections.append(ParsedSection(number=number, title=title, blocks=build_blocks(lines[index + 1 : end])))
    return ParsedPolicy(sections=sections, metadata=metadata)


@transaction.atomic
def create_policy(parsed, *, title, parent, publish=False, user=None):
    """Create the policy and its sections under `parent`; all or nothing."""
    from .models import PolicyPage, PolicySectionPage

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
