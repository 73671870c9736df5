"""Guidance: plain-language answers to the questions staff and parents actually ask.

Staff answers live under the staff hub's guidance index (signed-in only, by Wagtail page privacy);
parents' and everyone's answers live under the parents' guidance index (public).
"""

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.page_cache import CachedForReaders
from core.privacy import visible_to
from core.published import RestrictionsFromSnapshot, published_data
from policypages.blocks import FormLinkBlock
from policypages.models import PolicySectionPage, live_related

from .page_forms import AnswerPageForm
from .panels import AnswerChecksPanel


class Audience(models.TextChoices):
    """Who an answer is for (not a group of people: see accounts.roles for those)."""

    STAFF = "staff", "Staff only"
    PARENTS = "parents", "Parents and carers"
    EVERYONE = "everyone", "Everyone"


def front_page_type(name):
    """The staff hub's or the parents' page type ("StaffHubPage", "ParentsPage"), named by a string: the front
    pages (hub/) sit a layer above guidance and gather its answers through hooks."""
    return apps.get_model("hub", name)


class GuidanceIndexPage(RestrictionsFromSnapshot, CachedForReaders, Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["hub.StaffHubPage", "hub.ParentsPage"]
    subpage_types = ["guidance.GuidanceAnswerPage"]
    max_count_per_parent = 1

    @property
    def is_staff_guidance(self):
        return front_page_type("StaffHubPage").objects.ancestor_of(self).exists()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        answers = GuidanceAnswerPage.objects.child_of(self).live().filter(canonical_answer__isnull=True)
        context["answers"] = visible_to(request, answers.order_by("title"))
        return context


def guidance_indexes():
    """(the staff hub's guidance, the parents' guidance): where answers for each audience go; None if missing."""

    def under(front_page):
        parent = front_page_type(front_page).objects.order_by("path").first()
        return GuidanceIndexPage.objects.child_of(parent).first() if parent else None

    return under("StaffHubPage"), under("ParentsPage")


class GuidanceAnswerPage(RestrictionsFromSnapshot, CachedForReaders, Page):
    """One question, answered. The page title is the question as people ask it."""

    short_answer = models.CharField(
        max_length=120, help_text="The answer in a few words, e.g. 'No', 'Yes, if you declare it'."
    )
    answer = RichTextField(features=["bold", "italic", "link", "ol", "ul", "h3"])
    topics = models.CharField(
        max_length=255, blank=True, help_text="Topics separated by commas, e.g. 'parents, friend requests'."
    )
    also_asked = models.TextField(
        blank=True, help_text="Other ways people ask this question, one per line. Search uses them."
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.STAFF)
    form_links = StreamField(
        [("form_link", FormLinkBlock())],
        blank=True,
        help_text="Forms this answer asks people to fill in, e.g. 'Declare a relationship'.",
    )
    policy_sections = ParentalManyToManyField(
        PolicySectionPage,
        blank=True,
        related_name="guidance_answers",
        help_text="The policy sections this answer rests on.",
    )
    related_answers = ParentalManyToManyField("self", blank=True, symmetrical=False)
    canonical_answer = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text="If this question duplicates another answer, send readers there instead.",
    )

    base_form_class = AnswerPageForm  # the policy sections named with their policy, live ones only

    content_panels = (
        [AnswerChecksPanel(heading="Policy changes to check")]
        + Page.content_panels
        + [
            FieldPanel("short_answer"),
            FieldPanel("answer"),
            FieldPanel("form_links"),
            MultiFieldPanel(
                [FieldPanel("audience"), FieldPanel("topics"), FieldPanel("also_asked")],
                heading="Who and how it is asked",
            ),
            FieldPanel("policy_sections", widget=forms.CheckboxSelectMultiple),
            FieldPanel("related_answers", widget=forms.CheckboxSelectMultiple),
            FieldPanel("canonical_answer"),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("also_asked", boost=3),
        index.SearchField("short_answer", boost=2),
        index.SearchField("answer"),
        index.SearchField("topics", boost=2),
        index.FilterField("audience"),
        index.FilterField("canonical_answer_id"),
        index.AutocompleteField("also_asked"),
    ]
    parent_page_types = ["guidance.GuidanceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "guidance answer"

    @property
    def topic_list(self):
        return [t.strip() for t in self.topics.split(",") if t.strip()]

    @property
    def phrasings(self):
        return [line.strip() for line in self.also_asked.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else getattr(self, "_parent_for_validation", None)
        if parent is not None:
            staff_place = front_page_type("StaffHubPage").objects.ancestor_of(parent, inclusive=True).exists()
            if self.audience == Audience.STAFF and not staff_place:
                raise ValidationError({"audience": "Staff-only answers belong in the staff hub's guidance."})
            if self.audience != Audience.STAFF and staff_place:
                raise ValidationError({"audience": "Answers for parents or everyone belong in the parents' guidance."})
        if self.canonical_answer_id and self.canonical_answer_id == self.pk:
            raise ValidationError({"canonical_answer": "An answer cannot point to itself."})

    def serve(self, request, *args, **kwargs):
        if self.canonical_answer_id and self.canonical_answer.live:
            return redirect(self.canonical_answer.url, permanent=True)
        return super().serve(request, *args, **kwargs)

    def open_checks(self):
        """What changed in the policy since this answer was written, until HR checks it (per content version)."""
        return published_data(
            self,
            "answer's open checks",
            lambda: list(self.checks.filter(checked_at__isnull=True).select_related("version__policy")),
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Signed-in readers only: a check may name a staff-only section, and the comparison needs signing in.
        context["policy_changed"] = self.open_checks() if request.user.is_authenticated else []
        sections = live_related(self.policy_sections).order_by("path")
        context["policy_sections"] = [
            (section, section.get_parent().specific) for section in visible_to(request, sections)
        ]
        context["related"] = visible_to(request, live_related(self.related_answers).order_by("title"))
        return context


class AnswerFeedback(models.Model):
    """'Was this answer helpful?' counted per answer per day; who answered is not stored."""

    answer = models.ForeignKey(GuidanceAnswerPage, on_delete=models.CASCADE, related_name="feedback")
    date = models.DateField()
    helpful = models.PositiveIntegerField(default=0)
    not_helpful = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "date"], name="one_feedback_row_per_answer_per_day")]

    def __str__(self):
        return f"{self.answer}: {self.helpful} helpful, {self.not_helpful} not on {self.date}"


class AnswerCheck(models.Model):
    """An answer to check: an issued version changed or removed a policy section it rests on. Open until HR
    publishes the answer again or marks it checked; staff reading the answer meanwhile are told the policy has
    changed since it was written."""

    CHANGED, REMOVED = "changed", "removed"

    answer = models.ForeignKey(GuidanceAnswerPage, on_delete=models.CASCADE, related_name="checks")
    version = models.ForeignKey("policypages.PolicyVersion", on_delete=models.CASCADE, related_name="+")
    since_label = models.CharField(max_length=20, help_text="The version the answer was written against.")
    section = models.ForeignKey(PolicySectionPage, null=True, on_delete=models.SET_NULL, related_name="+")
    section_heading = models.CharField(max_length=300)
    change = models.CharField(max_length=10, choices=[(CHANGED, "changed"), (REMOVED, "removed")])
    # The section's changed lines, as HR reads them beside the answer: "Added: ...", "Was: ... / Now: ...".
    what_changed = models.TextField(blank=True)
    flagged_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "version", "section"], name="one_check_per_answer_version_section"
            )
        ]
        indexes = [models.Index(fields=["answer", "checked_at"])]

    def __str__(self):
        return f"{self.answer.title}: section {self.section_heading} {self.change} in version {self.version.label}"

    @property
    def message(self):
        policy = self.version.policy.title
        return f"Section {self.section_heading} of '{policy}' was {self.change} in version {self.version.label}"

    @property
    def what_changed_url(self):
        policy = self.version.policy
        return f"{policy.url}{policy.reverse_subpage('compare_view')}?from={self.since_label}&to={self.version.label}"

    def mark_checked(self, user):
        self.checked_at = timezone.now()
        self.checked_by = user
        self.save(update_fields=["checked_at", "checked_by"])


class Question(models.Model):
    """A question somebody could not find answered, sent from the search page to HR ("Ask HR").

    Staff may give their name (HR tells them when it is answered) or not; parents have no account and may leave
    an email address to be told, which is deleted once they are. An anonymous question holds nothing that
    identifies its sender: no user, no address, no IP address, and the day it was asked rather than the time
    (a time could be matched against sign-in records). guidance/questions.py groups and answers them.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for an answer"
        DRAFTED = "drafted", "Answer being written"
        ANSWERED = "answered", "Answered"
        SET_ASIDE = "set_aside", "Set aside"

    text = models.TextField(max_length=500)
    searched = models.CharField(max_length=200, blank=True, help_text="The search that found nothing good.")
    audience = models.CharField(
        max_length=10, choices=[(Audience.STAFF, "Staff"), (Audience.PARENTS, "Parents and carers")]
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_to = models.EmailField(blank=True, help_text="A parent's address to tell them; deleted once told.")
    asked_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    answer = models.ForeignKey(
        GuidanceAnswerPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    told_on = models.DateField(null=True, blank=True)
    # In a trust, the asker's school (staff) or the school whose site a parent asked on; None: the trust's own.
    # Its HR sees, answers and sets it aside; the answer is drafted in that school's guidance.
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        permissions = [("answer_question", "See and answer the questions people send from search")]
        indexes = [models.Index(fields=["status", "audience"])]

    def __str__(self):
        return self.text[:80]

    @property
    def named(self):
        return bool(self.asked_by_id or self.reply_to)
