"""The building blocks of a policy section. Each block keeps its meaning (a rule is a rule,
not bold text) so that readers, search and version comparisons can all tell them apart."""

from html import unescape

from django.utils.html import strip_tags
from wagtail import blocks

from declarations.blocks import FormLinkBlock

INLINE_FEATURES = ["bold", "italic", "link"]


class BulletListBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("bulleted", "Bullet points"), ("numbered", "Numbered (1, 2, 3)"), ("lettered", "Lettered (a, b, c)")],
        default="bulleted",
    )
    items = blocks.ListBlock(blocks.RichTextBlock(features=INLINE_FEATURES), min_num=1)

    class Meta:
        icon = "list-ul"
        label = "List"
        template = "policypages/blocks/list.html"


class RuleBlock(blocks.StructBlock):
    """A clause that staff are held to, shown so it cannot be missed."""

    kind = blocks.ChoiceBlock(
        choices=[("must", "Must"), ("must_not", "Must not"), ("should", "Should"), ("should_not", "Should not")],
        default="must",
    )
    # Lists too: "Staff must not:" and the list that follows are one rule (issue 14).
    text = blocks.RichTextBlock(
        features=[*INLINE_FEATURES, "ul", "ol"], help_text="Write the whole rule, e.g. 'Staff must not …'."
    )

    class Meta:
        icon = "warning"
        label = "Must / must not rule"
        template = "policypages/blocks/rule.html"


class NoteBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("note", "Note"), ("example", "Example"), ("important", "Important")], default="note"
    )
    text = blocks.RichTextBlock(features=INLINE_FEATURES)

    class Meta:
        icon = "help"
        label = "Note"
        template = "policypages/blocks/note.html"


class LegislationBlock(blocks.StructBlock):
    title = blocks.CharBlock(help_text="e.g. Data Protection Act 2018")
    url = blocks.URLBlock(required=False, label="Link")
    relevance = blocks.TextBlock(required=False, help_text="Why it matters here, in a sentence.")

    class Meta:
        icon = "doc-full"
        label = "Legislation or statutory guidance"
        template = "policypages/blocks/legislation.html"


class TableValue(blocks.StructValue):
    def cells(self):
        return [
            [cell.strip() for cell in line.split("|")] for line in self.get("rows", "").splitlines() if line.strip()
        ]

    def header(self):
        rows = self.cells()
        return rows[0] if rows else []

    def body(self):
        return self.cells()[1:]


class TableBlock(blocks.StructBlock):
    """A table from the policy (contacts, timescales, retention periods), kept as a table."""

    caption = blocks.CharBlock(required=False, help_text="What the table shows, e.g. 'Who to contact'.")
    rows = blocks.TextBlock(help_text="One row per line, cells separated by |. The first row is the header row.")

    class Meta:
        icon = "table"
        label = "Table"
        template = "policypages/blocks/table.html"
        value_class = TableValue


class SectionBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"], icon="pilcrow")
    subheading = blocks.CharBlock(
        icon="title",
        template="policypages/blocks/subheading.html",
        help_text="A sub-clause heading such as '4.2 Friend requests'.",
    )
    list = BulletListBlock()
    rule = RuleBlock()
    note = NoteBlock()
    legislation = LegislationBlock()
    form_link = FormLinkBlock()
    table = TableBlock()


def _text(html):
    # Plain text, entities decoded: callers escape it again when they build HTML.
    return " ".join(unescape(strip_tags(str(html))).split())


def body_lines(body):
    """A section body as plain lines of text, one per meaningful unit, for comparing versions."""
    lines = []
    for block in body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            source = value.source if hasattr(value, "source") else str(value)
            # One line per paragraph so a change in one paragraph does not mark the others.
            for part in source.replace("</p>", "</p>\n").replace("</li>", "</li>\n").splitlines():
                text = _text(part)
                if text:
                    lines.append(text)
        elif kind == "subheading":
            lines.append(_text(value))
        elif kind == "list":
            for item in value["items"]:
                lines.append("• " + _text(item.source if hasattr(item, "source") else item))
        elif kind == "rule":
            label = dict(RuleBlock.base_blocks["kind"].field.choices).get(value["kind"], value["kind"])
            lines.append(f"[{label.upper()}] " + _text(value["text"].source))
        elif kind == "note":
            lines.append(f"{value['kind'].capitalize()}: " + _text(value["text"].source))
        elif kind == "legislation":
            lines.append("Legislation: " + value["title"])
        elif kind == "form_link":
            page = value["page"]
            lines.append("Form: " + (value["label"] or (page.title if page else "")))
        elif kind == "table":
            lines.extend(" | ".join(row) for row in value.cells())
    return lines
