"""Reading a policy document by its own format's structure (issue 42), into the marked-up lines the importer
works on (policypages/importer.py, policypages/structure.py):

- `% Title` for the document's own title, `#`, `##`... for headings the format marks (Word's heading styles and
  outline numbering, a PDF's larger type, HTML's h1-h6), `**text**` for a line set in bold at body size
  (which may or may not be a sub-heading: the structure finder decides with the rest of the document),
  `- item` for a list item, and tab-separated rows for a table, one line each, a blank line after;
- page furniture (running headers and footers, page numbers, a website's menus and cookie notices) already
  left out, each line counted in `Read.dropped` so the outline can say what went;
- a paragraph on one line, rejoined across line ends, page breaks and hyphens where the format breaks it.

Each reader raises `UnreadableDocument` with a message for the person importing when the file cannot be read.
"""

from collections import Counter
from dataclasses import dataclass, field


class UnreadableDocument(Exception):
    """A file that cannot be read as the format it claims; the message is for the person importing it."""


@dataclass
class Read:
    text: str  # marked-up lines, as described above
    dropped: Counter = field(default_factory=Counter)  # furniture left out, with how often
    title: str = ""  # the document's own title, when the format says it (PDF properties, <title>)
