"""The form on a confidential form page, and who will read what is sent: worked out here, in the page's
template, so the page model needs neither the forms nor the access rules."""

from django import template

from declarations.access import readers_sentence
from declarations.views import form_context

register = template.Library()


@register.simple_tag(takes_context=True)
def record_form(context, page):
    """The form (bound after a failed submit, refilled after a sign-in round trip), where it posts to, and
    whether it takes evidence files."""
    return form_context(context["request"], page, context.get("bound_form"))


@register.simple_tag
def who_reads(page):
    return readers_sentence(page.form)
