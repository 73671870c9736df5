"""Guidance answers."""

from django.utils.text import slugify

from guidance.models import GuidanceAnswerPage
from tests.core.factories import PageFactory


class GuidanceAnswerFactory(PageFactory):
    class Meta:
        model = GuidanceAnswerPage


def make_answer(parent, title, audience="staff", **kwargs):
    """A published answer under `parent` (staff answers in the staff guidance, others in the parents')."""
    return GuidanceAnswerFactory(
        parent=parent,
        title=title,
        slug=slugify(title),
        short_answer=kwargs.pop("short_answer", "No"),
        answer=kwargs.pop("answer", "<p>Because.</p>"),
        audience=audience,
        **kwargs,
    )
