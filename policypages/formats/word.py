"""Reading a Word document (.docx) as Word itself structures it: the body's XML, not its text.

- **Tracked changes are read as accepted**: inserted text kept, deleted text (and moved-from text) dropped, a
  deleted paragraph mark joins its paragraph to the next, a paragraph deleted whole is gone. Comments are
  never read (their text lives in another part of the file; only their anchors are in the body).
- **Headings** are what Word treats as headings: a heading style or one based on it, an outline level on the
  paragraph or its style, a style whose name says "Heading N" (a school's house style), or a style that a
  multilevel list attaches to one of its levels (Word's "link level to style", how outline numbering is set
  up). A numbered label of words ("Appendix %1:", "Section %1") makes a heading too.
- **Numbering Word adds** (numbering.xml) is worked out as Word shows it, level by level with its restarts and
  formats ("4.", "4.1", "Appendix 2:", "B."), and put in front of the heading, since the number is not in
  the text. An ordinary numbered or bulleted list is a list.
- **Text boxes** are read where they are anchored, once (Word stores a fallback copy of each); page headers
  and footers are never read; a contents page Word generated, or one made of links to the document's own
  headings (as Google Docs exports it), is left out.
- A bold paragraph is marked bold; whether it is a sub-heading is decided with the rest of the document.
"""

import logging
import re
import zipfile
from collections import Counter

from . import Read, UnreadableDocument

logger = logging.getLogger(__name__)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W_VAL = f"{{{W_NS}}}val"

# A .docx is a zip file. A real policy unpacks to a few megabytes (images included); a crafted 2 MB file can
# unpack to gigabytes and exhaust the server's memory, so the sizes its directory declares (which the zip
# reader then holds each part to) are checked before anything is unpacked.
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_DOCX_PARTS = 5_000
# Content controls Word puts around a generated contents page or a cover page: furniture, not the policy.
SKIPPED_GALLERIES = ("table of contents", "cover pages", "bibliographies")
HEADING_NAME = re.compile(r"heading\s*(\d)", re.I)
TEXT_INSIDE = {"del", "moveFrom", "instrText", "delInstrText", "txbxContent", "commentReference", "fldData"}


def w(tag):
    return f"{{{W_NS}}}{tag}"


def local(element):
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_docx(path):
    _check_unpacked_size(path)
    import docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError, LxmlError) as exc:
        raise UnreadableDocument(
            f"{path.name} could not be read as a Word document (.docx); is it an older .doc file? Open it in "
            "Word, save it as a Word Document (.docx) and import that."
        ) from exc
    try:
        reader = WordReader(document)
        reader.read(document.element.body)
    except UnreadableDocument:
        raise
    except Exception as exc:  # a file Word would repair on opening: say so, and keep the details for the log
        logger.exception("Reading the body of %s failed", path.name)
        raise UnreadableDocument(
            f"{path.name} could not be read as a Word document: part of it is damaged. Open it in Word, save it "
            "again (File > Save As > Word Document) and import that."
        ) from exc
    return Read(text="\n".join(reader.lines), dropped=reader.dropped)


def _check_unpacked_size(path):
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableDocument(
            f"{path.name} could not be read as a Word document (.docx); is it an older .doc file?"
        ) from exc
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_DOCX_PARTS or unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise UnreadableDocument(
            f"{path.name} unpacks to {unpacked / 2**20:,.0f} MB in {len(parts):,} parts, far more than any policy "
            "document; it was not read. Save the document again from Word (File > Save As > Word Document) and "
            "import that, or import it as plain text."
        )


# --- styles --------------------------------------------------------------------------------------------------


class Styles:
    """What the document's styles say, by style id: name, the style it is based on, outline level, numbering
    and bold. A style the file uses but does not define (a house style copied in without its definition)
    is known by its id alone."""

    def __init__(self, document):
        self.by_id = {}
        try:
            root = document.styles.element
        except (KeyError, NotImplementedError):
            root = None
        for style in root.iterfind(w("style")) if root is not None else ():
            self.by_id[style.get(w("styleId"))] = style

    def chain(self, style_id):
        """The style and those it is based on (a crafted file may base two on each other: stop at a repeat)."""
        seen = []
        while style_id and style_id not in seen and len(seen) < 50:
            seen.append(style_id)
            style = self.by_id.get(style_id)
            based = style.find(w("basedOn")) if style is not None else None
            style_id = based.get(W_VAL) if based is not None else None
        return seen

    def name(self, style_id):
        style = self.by_id.get(style_id)
        name = style.find(w("name")) if style is not None else None
        return (name.get(W_VAL) if name is not None else None) or style_id or ""

    def first(self, style_id, path):
        """The first value of `path` (an element under a style) along the style's chain."""
        for link in self.chain(style_id):
            style = self.by_id.get(link)
            found = style.find(path) if style is not None else None
            if found is not None:
                return found
        return None


# --- numbering -------------------------------------------------------------------------------------------

ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x")]
ROMAN += [(9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n):
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n):
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def format_number(n, fmt):
    if fmt in ("upperLetter",):
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Level:
    def __init__(self, element):
        def value(tag, default=None):
            found = element.find(w(tag))
            return found.get(W_VAL) if found is not None else default

        self.start = int(value("start", "1") or 1)
        self.format = value("numFmt", "decimal")
        self.text = value("lvlText", "")
        self.style = value("pStyle")
        self.legal = element.find(w("isLgl")) is not None


class Numbering:
    """Word's list numbering (numbering.xml), worked out paragraph by paragraph as Word shows it."""

    def __init__(self, document):
        self.abstract, self.nums, self.overrides, self.style_links = {}, {}, {}, {}
        self.counters = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.iterfind(w("abstractNum")):
            levels = {int(lvl.get(w("ilvl"), "0")): Level(lvl) for lvl in abstract.iterfind(w("lvl"))}
            aid = abstract.get(w("abstractNumId"))
            self.abstract[aid] = levels
            for ilvl, level in levels.items():
                if level.style:
                    self.style_links.setdefault(level.style, (aid, ilvl))
        for num in root.iterfind(w("num")):
            aid = num.find(w("abstractNumId"))
            num_id = num.get(w("numId"))
            self.nums[num_id] = aid.get(W_VAL) if aid is not None else None
            for override in num.iterfind(w("lvlOverride")):
                start = override.find(w("startOverride"))
                if start is not None:
                    self.overrides[(num_id, int(override.get(w("ilvl"), "0")))] = int(start.get(W_VAL, "1"))

    def level(self, abstract_id, ilvl):
        return self.abstract.get(abstract_id, {}).get(ilvl)

    def next_label(self, num_id, abstract_id, ilvl):
        """Count one more paragraph at this level and return its label as Word prints it ("4.1", "Appendix 2:")."""
        levels = self.abstract.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None:
            return "", None
        if level.format in ("bullet", "none"):
            return "", level  # a bullet is not a number: nothing to put in front of the text
        key = num_id or f"abstract:{abstract_id}"
        counts = self.counters.setdefault(key, {})
        if ilvl not in counts:
            counts[ilvl] = self.overrides.get((num_id, ilvl), level.start) - 1
        counts[ilvl] += 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]  # a new item at this level restarts the levels below it

        def number(match):
            at = int(match.group(1)) - 1
            shown = levels.get(at)
            count = counts.get(at, shown.start if shown else 1)
            fmt = "decimal" if level.legal and shown and shown.format != "bullet" else (shown.format if shown else "decimal")
            return format_number(count, fmt)

        return re.sub(r"%(\d)", number, level.text).strip(), level


# --- the body ----------------------------------------------------------------------------------------------


class WordReader:
    def __init__(self, document):
        self.styles = Styles(document)
        self.numbering = Numbering(document)
        self.lines = []
        self.dropped = Counter()
        self.carried = ""  # text of a paragraph whose mark was deleted: it joins the next

    def read(self, container):
        for child in container.iterchildren():
            tag = local(child)
            if tag == "p":
                self.paragraph(child)
            elif tag == "tbl":
                self.table(child)
            elif tag == "sdt":  # a content control: read what it holds, unless Word generated it
                gallery = child.find(f"./{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
                if gallery is not None and any(n in (gallery.get(W_VAL) or "").lower() for n in SKIPPED_GALLERIES):
                    self.dropped["contents page (generated by Word)"] += 1
                    continue
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.read(content)
            elif tag in ("ins", "moveTo", "customXml", "smartTag"):  # a paragraph or table inside a change
                self.read(child)

    # --- text --------------------------------------------------------------------------------------------

    def text_of(self, element):
        """The paragraph's text with every tracked change accepted, without comments, fields' codes or text
        boxes (read on their own)."""
        parts = []
        self._collect(element, parts)
        return "".join(parts)

    def _collect(self, element, parts):
        for child in element.iterchildren():
            tag = local(child)
            if tag in TEXT_INSIDE or tag == "pPr":
                continue
            if tag == "AlternateContent":  # the same drawing twice: Word's and a fallback for older readers
                continue
            if tag == "t":
                parts.append(child.text or "")
            elif tag in ("tab", "ptab"):
                parts.append("\t")  # kept: a contents entry's page number sits after one
            elif tag in ("br", "cr"):
                parts.append(" ")
            elif tag == "noBreakHyphen":
                parts.append("-")
            else:
                self._collect(child, parts)

    def text_boxes(self, element):
        """The paragraphs of the text boxes anchored in `element`, each once (Word's own copy, not the fallback)."""
        boxes = []
        for content in element.iter(w("txbxContent")):
            if any(local(a) == "Fallback" for a in content.iterancestors()):
                continue
            boxes.append(content)
        return boxes

    # --- paragraphs ----------------------------------------------------------------------------------------

    def paragraph(self, p):
        properties = p.find(w("pPr"))
        style_id = None
        if properties is not None and properties.find(w("pStyle")) is not None:
            style_id = properties.find(w("pStyle")).get(W_VAL)
        mark = properties.find(f"{w('rPr')}/{w('del')}") if properties is not None else None
        text = self.carried + self.text_of(p)
        self.carried = ""
        boxes = self.text_boxes(p)
        if mark is not None:  # the paragraph mark is deleted: what is left joins the next paragraph
            self.carried = text
            for box in boxes:
                self.read(box)
            return
        self.emit(p, properties, style_id, "\t".join(" ".join(part.split()) for part in text.split("\t")).strip())
        for box in boxes:
            self.read(box)

    def emit(self, p, properties, style_id, text):
        name = self.styles.name(style_id).lower()
        numbered = self._numbering(properties, style_id)
        if not text:
            self.lines.append("")
            return
        if name.startswith("toc") or self._contents_entry(p):
            self.dropped["contents list entries"] += 1
            return
        if any(self.styles.name(s).lower() in ("title", "subtitle") for s in self.styles.chain(style_id)):
            # The document's own title: not a section, but what the import screen offers as the policy's title.
            is_main = "subtitle" not in name and not any(line.startswith("% ") for line in self.lines)
            self.lines += [f"% {text}" if is_main else text, ""]
            return
        label, level_info, ilvl = numbered
        heading = self._heading_level(properties, style_id, label, level_info, ilvl)
        if heading and level_info is not None and not self._heading_like(text):
            heading = None  # a long numbered paragraph is a clause or a list item, not a heading
        bold = self._all_bold(p, style_id)
        if heading:
            shown = f"{label} {text}" if label and not text.startswith(label) else text
            self.lines += ["#" * min(heading, 6) + " " + shown, ""]
        elif bold and label and ilvl == 0 and len(text.split()) <= 10 and not text.endswith((".", ":", ";", ",")):
            # A short bold line that Word numbers at the top level of a list reads as "3. Contractors": a heading.
            self.lines += [f"# {label} {text}", ""]
        elif bold:
            # Bold on its own line: whether it is a heading is decided with the rest of the document
            # (policypages/structure.py), as a bold line in a text file would be.
            self.lines += [f"**{text}**", ""]
        elif level_info is not None or "list" in name:
            self.lines += [f"- {text}", ""]
        else:
            self.lines += [text, ""]

    def _numbering(self, properties, style_id):
        """(label, level, ilvl) of the paragraph's list numbering, counted; ("", None, None) if not numbered."""
        num_pr = properties.find(w("numPr")) if properties is not None else None
        if num_pr is None:
            num_pr = self.styles.first(style_id, f"{w('pPr')}/{w('numPr')}")
        num_id, ilvl = None, 0
        if num_pr is not None:
            found = num_pr.find(w("numId"))
            num_id = found.get(W_VAL) if found is not None else None
            level = num_pr.find(w("ilvl"))
            ilvl = int(level.get(W_VAL, "0")) if level is not None and (level.get(W_VAL) or "").isdigit() else 0
            if num_id in (None, "0"):
                return "", None, None
            abstract_id = self.numbering.nums.get(num_id)
        else:
            link = next((self.numbering.style_links[s] for s in self.styles.chain(style_id) if s in self.numbering.style_links), None)
            if link is None:
                return "", None, None
            abstract_id, ilvl = link
            num_id = next((n for n, a in self.numbering.nums.items() if a == abstract_id), None)
        label, level = self.numbering.next_label(num_id, abstract_id, ilvl)
        return label, level, ilvl

    def _heading_level(self, properties, style_id, label, level_info, ilvl):
        elements = [properties] + [self.styles.by_id.get(s) for s in self.styles.chain(style_id)]
        for element in elements:
            outline = element.find(f".//{w('outlineLvl')}") if element is not None else None
            if outline is not None and (outline.get(W_VAL) or "").isdigit() and int(outline.get(W_VAL)) < 9:
                return int(outline.get(W_VAL)) + 1
        for link in self.styles.chain(style_id):
            match = HEADING_NAME.search(self.styles.name(link)) or HEADING_NAME.search(link or "")
            if match:
                return int(match.group(1))
        if level_info is not None and level_info.style and HEADING_NAME.search(level_info.style):
            return ilvl + 1
        if level_info is not None and level_info.format != "bullet" and self._numbered_by_style(properties, style_id):
            return ilvl + 1  # outline numbering set on a paragraph style: that style is a heading level
        if label and re.search(r"[A-Za-z]{3,}", label) and level_info is not None and level_info.format != "bullet":
            return 1  # "Appendix 2:", "Section 4": a labelled heading
        return None

    def _numbered_by_style(self, properties, style_id):
        """Whether the paragraph's numbering comes from its style (not set on the paragraph itself) and the style is
        not a list style: how Word's outline numbering makes a house style a numbered heading."""
        own = properties.find(w("numPr")) if properties is not None else None
        names = " ".join(self.styles.name(s).lower() for s in self.styles.chain(style_id))
        return own is None and bool(style_id) and "list" not in names

    def _all_bold(self, p, style_id):
        """Whether every run with text shows in bold: set on the run, its character style or the paragraph's."""
        runs = [r for r in p.iter(w("r")) if not any(local(a) in ("del", "moveFrom") for a in r.iterancestors())]
        runs = [r for r in runs if "".join(t.text or "" for t in r.iter(w("t"))).strip()]
        if not runs:
            return False
        paragraph_bold = self._bold_in(self.styles.first(style_id, f"{w('rPr')}/{w('b')}"))
        for run in runs:
            properties = run.find(w("rPr"))
            own = properties.find(w("b")) if properties is not None else None
            if own is None and properties is not None and properties.find(w("rStyle")) is not None:
                own = self.styles.first(properties.find(w("rStyle")).get(W_VAL), f"{w('rPr')}/{w('b')}")
            bold = self._bold_in(own) if own is not None else paragraph_bold
            if not bold:
                return False
        return True

    @staticmethod
    def _heading_like(text):
        return len(text.split()) <= 14 and not text.rstrip().endswith((".", ";", ","))

    @staticmethod
    def _bold_in(element):
        return element is not None and (element.get(W_VAL) or "true").lower() not in ("0", "false", "off")

    def _contents_entry(self, p):
        """A line of a contents list made of links to the document's own headings (Google Docs, Word without a
        generated field): all of its text is inside internal links."""
        links = [h for h in p.iter(w("hyperlink")) if h.get(w("anchor"))]
        if not links:
            return False
        linked = "".join(self.text_of(h) for h in links).strip()
        return bool(linked) and linked == self.text_of(p).strip()

    # --- tables --------------------------------------------------------------------------------------------

    def table(self, tbl):
        for row in tbl.iterfind(w("tr")):
            if row.find(f"{w('trPr')}/{w('del')}") is not None:
                continue  # a row deleted with tracked changes
            cells = []
            for cell in row.iterfind(w("tc")):
                texts = [" ".join(self.text_of(p).split()) for p in cell.iter(w("p"))]
                cells.append(" ".join(t for t in texts if t))
            self.lines.append("\t".join(cells))
        self.lines.append("")
