"""The answer editor's form: the policy sections an answer rests on, named with their policy and live."""

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from policypages.models import PolicySectionPage


def sections_to_choose(chosen=()):
    """Every live policy section, and any already chosen that is not live now (kept, so that saving the answer
    does not drop it unseen), in the policies' order, each with its policy's title."""
    parent = Page.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen))
    return (
        PolicySectionPage.objects.filter(Q(live=True) | Q(pk__in=list(chosen)))
        .annotate(policy_title=Subquery(parent.values("title")[:1]))
        .order_by("path")
    )


def section_label(section):
    """'Staff social media policy: 6. Contact with parents and carers' ('Purpose' alone says nothing)."""
    label = f"{section.policy_title}: {section.title}" if section.policy_title else section.title
    return label if section.live else f"{label} (not published)"


class AnswerPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("policy_sections")
        if field is not None:
            chosen = [getattr(s, "pk", s) for s in self.initial.get("policy_sections") or []]
            field.queryset = sections_to_choose(chosen)
            field.label_from_instance = section_label
