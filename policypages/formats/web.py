"""Reading a policy published as a web page: a saved .html file, or the page's text copied into a text file.

A saved page (.html) is read by its markup (BeautifulSoup, already used by Wagtail): the page's main content
when it marks one (<main>, <article>, role="main"), without navigation, headers, footers, asides, forms,
scripts, cookie banners, breadcrumbs, "skip to content", "back to top" and sharing links; headings from
h1-h6 (the first h1 is the title), paragraphs, list items and tables as they are marked.

Text copied from a page has lost its markup, so it is read as a reader reads such a page:
- the page's furniture goes: "Skip to main content", menus (a run of short links before the breadcrumb or the
  title), a breadcrumb ("Home › Policies › Uniform"), cookie notices and their buttons, "Share this page",
  "Print this page", "Back to top", and the footer (from the copyright line back over the run of short lines
  that make it up: address, links);
- one line is one paragraph (the browser wrapped them, not the author); a short line after a finished
  paragraph and before more text is a heading (a question heading ends in "?"); short lines after a lead-in
  ending in ":" are a list.
"""

import re
from collections import Counter

from . import Read, UnreadableDocument

SKIP_LINK = re.compile(r"^(skip to (main )?content|skip navigation|jump to content)$", re.I)
PAGE_TOOLS = re.compile(r"^(back to top|top of page|share this page|share|print this page|print|search this site|menu)$", re.I)
COOKIE_LINE = re.compile(
    r"cookie|^(accept|reject|allow|deny|manage)( all| optional| necessary)?( cookies)?$|^(got it|ok|i agree)$", re.I
)
BREADCRUMB = re.compile(r"^(home|homepage)\s*(›|»|>|/|\\|→|\|)\s*\S.*(›|»|>|/|→|\|)", re.I)
COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|copyright\s+\d{4}|all rights reserved", re.I)
LIST_LEAD_IN = re.compile(r":\s*$")
ENDS_PARAGRAPH = re.compile(r"[.!?\"”’]$")
BACK_TO_TOP = re.compile(r"^(back to top|top of page)$", re.I)
LABELLED = re.compile(r"^[A-Z][\w ,'’/()-]{1,30}:\s+\S")  # "Last updated: March 2025"
WEB_SIGNS = (SKIP_LINK, BREADCRUMB)


def looks_like_a_saved_web_page(text):
    """Whether plain text is a web page's text: its furniture is there (a skip link, a breadcrumb, "back to
    top" after sections, a cookie notice) and its paragraphs are whole lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    signs = sum(1 for line in lines[:40] if any(p.match(line) for p in WEB_SIGNS))
    signs += sum(1 for line in lines if PAGE_TOOLS.match(line)) >= 2
    signs += any(COPYRIGHT.search(line) for line in lines[-15:])
    signs += any(COOKIE_LINE.search(line) for line in lines[:40])
    return signs >= 2


def read_web_text(text):
    """Plain text copied from a web page, as marked-up lines (formats/__init__.py)."""
    dropped = Counter()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = ["\t".join(" ".join(cell.split()) for cell in line.split("\t")).strip() for line in lines]
    lines = [line for line in lines if line]
    lines = _without_navigation(lines, dropped)
    lines = _without_footer(lines, dropped)
    kept = []
    for line in lines:
        if SKIP_LINK.match(line) or PAGE_TOOLS.match(line) or BREADCRUMB.match(line):
            dropped[line] += 1
            if BACK_TO_TOP.match(line) and kept and kept[-1] is not None:
                kept.append(None)  # a section of the page ends here
        else:
            kept.append(line)
    title = ""
    if kept and kept[0] and _short(kept[0]) and not re.search(r"[.,;:]$", kept[0]):
        title, kept = kept[0], kept[1:]  # the page's own heading, at the top of what is left
    head = [f"% {title}", ""] if title else []
    return Read(text="\n".join(head + _marked(kept)), dropped=dropped, title=title)


def _short(line, words=12):
    return len(line.split()) <= words and len(line) <= 100


def _without_navigation(lines, dropped):
    """Everything before the breadcrumb, if the page has one near the top, else the run of short lines (site
    name, menu) before the first real sentence; and a cookie notice with its buttons."""
    crumb = next((i for i, line in enumerate(lines[:40]) if BREADCRUMB.match(line)), None)
    if crumb is not None:
        for line in lines[: crumb + 1]:
            dropped[line] += 1
        lines = lines[crumb + 1 :]
    else:
        menu = 0
        while menu < len(lines) and _short(lines[menu], 4) and not ENDS_PARAGRAPH.search(lines[menu]):
            menu += 1
        if menu >= 5:  # a run of links, not a title and a subtitle
            for line in lines[: menu - 1]:
                dropped[line] += 1
            lines = lines[menu - 1 :]
    # A cookie notice: the lines that mention cookies near the top, and the short buttons among them.
    notice = [i for i, line in enumerate(lines[:15]) if COOKIE_LINE.search(line)]
    if notice:
        start, end = min(notice), max(notice)
        for line in lines[start : end + 1]:
            dropped[line] += 1
        lines = lines[:start] + lines[end + 1 :]
    return lines


def _without_footer(lines, dropped):
    """The footer: from the copyright line back over the run of short lines above it, and on to the end."""
    mark = next((i for i in range(len(lines) - 1, max(len(lines) - 25, -1), -1) if COPYRIGHT.search(lines[i])), None)
    if mark is None:
        return lines
    start = mark
    while start > 0 and _short(lines[start - 1]) and not ENDS_PARAGRAPH.search(lines[start - 1]):
        start -= 1
    # The last short line before a paragraph-ending line may be the footer's first line ("Our school").
    for line in lines[start:]:
        dropped[line] += 1
    return lines[:start]


def _marked(lines):
    """One line per paragraph: a short line after a finished paragraph (or at the start, or where "Back to
    top" ended a section: None) and before more text is a heading; short lines after a lead-in ending in ":"
    are a list, until a paragraph or the section's end; a row with tabs is a table row."""
    out, in_list = [], False
    for i, line in enumerate(lines):
        if line is None:
            in_list = False
            if out and out[-1] != "":
                out.append("")
            continue
        before = (lines[i - 1] or "") if i else ""
        after = (lines[i + 1] or "") if i + 1 < len(lines) else ""
        if "\t" in line:
            out.append(line)
            in_list = False
            continue
        if out and out[-1] != "" and "\t" in out[-1]:
            out.append("")  # a table ends
        if LIST_LEAD_IN.search(before) and _short(line, 25):
            in_list = True
        elif in_list and not _short(line, 25):
            in_list = False
        if in_list and not line.endswith("?"):
            out += [f"- {line}", ""]
            continue
        left_a_list, in_list = in_list, False
        finished = not before or ENDS_PARAGRAPH.search(before) or "\t" in before or left_a_list
        finished = finished or LABELLED.match(before)
        heading = (
            _short(line)
            and finished
            and after
            and not re.search(r"[.,;:]$", line)
            and not LABELLED.match(line)  # "Last updated: March 2025" is about the page, not a heading
            and line[:1].isupper()
        )
        out += [f"## {line}" if heading else line, ""]
    return out


# --- saved .html files -------------------------------------------------------------------------------------

DROP_TAGS = ["script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form", "button"]
DROP_ROLES = re.compile(r"navigation|banner|contentinfo|search|complementary|dialog|alertdialog", re.I)
DROP_NAMES = re.compile(r"cookie|consent|breadcrumb|skip|share|social|menu|nav(bar)?\b|footer|header|banner|sidebar", re.I)


def read_html(path):
    from bs4 import BeautifulSoup

    raw = path.read_bytes()
    if b"\x00" in raw[:2048]:
        raise UnreadableDocument(f"{path.name} does not look like a web page (it contains binary data).")
    soup = BeautifulSoup(raw, "html.parser")
    dropped = Counter()
    page_title = " ".join(soup.title.get_text(" ").split()) if soup.title else ""
    root = soup.find("main") or soup.find(attrs={"role": "main"}) or soup.find("article") or soup.body or soup
    for element in root.find_all(DROP_TAGS):
        dropped[" ".join(element.get_text(" ").split())[:80] or element.name] += 1
        element.decompose()
    for element in root.find_all(True):
        if element.decomposed:
            continue
        names = " ".join([element.get("id") or "", *(element.get("class") or [])])
        if DROP_ROLES.search(element.get("role") or "") or (names.strip() and DROP_NAMES.search(names)):
            dropped[" ".join(element.get_text(" ").split())[:80] or element.name] += 1
            element.decompose()
    lines, title = [], ""
    for element in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "dt", "dd", "blockquote"]):
        if element.find_parent(["li", "tr", "p"]) and element.name not in ("tr",):
            continue  # read with the item, row or paragraph it sits in
        text = " ".join(element.get_text(" ").split())
        if not text or PAGE_TOOLS.match(text) or SKIP_LINK.match(text):
            continue
        if element.name == "h1" and not title:
            title = text
            continue
        if element.name[0] == "h" and element.name[1:].isdigit():
            lines += ["#" * (int(element.name[1]) - 1 or 1) + " " + text, ""]
        elif element.name == "li":
            lines += [f"- {text}", ""]
        elif element.name == "tr":
            cells = [" ".join(cell.get_text(" ").split()) for cell in element.find_all(["td", "th"])]
            lines.append("\t".join(cells))
            if not element.find_next_sibling("tr"):
                lines.append("")
        else:
            lines += [text, ""]
    title = title or re.split(r"\s+[|–—-]\s+", page_title)[0]
    head = [f"% {title}", ""] if title else []
    return Read(text="\n".join(head + lines), dropped=dropped, title=title)
