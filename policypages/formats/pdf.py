"""Reading a PDF by its layout, with pdfminer.six (MIT, pure Python): each character with its font, size and
position, and the ruled lines and boxes of its tables.

Why pdfminer.six rather than pypdf (both permissive and maintained; compared on the two PDFs of the
development set): pypdf gives good plain text and, through a visitor, the font size of each text operation,
but no lines, no positions to group them by, and no ruled boxes, so headings, running headers and tables would
again be guessed from text. pdfminer.six groups characters into lines with their positions and fonts and
reports the boxes a table is drawn with, which is what a reader sees (docs/importing.md).

How the page is read:
- Running headers and footers are lines in the top or bottom margin that repeat on other pages (numbers
  aside: "Page 2 of 4", "Policy | School | 3"), or page numbers there; they are left out wherever they fall,
  so a sentence that crosses a page is whole again.
- The body size is the size most of the text is set in. Larger lines are headings, their sizes ranked into
  levels; the largest text on the first page is the document's title, and what stands above it (a trust's
  name) is front matter. A line in bold at body size is marked bold: whether it is a sub-heading is decided
  with the rest of the document.
- Lines close together in the same style are one paragraph; a list item starts at its bullet; a clause number
  in a hanging column ("1.1" then the text) is one line with its text. A paragraph that ends a page without
  finishing its sentence carries on at the top of the next. A word hyphenated at a line end is rejoined when
  the whole word is a word (so "auto-injector" keeps its hyphen).
- A table drawn with boxes is read cell by cell (a cell's wrapped lines are one text); a table that runs onto
  the next page is one table, its repeated header row left out.
- A PDF with no text (a scan) is refused with a message saying so.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from . import Read, UnreadableDocument

MAX_PAGES = 200
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
BULLET = re.compile(r"^\s*([•●▪◦■□–\-*o])\s+(.*)$")
CLAUSE_START = re.compile(r"^\(?\d{1,2}(?:\.\d{1,2}){0,3}\.?\)?\s")
PAGE_NUMBER = re.compile(r"^(?:page\s*)?#(?:\s*(?:of|/)\s*#)?$|^[-–—]\s*#\s*[-–—]$", re.I)
ENDS_SENTENCE = re.compile(r"[.!?:;]['\"”’)]*$")
LABELLED = re.compile(r"^[A-Z][\w ,'’/()-]{1,30}:\s+\S")  # "Next review due: March 2026"
MARGIN = 0.09  # the top and bottom 9% of a page: where running headers and footers live


@dataclass
class Row:
    """A line as a reader sees it: every piece of text on one baseline of one page."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    parts: list  # (x0, text) in reading order
    size: float
    bold: bool
    in_table: bool = False

    @property
    def text(self):
        return " ".join(" ".join(text.split()) for _x, text in sorted(self.parts) if text.strip())


@dataclass
class Table:
    page: int
    top: float
    columns: list  # x0 of each column
    bottom: float = 0.0
    rows: list = field(default_factory=list)  # lists of cell texts


@dataclass
class Block:
    kind: str  # heading, bold, paragraph, bullet, table
    text: str = ""
    level: int = 0
    size: float = 0.0
    page: int = 0
    x0: float = 0.0  # where its first line starts
    rows: list = field(default_factory=list)
    columns: list = field(default_factory=list)


def read_pdf(path):
    pages, info = _layout(path)
    rows, tables, heights = _rows_and_tables(pages)
    if sum(len(row.text) for row in rows) + sum(len(" ".join(r)) for t in tables for r in t.rows) < 40:
        raise UnreadableDocument(
            f"{path.name} has no text in it that can be read: it looks like a scan (pictures of the pages). Import "
            "the original Word file if the school has it, or open the PDF in Word, which can read scanned text, "
            "save it as a Word document and import that."
        )
    dropped = Counter()
    rows = _without_furniture(rows, heights, dropped)
    tables = _join_continued_tables(tables, rows)
    body = _body_size(rows)
    title, rows = _title(rows, body, info)
    blocks = _blocks(rows, tables, body)
    return Read(text=_marked_up(blocks, title), dropped=dropped, title=title)


# --- pdfminer --------------------------------------------------------------------------------------------


def _layout(path):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfminer.utils import decode_text

    try:
        with open(path, "rb") as handle:
            document = PDFDocument(PDFParser(handle))
            info = {}
            for entry in document.info or []:
                for key, value in entry.items():
                    info[key] = decode_text(value) if isinstance(value, bytes) else str(value)
        pages = []
        for page in extract_pages(str(path), laparams=LAParams(char_margin=2.0, line_margin=0.3)):
            pages.append(page)
            if len(pages) > MAX_PAGES:
                raise UnreadableDocument(
                    f"{path.name} has more than {MAX_PAGES} pages: is it really one policy? Split it and import each."
                )
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise UnreadableDocument(
            f"{path.name} is protected with a password. Save a copy without the password and import that."
        ) from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise UnreadableDocument(
            f"{path.name} could not be read as a PDF: it may be damaged. Save it again from the program that made "
            "it (or print it to a new PDF) and import that."
        ) from exc
    return pages, info


def _chars(line):
    from pdfminer.layout import LTChar

    return [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]


def _text_lines(page):
    from pdfminer.layout import LTTextContainer, LTTextLine

    for element in page:
        if isinstance(element, LTTextContainer):
            for line in element:
                if isinstance(line, LTTextLine) and _chars(line):
                    yield line


def _cells(page):
    """The boxes a ruled table is drawn with (not thin rules, not the page's own frame)."""
    from pdfminer.layout import LTRect

    return [
        (r.x0, r.y0, r.x1, r.y1)
        for r in page
        if isinstance(r, LTRect) and r.width >= 10 and r.height >= 8 and r.width < page.width * 0.95
    ]


def _rows_and_tables(pages):
    rows, tables, heights = [], [], {}
    for number, page in enumerate(pages, start=1):
        heights[number] = page.height
        cells = _cells(page)
        in_cell = {}
        for line in _text_lines(page):
            chars = _chars(line)
            centre = ((line.x0 + line.x1) / 2, (line.y0 + line.y1) / 2)
            cell = next(
                (c for c in cells if c[0] - 1 <= centre[0] <= c[2] + 1 and c[1] - 1 <= centre[1] <= c[3] + 1), None
            )
            sizes = Counter(round(c.size * 2) / 2 for c in chars)
            row = Row(
                page=number,
                top=line.y1,
                bottom=line.y0,
                x0=line.x0,
                x1=line.x1,
                parts=[(line.x0, line.get_text())],
                size=sizes.most_common(1)[0][0],
                bold=all(BOLD_FONT.search(c.fontname) for c in chars),
            )
            if cell is not None:
                in_cell.setdefault(cell, []).append(row)
            else:
                rows.append(row)
        tables += _tables_on_page(number, cells, in_cell)
    return _merge_baselines(rows), tables, heights


def _merge_baselines(rows):
    """Pieces of one visual line that pdfminer put in separate boxes (a hanging clause number, a bullet and its
    text) become one row."""
    rows = sorted(rows, key=lambda r: (r.page, -r.bottom, r.x0))
    merged = []
    for row in rows:
        last = merged[-1] if merged else None
        if last and last.page == row.page and abs(last.bottom - row.bottom) < 2.5 and row.x0 >= last.x0:
            last.parts += row.parts
            last.x1 = max(last.x1, row.x1)
            last.top = max(last.top, row.top)
            last.bold = last.bold and row.bold
            last.size = max(last.size, row.size) if last.text.strip() in "•●▪◦■–-" else last.size
            continue
        merged.append(row)
    return merged


def _tables_on_page(page, cells, in_cell):
    """Boxes side by side are a table row; rows stacked edge to edge are a table."""
    lines = {}
    for cell in cells:
        key = next((k for k in lines if abs(k[0] - cell[1]) < 2 and abs(k[1] - cell[3]) < 2), (cell[1], cell[3]))
        lines.setdefault(key, []).append(cell)
    table_rows = sorted((sorted(group) for group in lines.values() if len(group) >= 2), key=lambda g: -g[0][3])
    tables, current, last_bottom = [], None, None
    for group in table_rows:
        texts = [_cell_text(in_cell.get(cell, [])) for cell in group]
        if current is None or last_bottom is None or abs(last_bottom - group[0][3]) > 3:
            current = Table(page=page, top=group[0][3], columns=[round(c[0]) for c in group])
            tables.append(current)
        current.rows.append(texts)
        current.bottom = last_bottom = group[0][1]
    # Text in a lone box (a note drawn round a paragraph) is read as ordinary text.
    return [t for t in tables if len(t.rows) >= 1]


def _cell_text(rows):
    text = ""
    for row in sorted(rows, key=lambda r: -r.top):
        text = _join(text, row.text)
    return text


def _join_continued_tables(tables, rows):
    """A table that ends one page and starts the next, with the same columns, is one table; the header row the
    next page repeats is left out. (`rows`: the text outside tables, furniture already gone.)"""
    joined = []
    for table in sorted(tables, key=lambda t: (t.page, -t.top)):
        previous = joined[-1] if joined else None
        if (
            previous
            and table.page == previous.page + 1
            and _close(table.columns, previous.columns)
            and not any(r.page == previous.page and r.top < previous.bottom for r in rows)
            and not any(r.page == table.page and r.bottom > table.top for r in rows)
        ):
            previous.rows += table.rows[1:] if table.rows and table.rows[0] == previous.rows[0] else table.rows
            previous.bottom = table.bottom
            continue
        joined.append(table)
    return joined


def _close(a, b):
    return len(a) == len(b) and all(abs(x - y) <= 3 for x, y in zip(a, b, strict=True))


# --- furniture, body size and title -----------------------------------------------------------------------


def _shape(text):
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _without_furniture(rows, heights, dropped):
    """Lines in the top or bottom margin that repeat on another page (numbers aside), and page numbers there."""
    pages = len(heights)

    def band(row):
        height = heights[row.page]
        if row.bottom > height * (1 - MARGIN):
            return "top"
        if row.top < height * MARGIN:
            return "bottom"
        return None

    seen, named = Counter(), {}
    for row in rows:
        if band(row):
            seen[(band(row), _shape(row.text))] += 1
            named.setdefault(_shape(row.text), row.text)  # shown as it first appears
    kept = []
    for row in rows:
        where = band(row)
        shape = _shape(row.text)
        repeated = where and pages > 1 and seen[(where, shape)] >= 2
        if where and (repeated or PAGE_NUMBER.match(shape)):
            dropped["page numbers" if PAGE_NUMBER.match(shape) else named[shape]] += 1
            continue
        kept.append(row)
    return kept


def _body_size(rows):
    sizes = Counter()
    for row in rows:
        sizes[row.size] += len(row.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _title(rows, body, info):
    """The largest text on the first page (a title over two lines is joined): the document's title. What is
    above it is front matter. The PDF's own Title property is used when the page has no larger text."""
    first = [r for r in rows if r.page == 1]
    largest = max((r.size for r in first), default=0)
    if largest >= body * 1.3:
        at = next(i for i, r in enumerate(rows) if r.page == 1 and r.size == largest)
        end = at + 1
        while end < len(rows) and rows[end].page == 1 and rows[end].size == largest:
            end += 1
        title = " ".join(r.text for r in rows[at:end])
        for row in rows[:at]:
            row.size = body  # front matter above the title: text, not headings
        return title, rows[:at] + rows[end:]
    declared = " ".join((info.get("Title") or "").split())
    if declared and not re.search(r"\.(docx?|pdf|odt)$|^microsoft word", declared, re.I) and len(declared) < 150:
        return declared, rows
    return "", rows


# --- blocks ------------------------------------------------------------------------------------------------


def _style(row, body):
    if row.size >= body + 1:
        return ("heading", row.size)
    return ("bold" if row.bold else "text", body)


def _blocks(rows, tables, body):
    heading_sizes = sorted({r.size for r in rows if r.size >= body + 1}, reverse=True)
    flow = sorted(
        [("row", r.page, -r.top, r) for r in rows] + [("table", t.page, -t.top, t) for t in tables],
        key=lambda item: (item[1], item[2]),
    )
    blocks, last = [], None
    for kind, _page, _top, item in flow:
        if kind == "table":
            blocks.append(Block("table", page=item.page, rows=item.rows, columns=item.columns))
            last = None
            continue
        row = item
        style = _style(row, body)
        bullet = BULLET.match(row.text)
        block = blocks[-1] if blocks else None
        if block and last and _continues(block, last, row, style, body, bullet):
            block.text = _join(block.text, row.text)
            last = row
            continue
        if style[0] == "heading":
            level = heading_sizes.index(row.size) + 1
            blocks.append(Block("heading", row.text, level=min(level, 4), size=row.size, page=row.page, x0=row.x0))
        elif bullet:
            blocks.append(Block("bullet", bullet.group(2), page=row.page, x0=row.x0))
        else:
            kind = "bold" if style[0] == "bold" else "paragraph"
            blocks.append(Block(kind, row.text, page=row.page, x0=row.x0))
        last = row
    return blocks


def _continues(block, last, row, style, body, bullet):
    """Whether `row` carries on the block that `last` (the row before it) ended."""
    if block.kind == "table" or bullet:
        return False
    if CLAUSE_START.match(row.text) and row.x0 <= block.x0 + 1 and ENDS_SENTENCE.search(block.text):
        return False  # the next numbered clause
    if LABELLED.match(row.text) and LABELLED.match(last.text):
        return False  # "Policy lead: ..." then "Next review due: ...": one line each
    if block.kind == "heading":
        # A heading wrapped onto a second line: same size, right below.
        return style == ("heading", block.size) and row.page == last.page and last.bottom - row.top < row.size
    if style[0] == "heading" or (style[0] == "bold") != (block.kind == "bold"):
        return False
    if row.page == last.page:
        close = last.bottom - row.top < 0.6 * row.size
        if block.kind == "bullet":
            return close and row.x0 > block.x0 + 2  # a list item's wrapped lines sit past its bullet
        return close and block.x0 - 2 <= row.x0 <= block.x0 + 45  # 45: a hanging clause number's column
    # Across a page break: the sentence was not finished.
    return row.page == last.page + 1 and not ENDS_SENTENCE.search(block.text) and style[0] == "text"


_words = None


def _is_word(word):
    global _words
    if _words is None:
        from spellchecker import SpellChecker

        _words = SpellChecker()
    return word.lower() in _words


def _join(text, more):
    """Two lines of one paragraph: a word hyphenated at the line end is rejoined when it is a word."""
    if not text:
        return more
    match = re.search(r"([A-Za-z]+)-$", text)
    if match and more[:1].islower():
        following = re.match(r"[a-z]+", more).group(0)
        if _is_word(match.group(1) + following):
            return text[:-1] + more
        return text + more
    return f"{text} {more}"


def _marked_up(blocks, title):
    lines = [f"% {title}", ""] if title else []
    for block in blocks:
        if block.kind == "heading":
            lines.append("#" * block.level + " " + block.text)
        elif block.kind == "bold":
            lines.append(f"**{block.text}**")
        elif block.kind == "bullet":
            lines.append(f"- {block.text}")
        elif block.kind == "table":
            lines += ["\t".join(" ".join(cell.split()) for cell in row) for row in block.rows]
        else:
            lines.append(block.text)
        lines.append("")
    return "\n".join(lines)
