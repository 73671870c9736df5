"""The building blocks of a policy section. Each block keeps its meaning (a rule is a rule,
not bold text) so that readers, search and version comparisons can all tell them apart."""

from html import unescape

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from wagtail import blocks

INLINE_FEATURES = ["bold", "italic", "link"]


class FormLinkBlock(blocks.StructBlock):
    """A call to action linking a policy section or a guidance answer to one of the confidential forms. The form
    page type is named by a string: the forms (declarations) sit a layer above the policies."""

    page = blocks.PageChooserBlock(page_type="declarations.RecordFormPage", label="Form")
    label = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="The button's words, e.g. 'Declare a relationship'. Defaults to the form's title.",
    )
    text = blocks.CharBlock(
        required=False, max_length=200, help_text="One sentence before the button, e.g. 'Family member at the school?'"
    )

    class Meta:
        icon = "form"
        label = "Link to a form"
        template = "policypages/blocks/form_link.html"


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


# --- check your understanding (the questions; marking them is policypages/understanding.py) -------------


TRUE_FALSE = (("true", "True"), ("false", "False"))


class CheckChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    correct = blocks.BooleanBlock(required=False, help_text="Tick every right answer.")

    class Meta:
        icon = "tick"
        label = "Answer"


class CheckQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=300, help_text="e.g. 'A parent sends you a friend request. You…'")
    kind = blocks.ChoiceBlock(
        choices=[
            ("single", "One right answer"),
            ("multiple", "Several right answers"),
            ("true_false", "True or false"),
        ],
        default="single",
    )
    choices = blocks.ListBlock(
        CheckChoiceBlock(), min_num=0, help_text="For one or several right answers: two or more, the right ones ticked."
    )
    statement_is_true = blocks.BooleanBlock(
        required=False, help_text="For true or false: tick if the statement is true."
    )
    section = blocks.PageChooserBlock(
        page_type="policypages.PolicySectionPage", help_text="The section of this policy that answers it."
    )
    explanation = blocks.TextBlock(
        required=False, help_text="Shown with the section when someone gets it wrong (optional)."
    )

    class Meta:
        icon = "help"
        label = "Question"

    def clean(self, value):
        value = super().clean(value)
        if value["kind"] != "true_false":
            right = sum(1 for choice in value["choices"] if choice["correct"])
            problem = None
            if len(value["choices"]) < 2:
                problem = "Give at least two answers to choose from."
            elif value["kind"] == "single" and right != 1:
                problem = "Tick exactly one right answer (or choose 'Several right answers')."
            elif right == 0:
                problem = "Tick at least one right answer."
            if problem:
                raise blocks.StructBlockValidationError(block_errors={"choices": ValidationError(problem)})
        return value
