from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page


class StandardPage(Page):
    """A long document as a stock Wagtail site would keep it: headings and rich text in one StreamField."""

    body = StreamField([("heading", blocks.CharBlock()), ("paragraph", blocks.RichTextBlock())])

    template = "standard_page.html"
