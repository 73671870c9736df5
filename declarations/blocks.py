"""A call to action that links a policy section or a guidance answer to one of the confidential forms."""

from wagtail import blocks


class FormLinkBlock(blocks.StructBlock):
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
        template = "declarations/blocks/form_link.html"
