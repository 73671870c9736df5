"""Finding a policy's sections the way a reader does (issue 14): furniture out, then the headings.

A reader skims for the lines that look like headings and for the numbering that runs through them; they do
not stop at a skipped number, a number written after its title or on the line above, "Section 3:", "3.0",
roman numerals or "Part B", and they know an appendix is a section of its own. Page furniture (running
headers and footers, "Page 3 of 9", bare page numbers, a contents page) is not read at all.

`clean_lines` removes the furniture; `find_headings` returns the top-level headings. Every rule here is one a
person would state in general words; none is written for one document.
"""

import re
from collections import Counter

# --- furniture ------------------------------------------------------------------------------------------

PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$|^[-–—]\s*\d{1,3}\s*[-–—]$|^\[\d{1,3}\]$", re.I)
PAGE_COUNTER_AT_END = re.compile(r"\s{2,}(?:page\s*)?\d{1,3}\s*(?:of|/)\s*\d{1,3}\s*$", re.I)
CONTENTS = re.compile(r"^(?:table of )?contents:?$", re.I)
DOTTED_LEADER = re.compile(r"(?:\.\s*){4,}\s*\d{1,3}\s*$|…{2,}\s*\d{1,3}\s*$")
TRAILING_PAGE_REF = re.compile(r"(?:\t|\s{2,})\d{1,3}\s*$")
RUN_TOGETHER = re.compile(r"^(\s*\d{1,2}(?:\.\d{1,2}){1,3})(?=[A-Z])")
BULLET_START = re.compile(r"^\s*(?:[-*•·▪◦]|o(?=\s))\s+")


def plain(line):
    """A line without markdown heading marks, emphasis or escapes, for comparing and classifying."""
    line = re.sub(r"^\s*#{1,6}\s*", "", line)
    line = line.replace("\\", "")
    return line.replace("**", "").replace("__", "").strip()


def _is_number_line(text):
    return re.fullmatch(r"\d{1,2}\.?|[IVXL]{1,6}\.?", text) is not None


def clean_lines(text, dropped=None):
    """The document's lines with page furniture blanked (so line numbers keep their meaning). If `dropped` is
    a Counter, each line removed is counted in it, for the outline shown before anything is saved."""
    # A page break (form feed) stays as a line of its own, blank to everything but _at_page_breaks.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")
    breaks = [i for i, line in enumerate(text.split("\n")) if line == "\f"]
    lines = [line.rstrip().replace("<u>", "").replace("</u>", "").replace("\u00a0", " ") for line in text.split("\n")]
    original = list(lines)
    # Run-together clauses ("1.1The school") get their space back.
    lines = [RUN_TOGETHER.sub(r"\1 ", line) for line in lines]
    # A footer that carries the page count ("Staff code v2.1        Page 3 of 9") is furniture as a whole.
    lines = [PAGE_COUNTER_AT_END.sub("", line) if PAGE_COUNTER_AT_END.search(line) else line for line in lines]
    # Running headers and footers repeat on every page; real sentences rarely repeat three times. A footer that
    # carries the page number ("Grievance procedure | Fernhill | Page 3", "Policy | School | 3") repeats with
    # only that number changing.
    counts = Counter(line.strip() for line in lines if line.strip())
    furniture = {text for text, n in counts.items() if n >= 3 and len(text) <= 100 and not BULLET_START.match(text)}
    numbered = Counter(_page_shape(line) for line in lines if _page_shape(line))
    by_breaks = _at_page_breaks(lines, breaks)
    lines = [
        "" if line.strip() in furniture or line.strip() in by_breaks or numbered.get(_page_shape(line), 0) >= 3
        else line
        for line in lines
    ]
    lines = _join_numbers_to_their_titles(lines)
    lines = ["" if PAGE_NUMBER.match(line.strip()) else line for line in lines]
    lines = _drop_contents(lines)
    lines = _rejoin_hyphenated(lines)
    if dropped is not None:
        for before, after in zip(original, lines, strict=True):
            if PAGE_COUNTER_AT_END.search(before) or PAGE_NUMBER.match(before.strip()):
                dropped["page numbers"] += 1
            joined = _is_number_line(before.strip()) or re.fullmatch(LABEL_ALONE, plain(before), re.I)
            if not before.strip() or after.strip() or joined:  # a number or label joined to its title
                continue
            if DOTTED_LEADER.search(before) or TRAILING_PAGE_REF.search(before):
                dropped["contents list entries"] += 1
            elif not PAGE_NUMBER.match(before.strip()):
                dropped[" ".join(PAGE_COUNTER_AT_END.sub("", before).split())] += 1
    return lines


FOOTER_SEPARATOR = re.compile(r"\s[|·•–—]\s|\t")


def _at_page_breaks(lines, breaks):
    """Lines that stand next to two or more page breaks (form feeds, which text taken from a PDF keeps, at the
    line indexes `breaks`): the first and last lines of each page that repeat at another break are a running
    header or footer."""
    if len(breaks) < 2:
        return set()
    seen = Counter()
    for at in breaks:
        near = set()
        for step in (-1, 1):
            j, found = at, 0
            while 0 <= j < len(lines) and found < 2:
                text = lines[j].strip()
                if text:
                    near.add(text)
                    found += 1
                j += step
        seen.update(near)
    return {
        text
        for text, n in seen.items()
        if n >= 2 and 4 <= len(text) <= 100 and re.search(r"[A-Za-z]{2}", text) and not BULLET_START.match(text)
    }


def _page_shape(line):
    """A running footer's shape with its page number taken out, or None for a line that is not one: a short line
    ending in a number (or "page N") whose other words are split by a separator or number at least three."""
    text = " ".join(line.split())
    match = re.match(r"^(.*?\D)\s*(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", text, re.I)
    if not match or len(text) > 100 or BULLET_START.match(text):
        return None
    rest = match.group(1)
    if not (FOOTER_SEPARATOR.search(rest + " ") or len(rest.split()) >= 3) or re.match(r"^\d", text):
        return None
    return re.sub(r"\d+", "#", rest.lower())


def _next_text(lines, i, within=2):
    """Index of the next non-blank line after i, if it is at most `within` blank lines away."""
    j = i + 1
    while j < len(lines) and not lines[j].strip() and j - i <= within:
        j += 1
    return j if j < len(lines) and lines[j].strip() else None


def _join_numbers_to_their_titles(lines):
    """A section number on the line above its title ("4" then "RESPONSIBILITIES") joins its title, before bare
    numbers are dropped as page numbers; so do "APPENDIX 1" and "Part B" on a line of their own."""
    lines = list(lines)
    for i, line in enumerate(lines):
        text = plain(line)
        label = _is_number_line(text) or re.fullmatch(LABEL_ALONE, text, re.I)
        if not label:
            continue
        j = _next_text(lines, i)
        if j is None:
            continue
        title = plain(lines[j])
        if (
            looks_like_title(title, max_words=10)
            and not _is_number_line(title)
            and not SUBCLAUSE.match(title)
            and not PAGE_NUMBER.match(title)
            and not re.fullmatch(LABEL_ALONE, title, re.I)
        ):
            separator = ": " if not _is_number_line(text) else " "
            lines[j] = f"{text.rstrip('.')}{separator}{title}"
            lines[i] = ""
    return lines


def _drop_contents(lines):
    """A contents list: after a "Contents" line, the entries (ending in a page number, or with dotted leaders)
    until the body starts. Dotted-leader lines are contents wherever they are."""
    lines = ["" if DOTTED_LEADER.search(line) else line for line in lines]
    start = next((i for i, line in enumerate(lines) if CONTENTS.match(plain(line))), None)
    if start is None:
        return lines
    lines[start] = ""
    i = start + 1
    while i < len(lines):
        text = lines[i].strip()
        if text and not (TRAILING_PAGE_REF.search(text) or DOTTED_LEADER.search(text)):
            break
        lines[i] = ""
        i += 1
    return lines


def _rejoin_hyphenated(lines):
    """A word broken across lines ("safe-" / "guarding") is one word again."""
    lines = list(lines)
    for i, line in enumerate(lines):
        if re.search(r"[a-z]-$", line) and not BULLET_START.match(line):
            j = _next_text(lines, i, within=4)
            if j is not None and re.match(r"^[a-z]", lines[j].strip()):
                word, _, rest = lines[j].strip().partition(" ")
                lines[i] = line[:-1] + word
                lines[j] = rest
    return lines


# --- headings ---------------------------------------------------------------------------------------------

SUBCLAUSE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s*(.*)$")
ARABIC = re.compile(
    r"^(?:section\s+)?(\d{1,2})(?:\.0)?(?:\.(?!\d)\s*|:\s*|\)\s*|\s*[–—-]\s+|\s+)(?P<title>[^\d\s].*)$", re.I
)
NUMBER_AFTER = re.compile(r"^(?P<title>.+?)\s+(\d{1,2})\.?$")
ROMAN = re.compile(r"^([IVXL]{1,6})(?:\.\s*|\)\s*|:\s*|\s+[–—-]\s+)(?P<title>[A-Z].*)$")
LABEL = re.compile(
    r"^(appendix|appendices|annex|annexe|schedule|part)\b\s*([A-Z]{1,2}|\d{1,2}|[IVX]{1,5})?\b\s*[:.–—-]?\s*(?P<title>.*)$",
    re.I,
)
LABEL_ALONE = r"(?:appendix|annex|annexe|schedule|part)\s+(?:[A-Z]{1,2}|\d{1,2}|[IVX]{1,5})\.?"
MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
BOLD_LINE = re.compile(r"^\*\*([^*]+?)\*\*:?$")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "from", "into"}


def roman_value(text):
    total, previous = 0, 0
    for char in reversed(text):
        value = ROMAN_VALUES[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def looks_like_title(text, max_words=14):
    text = text.replace("**", "").strip()
    words = text.split()
    return (
        0 < len(words) <= max_words
        and len(text) <= 110
        and not text.endswith((".", ";", ",", ":"))
        and (text[0].isupper() or text[0] in "'\"‘“")
    )


def is_caps_heading(text):
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 3
        and all(c.isupper() for c in letters)
        and len(text.split()) <= 10
        and not text.endswith((".", ",", ";"))
    )


def _title_case(text):
    words = text.split()
    significant = [w for w in words if w.lower() not in SMALL_WORDS and w[:1].isalpha()]
    return len(words) <= 8 and significant and all(w[0].isupper() for w in significant)


def sentence_case(text):
    """ALL-CAPS headings in the case a person writes them."""
    return text.capitalize() if is_caps_heading(text) else text


def _table_row(line):
    """Cells split by tabs, unless the tab only follows a heading's number ("2.<tab>Aims", as Word types it); or
    three or more cells lined up with runs of spaces, as text taken from a PDF's table keeps them."""
    if re.search(r"\S {3,}\S.*\S {3,}\S", line.strip()):
        return True
    cells = [cell.strip() for cell in line.strip().split("\t") if cell.strip()]
    if len(cells) < 2:
        return False
    return not (len(cells) == 2 and re.fullmatch(r"\**(?:\d{1,2}\.?|[A-Z]\.|[IVXL]{1,5}\.)", cells[0]))


class Line:
    """What a line could be, as a heading."""

    def __init__(self, lines, i):
        self.index = i
        self.raw = lines[i].strip()
        self.text = plain(lines[i])
        # A row of a table (cells split by tabs) or a contents entry with its page number is never a heading:
        # "1.0 <tab> March 2022 <tab> First version" is a version, not section 1.
        self.in_table = _table_row(lines[i])
        previous_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        self.isolated = previous_blank and next_blank
        self.marked = bool(MD_HEADING.match(self.raw) or BOLD_LINE.match(self.raw))
        self.markdown_level = len(MD_HEADING.match(self.raw).group(1)) if MD_HEADING.match(self.raw) else None

    @property
    def arabic(self):
        """(number, title) if the line is a numbered top-level heading in any of the usual shapes. A converter
        sometimes turns a numbered heading into a list item ("- 4. Title"); the numbering still shows it."""
        if self.in_table:
            return None
        text = BULLET_START.sub("", self.text).strip(" *")
        if SUBCLAUSE.match(text) and not re.match(r"^\d{1,2}\.0\b", text):
            return None
        match = ARABIC.match(text)
        if match and looks_like_title(match.group("title").strip(" *")):
            return int(match.group(1)), match.group("title").strip(" *:")
        match = NUMBER_AFTER.match(text)
        if match and (self.isolated or self.marked) and looks_like_title(match.group("title")):
            return int(match.group(2)), match.group("title").strip(" *:")
        return None

    @property
    def roman(self):
        if self.in_table:
            return None
        match = ROMAN.match(self.text)
        if match and looks_like_title(match.group("title").strip(" *")):
            return roman_value(match.group(1)), match.group("title").strip(" *:")
        return None

    @property
    def label(self):
        """("Appendix A", title) for an appendix, annex, schedule or part heading."""
        match = LABEL.match(self.text)
        if not match or len(self.text) > 120 or self.in_table:
            return None
        word, ident, title = match.group(1), match.group(2), match.group("title").strip(" *:")
        if title and not looks_like_title(title, max_words=12):
            return None
        if not ident and not title:
            return None
        label = f"{word.title()} {ident}" if ident else word.title()
        return label, title

    @property
    def unnumbered(self):
        """A heading without a number: a heading mark, bold, ALL CAPS, or a short Title Case line on its own."""
        text = self.text
        if not text or self.in_table or SUBCLAUSE.match(text) or BULLET_START.match(self.raw) or ARABIC.match(text):
            return None
        if self.marked and looks_like_title(text, max_words=10):
            return text
        if self.isolated and is_caps_heading(text):
            return text
        if self.isolated and looks_like_title(text, max_words=8) and _title_case(text):
            return text
        return None


def _sequence(candidates):
    """The longest run of headings whose numbers go up (a skip of up to 3 allowed), starting at 1 or 2."""
    best = []
    for start, (_, first, _) in enumerate(candidates):
        if first > 2:
            continue
        run, last = [candidates[start]], first
        for candidate in candidates[start + 1 :]:
            if last < candidate[1] <= last + 3:
                run.append(candidate)
                last = candidate[1]
        if len(run) > len(best):
            best = run
    return best


def find_headings(lines, notes=None):
    """[(line index, number or label, title)] of the top-level sections, in order; [] if none are found.
    If `notes` is a list, what was guessed is said in it, for the person checking the outline."""
    headings, numbered = _find_headings(lines)
    if notes is not None:
        notes.extend(_notes(headings, numbered))
    return [(i, number, _unwrapped(lines, i, title)) for i, number, title in headings]


def _notes(headings, numbered):
    notes = []
    if headings and not numbered:
        notes.append(
            "The document has no section numbers: sections were taken from its headings "
            "(check that none of them is a sub-heading)."
        )
    numbers = [int(number) for _, number, _ in headings if number.isdigit()] if numbered else []
    for previous, number in zip(numbers, numbers[1:], strict=False):
        if number > previous + 1:
            missing = ", ".join(str(n) for n in range(previous + 1, number))
            notes.append(
                f"The numbering skips {missing} ({previous} is followed by {number}): check nothing is missing."
            )
    return notes


def _unwrapped(lines, i, title):
    """A heading wrapped over two lines: a short next line that carries on the title (it starts in lower case,
    or the title stopped on "of", "and", "the"...) and is followed by a blank line. A title that stops on such
    a word is unfinished whatever comes between: its end is the next text, past a page break's blank lines."""
    j = _next_text(lines, i, within=8)
    rest = plain(lines[j]) if j is not None else ""
    unfinished = title.split() and title.split()[-1].lower() in SMALL_WORDS - {"a"} | {"&", "-", "–"}
    # Or the next text is a few words in lower case standing alone: no sentence starts that way, so it is the
    # heading's end, moved down by a page break.
    alone = rest[:1].islower() and len(rest.split()) <= 4 and (j + 1 >= len(lines) or not lines[j + 1].strip())
    if (unfinished or alone) and rest and len(rest.split()) <= 6 and not SUBCLAUSE.match(rest):
        if not rest.endswith((".", ";", ":")):
            lines[j] = ""
            return f"{title} {rest.strip(' *')}"
    if i + 1 >= len(lines) or not lines[i + 1].strip() or (i + 2 < len(lines) and lines[i + 2].strip()):
        return title
    rest = plain(lines[i + 1])
    carries_on = rest[:1].islower() or title.split()[-1].lower() in SMALL_WORDS | {"&", "-", "–"}
    if carries_on and len(rest.split()) <= 6 and not rest.endswith((".", ";", ":")) and not SUBCLAUSE.match(rest):
        lines[i + 1] = ""
        return f"{title} {rest.strip(' *')}"
    return title


def _find_headings(lines):
    described = [Line(lines, i) for i in range(len(lines)) if lines[i].strip()]
    arabic = _sequence([(line, *line.arabic) for line in described if line.arabic])
    roman = _sequence([(line, *line.roman) for line in described if line.roman])
    numbered = max((arabic, roman), key=len)
    if len(numbered) >= 2:
        headings = [(line.index, str(number), title) for line, number, title in numbered]
        if numbered is roman:
            headings = [(i, str(n), t) for i, n, t in headings]
        return _with_labels_and_trailing(headings, described, style_of=[line for line, _, _ in numbered]), True
    # Parts ("Part A: Staff", "Part B: Pupils") when nothing is numbered.
    parts = [line for line in described if line.label and line.label[0].startswith("Part ")]
    if len(parts) >= 2:
        headings = [(line.index, line.label[0], line.label[1] or line.label[0]) for line in parts]
        return _with_labels_and_trailing(headings, described, style_of=[]), True
    # No numbering: the most common heading mark, then bold lines, then capitals, then Title Case lines.
    levels = Counter(line.markdown_level for line in described if line.markdown_level)
    for level in sorted(levels):
        if levels[level] >= 2:
            chosen = [line for line in described if line.markdown_level == level]
            return _numbered_in_order([(line.index, line.text) for line in chosen], described)
    for kind in ("bold", "caps", "title"):
        chosen = [line for line in described if line.unnumbered and _kind(line) == kind]
        if len(chosen) >= 2:
            return _numbered_in_order([(line.index, line.unnumbered) for line in chosen], described)
    return [], False


def _kind(line):
    if BOLD_LINE.match(line.raw):
        return "bold"
    if is_caps_heading(line.text):
        return "caps"
    return "title"


def _numbered_in_order(found, described):
    """Unnumbered headings numbered by their position (False: the numbers were not in the document)."""
    headings = []
    for position, (i, title) in enumerate(found, start=1):
        match = re.match(r"^(\d{1,2})\.?\s+(.+)$", title)
        headings.append((i, match.group(1), match.group(2)) if match else (i, str(position), title))
    return _with_labels_and_trailing(headings, described, style_of=[]), False


def _with_labels_and_trailing(headings, described, style_of):
    """Add appendices, annexes and parts after the first section, and the unnumbered headings that follow the
    last numbered one in the same style (bold, capitals, or a short line on its own)."""
    first, last = headings[0][0], headings[-1][0]
    taken = {i for i, _, _ in headings}
    extra, first_label = [], None
    for line in described:
        if line.index <= first or line.index in taken:
            continue
        label = line.label
        if label and (line.isolated or line.marked or line.text == line.raw):
            extra.append((line.index, label[0], label[1] or label[0]))
            first_label = first_label or line.index
            continue
        # Unnumbered sections after the numbered ones, but not inside an appendix.
        if line.index > last and style_of and first_label is None:
            if line.unnumbered and _same_style(line, style_of):
                extra.append((line.index, "", line.unnumbered))
    headings = sorted(headings + extra)
    # Unnumbered trailing sections continue the numbering.
    numbered, last_number = [], 0
    for i, number, title in headings:
        if number == "":
            last_number += 1
            number = str(last_number)
        elif number.isdigit():
            last_number = int(number)
        numbered.append((i, number, title))
    return numbered


def _same_style(line, numbered_lines):
    """A trailing unnumbered heading looks like the numbered ones: bold if they are, on its own line if they are."""
    bold = sum(bool(BOLD_LINE.match(n.raw)) for n in numbered_lines) > len(numbered_lines) / 2
    if bold:
        return bool(BOLD_LINE.match(line.raw))
    isolated = sum(n.isolated for n in numbered_lines) > len(numbered_lines) / 2
    return line.isolated or not isolated
