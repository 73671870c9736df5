"""The page tree of the policy site, and the issued versions of each policy.

Home → Staff hub (login required) / Parents (public) / Policies → Policy → Policy sections.
A policy is the unit of approval and acknowledgement; each numbered section is its own page
so that Wagtail's revisions give every section its own history.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login as django_redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    AbstractGroupApprovalTask,
    Page,
    PageViewRestriction,
    Revision,
    TaskState,
    WorkflowState,
)
from wagtail.search import index

from accounts import reauth
from core import published
from core.page_cache import CachedForReaders
from core.privacy import is_restricted, refused_paths, visible_to
from core.published import RestrictionsFromSnapshot, published_data
from schools.models import Trust
from schools.permissions import site_roots_within_reach, within_reach
from schools.services import in_central_team

from .blocks import CheckQuestionBlock, SectionBodyBlock
from .page_forms import PolicyPageForm, PolicySectionPageForm
from .panels import NextVersionPanel, SectionsPanel
from .permissions import (
    PolicyIndexPermissionTester,
    PolicyPermissionTester,
    SectionPermissionTester,
    VersionWithGovernorsLock,
)


class PolicyIndexPage(RestrictionsFromSnapshot, CachedForReaders, Page):
    door = ("All policies", "Every policy, with its status, version history and a PDF copy.")
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["hub.HomePage", "hub.StaffHubPage", "hub.ParentsPage"]
    subpage_types = ["policypages.PolicyPage"]
    max_count_per_parent = 1

    def permissions_for_user(self, user):
        return PolicyIndexPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        policies = PolicyPage.with_versions(PolicyPage.objects.child_of(self).live().order_by("title"))
        context["policies"] = visible_to(request, policies)
        context["trust_policies"] = visible_to(
            request, published_data(self, "trust policies for every school", self.trust_policies_for_every_school)
        )
        return context

    def trust_policies_for_every_school(self):
        """In a school's list, the trust's policies that every school follows as written (kept in the trust's
        own site, one list of them for all the schools). None on a site with one school: no query."""
        if len(published.current().sites) < 2:
            return []
        place = self.get_parent().specific_class
        found = PolicyPage.with_versions(
            PolicyPage.objects.live()
            .filter(sharing=Sharing.EVERY_SCHOOL)
            .exclude(path__startswith=self.path[: 2 * self.steplen])  # this site's own are listed already
        ).order_by("title")
        return [policy for policy in found if policy.get_parent().get_parent().specific_class is place]


LABEL_PATTERN = re.compile(r"^\d{1,3}(\.\d{1,3}){0,2}$")


def label_key(label):
    return tuple(int(part) for part in label.split("."))


class VersionStage(models.TextChoices):
    """Where a policy's next version stands (PolicyPage.draft_version); worked out from Wagtail's workflow."""

    PREPARING = "preparing", "Being prepared"
    WITH_GOVERNORS = "with governors", "With the governors"
    SENT_BACK = "sent back", "Sent back"
    SCHEDULED = "approved, waiting to go live", "Approved, waiting to go live"


@dataclass
class DraftVersion:
    """The version HR is preparing: the policy's own draft fields and every section changed or added."""

    policy: "PolicyPage"
    stage: str  # a VersionStage
    label: str
    summary: str
    change_type: str
    changed_sections: list
    reordered: bool = False  # the sections' order differs from the issued version's
    workflow_state: WorkflowState | None = None
    sent_back: TaskState | None = None  # the governors' decision to send it back, with their comment
    approval: TaskState | None = None  # SCHEDULED: the approval, waiting for its go-live time
    go_live_at: datetime.datetime | None = None

    @property
    def is_substantive(self):
        return self.change_type == ChangeType.SUBSTANTIVE

    @property
    def can_be_abandoned(self):
        return self.stage != VersionStage.WITH_GOVERNORS and self.policy.live


class ChangeType(models.TextChoices):
    SUBSTANTIVE = "substantive", "Substantive: staff must read it again"
    EDITORIAL = "editorial", "Editorial: wording or layout only, no re-reading needed"


class Sharing(models.TextChoices):
    """In a trust, who a policy is for (policypages/adoption.py). A single school's policies are all its own."""

    SCHOOL = "school", "This school only"
    EVERY_SCHOOL = "every_school", "Every school in the trust, as the trust wrote it"
    ADOPTED = "adopted", "Every school adopts it, writing its own local sections"


class ReviewState(models.TextChoices):
    """Whether a policy's review is due (PolicyPage.review_status)."""

    OVERDUE = "overdue", "Review overdue"
    DUE_SOON = "due-soon", "Review due soon"
    OK = "ok", "Review not yet due"
    NOT_SET = "not-set", "No review date"


class PolicyPage(RestrictionsFromSnapshot, CachedForReaders, RoutablePageMixin, Page):
    """A whole policy: its document status, its sections (child pages) and its issued versions."""

    summary = models.TextField(
        blank=True, help_text="One or two sentences: what this policy is for and who it applies to."
    )
    policy_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_policies",
        help_text="The person responsible for reviewing this policy. Review reminders go to them.",
    )
    contact_email = models.EmailField(
        blank=True, help_text="Where staff send questions about this policy. Used for reminders if there is no owner."
    )
    key_staff = models.CharField(
        max_length=255, blank=True, help_text="Named staff, e.g. 'Headteacher; Designated safeguarding lead'."
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    related_policies = ParentalManyToManyField("self", blank=True, symmetrical=False)
    legislation = models.TextField(
        blank=True, help_text="Laws and statutory guidance this policy rests on, one per line."
    )
    acknowledgement_required = models.BooleanField(
        default=True,
        help_text="Staff must confirm they have read each substantive version of this policy.",
    )
    applies_to = ParentalManyToManyField(
        "auth.Group",
        blank=True,
        related_name="+",
        help_text="Who must read it. Leave empty for all staff.",
    )
    understanding_check = StreamField(
        [("question", CheckQuestionBlock())],
        blank=True,
        verbose_name="check your understanding",
        help_text="Optional: a few questions staff answer before they confirm they have read this version, each "
        "tied to the section that answers it. They go live with the next version.",
    )
    # The next version, prepared by HR and approved by governors (policypages/versioning.py). Kept on the
    # policy's draft revisions, so two editors see each other's wording and Wagtail's locks apply; emptied
    # when the version is issued.
    next_version_label = models.CharField(
        "version number", max_length=20, blank=True, help_text="The new version's number, e.g. 4 or 3.1."
    )
    next_version_summary = models.TextField(
        "summary of changes",
        blank=True,
        help_text="What changed and why, in a sentence or two. Governors and staff read this.",
    )
    next_version_change_type = models.CharField(
        "kind of change", max_length=20, choices=ChangeType.choices, default=ChangeType.SUBSTANTIVE
    )
    # In a trust (policypages/adoption.py): a trust policy is shared with its schools, as written or adopted
    # with local sections; a school's copy of an adopted policy names the trust's policy and the trust version
    # it follows (kept in revisions: a re-adoption changes it only when the school's version is issued).
    sharing = models.CharField(
        "who this policy is for",
        max_length=20,
        choices=Sharing.choices,
        default=Sharing.SCHOOL,
        help_text="A trust policy is written once in the trust's site. 'Adopts' policies get a copy in each "
        "school, where the school writes the sections the trust lets it adapt.",
    )
    adopted_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_copies",
        editable=False,
        help_text="The trust's policy this is a school's copy of.",
    )
    adopted_trust_version = models.ForeignKey(
        "PolicyVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("policy_owner"),
                FieldPanel("contact_email"),
                FieldPanel("key_staff"),
                FieldPanel("last_reviewed"),
                FieldPanel("next_review_due"),
            ],
            heading="Document status",
        ),
        FieldPanel("related_policies", widget=forms.CheckboxSelectMultiple),
        FieldPanel("legislation"),
        MultiFieldPanel(
            [FieldPanel("acknowledgement_required"), FieldPanel("applies_to", widget=forms.CheckboxSelectMultiple)],
            heading="Reading and acknowledgement",
        ),
        FieldPanel("understanding_check", heading="Check your understanding"),
        FieldPanel("sharing", widget=forms.RadioSelect),
        NextVersionPanel(
            [
                FieldPanel("next_version_label"),
                FieldPanel("next_version_change_type", widget=forms.RadioSelect),
                FieldPanel("next_version_summary"),
            ],
            heading="Next version",
        ),
        SectionsPanel(heading="Sections"),
    ]
    # The page listing shows a policy's sections in their order, not by when they were last changed.
    admin_default_ordering = "ord"
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["policypages.PolicyIndexPage"]
    subpage_types = ["policypages.PolicySectionPage"]

    class Meta:
        verbose_name = "policy"
        verbose_name_plural = "policies"

    base_form_class = PolicyPageForm  # checks the next version is ready when HR submits it

    def permissions_for_user(self, user):
        return PolicyPermissionTester(user, self)

    # --- document status ---------------------------------------------------------------

    @cached_property
    def versions(self):
        if "issued_versions" in getattr(self, "_prefetched_objects_cache", {}):  # a list of policies: one query
            return list(self.issued_versions.all())
        # Issuing a version changes the content version, so the published list is never behind.
        return published_data(
            self,
            "policy versions",
            lambda: list(self.issued_versions.select_related("issued_by").order_by("-issued_at")),
        )

    @staticmethod
    def with_versions(policies):
        """`policies` with their issued versions read in one query for the lot (PolicyPage.versions)."""
        newest_first = PolicyVersion.objects.select_related("issued_by").order_by("-issued_at")
        return policies.prefetch_related(Prefetch("issued_versions", queryset=newest_first))

    @property
    def current_version(self):
        return self.versions[0] if self.versions else None

    def draft_version(self):
        """The version being prepared (DraftVersion), or None when nothing differs from what is live."""
        prepared = self.get_latest_revision_as_object() if self.has_unpublished_changes else self
        sections = self.section_drafts()
        changed = [section for section in sections if section.in_next_version]
        reordered = self.sections_reordered(sections)
        state = self.current_workflow_state
        if state is None and not changed and not reordered and not self.has_unpublished_changes:
            return None
        stage, sent_back, waiting = VersionStage.PREPARING, None, None
        if state is None and (waiting := self.approved_waiting_to_go_live()):
            stage = VersionStage.SCHEDULED
        elif state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
            stage = VersionStage.WITH_GOVERNORS
        elif state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            stage = VersionStage.SENT_BACK
            sent_back = (
                state.task_states.filter(status=TaskState.STATUS_REJECTED)
                .select_related("finished_by")
                .order_by("-finished_at")
                .first()
            )
        return DraftVersion(
            policy=self,
            stage=stage,
            label=prepared.next_version_label,
            summary=prepared.next_version_summary,
            change_type=prepared.next_version_change_type,
            changed_sections=changed,
            reordered=reordered,
            workflow_state=state,
            sent_back=sent_back,
            approval=waiting[0] if waiting else None,
            go_live_at=waiting[1] if waiting else None,
        )

    def approved_waiting_to_go_live(self):
        """(the approval, the go-live time) when governors approved the prepared version for a later date and it
        has not gone live yet; else None. Until it does, the policy's newest revision is the one they approved,
        holding the version's number (issuing it empties that)."""
        if not self.latest_revision_id or not self.has_unpublished_changes:
            return None
        approval = (
            TaskState.objects.filter(
                revision_id=self.latest_revision_id,
                status=TaskState.STATUS_APPROVED,
                workflow_state__status=WorkflowState.STATUS_APPROVED,
            )
            .select_related("finished_by", "workflow_state__requested_by", "workflow_state__workflow")
            .order_by("-finished_at")
            .first()
        )
        if approval is None:
            return None
        prepared = approval.revision.as_object()
        if not prepared.next_version_label or not prepared.go_live_at:
            return None
        return approval, prepared.go_live_at

    def get_lock(self):
        if lock := super().get_lock():
            return lock
        if self.approved_waiting_to_go_live():
            return VersionWithGovernorsLock(self, self, approved=True)
        return None

    def section_drafts(self):
        """Every section, in order, each with `draft` (its newest text, the page itself when it has no newer
        one) and `in_next_version` (whether the next version adds, changes or removes it)."""
        sections = list(PolicySectionPage.objects.child_of(self).order_by("path"))
        for section in sections:
            section.draft = section.get_latest_revision_as_object() if section.has_unpublished_changes else section
            if section.live:
                section.in_next_version = section.has_unpublished_changes
            else:  # new, unless it is one an earlier version took down and nobody has brought back
                section.in_next_version = not section.draft.remove_in_next_version
        return sections

    def check_label(self, label):
        """The label of a new version: a number after the current version's."""
        label = (label or "").strip()
        if not LABEL_PATTERN.match(label):
            raise ValidationError({"label": "Use a version number such as 3 or 3.1."})
        latest = self.issued_versions.order_by("-issued_at").first()
        if latest and label_key(label) <= label_key(latest.label):
            raise ValidationError(
                {"label": f"Version {label} is not after the current version {latest.label}; use a higher number."}
            )
        return label

    def suggested_next_label(self, substantive=True):
        latest = self.issued_versions.order_by("-issued_at").first()
        if latest is None:
            return "1"
        parts = label_key(latest.label)
        if substantive:
            return str(parts[0] + 1)
        return f"{parts[0]}.{parts[1] + 1 if len(parts) > 1 else 1}"

    def check_next_version(self, label=None, summary=None):
        """What stops the prepared version going to the governors, as {field: message}; empty when ready."""
        label = self.next_version_label if label is None else label
        summary = self.next_version_summary if summary is None else summary
        problems = {}
        try:
            self.check_label(label)
        except ValidationError as exc:
            problems["next_version_label"] = exc.message_dict["label"][0]
        if not (summary or "").strip():
            problems["next_version_summary"] = "Say what changed and why, in a sentence or two."
        return problems

    def review_status(self, today=None):
        if not self.next_review_due:
            return ReviewState.NOT_SET
        today = today or timezone.localdate()
        if self.next_review_due < today:
            return ReviewState.OVERDUE
        if self.next_review_due <= today + datetime.timedelta(days=settings.POLICY_REVIEW_DUE_SOON_DAYS):
            return ReviewState.DUE_SOON
        return ReviewState.OK

    @property
    def legislation_list(self):
        return [line.strip() for line in self.legislation.splitlines() if line.strip()]

    def review_contact_email(self):
        if self.policy_owner_id and self.policy_owner.email:
            return self.policy_owner.email
        return self.contact_email

    # --- sections ------------------------------------------------------------------------

    def live_sections(self):
        """The live sections in the page tree's order, which is the next version's (HR may reorder them)."""
        return PolicySectionPage.objects.child_of(self).live().order_by("path")

    def published_sections(self):
        """The live sections in the issued version's order, read once per content version: reordering the
        tree prepares the next version and changes nothing readers see until it is approved."""
        return published_data(self, "policy sections", lambda: self.in_issued_order(list(self.live_sections())))

    def in_issued_order(self, sections):
        version = self.current_version
        if version is None:
            return sections
        position = {s.section_id: s.position for s in version.sections.all()}
        # A stable sort: a section the version does not hold keeps its place in the tree's order, after them.
        return sorted(sections, key=lambda section: position.get(section.pk, len(position) + 1))

    def sections_reordered(self, sections):
        """Whether the tree's order of the live `sections` (the next version's) differs from the issued one."""
        return [s.pk for s in sections if s.live] != [
            s.pk for s in self.in_issued_order([s for s in sections if s.live])
        ]

    def sections_for(self, request):
        """The live sections this reader may see, in order."""
        return visible_to(request, self.published_sections())

    def draft_sections(self):
        """(The policy as its next version would read: every section's latest draft in the tree's order, those
        to be removed left out; how many are new or changed). For "View draft" / preview: HR and the governors
        read the whole draft policy before approving it."""
        sections, changed = [], 0
        for section in PolicySectionPage.objects.child_of(self).order_by("path"):
            is_draft = not section.live or section.has_unpublished_changes
            if is_draft:
                section = section.get_latest_revision_as_object()
            if not section.remove_in_next_version:
                sections.append(section)
                changed += is_draft
        return sections, changed

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            every_section, changed = self.draft_sections()
            context["draft_preview"] = {"sections": len(every_section), "changed": changed}
        else:
            every_section = self.published_sections()
        sections = visible_to(request, every_section)
        context["sections"] = sections
        context["hidden_section_count"] = len(every_section) - len(sections)
        context["versions"] = self.versions
        context["current_version"] = self.current_version
        context["review_status"] = self.review_status()
        context.update(self.trust_context(request))
        context["related"] = visible_to(
            request,
            published_data(
                self, "related policies", lambda: list(live_related(self.related_policies).order_by("title")), request
            ),
        )
        context.update(self.reading_context(request))
        return context

    def trust_context(self, request):
        """A school's copy of a trust policy says when the trust has issued a newer version it has not yet
        re-adopted; the trust's own text of a policy schools adopt points the reader to their school's copy."""
        if self.adopted_from_id:
            newer = published_data(self, "newer trust version", lambda: adoption.newer_trust_version(self))
            return {"newer_trust_version": newer}
        if self.sharing == Sharing.ADOPTED:
            school = getattr(request.user, "school", None)
            return {"adopted_by_schools": True, "school_copy": adoption.copy_in(school, self) if school else None}
        return {}

    def personal_context(self, request):
        """For the page's {% personal %} parts: the reader's status, what changed for them, their confirm form."""
        return {"page": self, "request": request, "current_version": self.current_version} | self.reading_context(
            request
        )

    def reading_context(self, request):
        """The reader's own acknowledgement status, and what changed since the version they confirmed."""
        status = reading.status_for(request.user, self) if self.acknowledgement_required else None
        changes = []
        if status is not None and status.state == reading.ReadingState.NEEDS_REREAD and status.confirmed_version:
            changes = [
                change
                for change in services.compare_versions(status.confirmed_version, self.current_version, request=request)
                if change.status != "unchanged"
            ]
        questions = 0
        if status is not None and status.confirmed_version_id != getattr(self.current_version, "pk", None):
            questions = len(understanding.questions_for(self.current_version))
        return {"reading_status": status, "changes_since_confirmed": changes, "understanding_questions": questions}

    @path("confirm/")
    def confirm_view(self, request):
        """'I have read and understood version N': POST only, for signed-in readers."""
        if not request.user.is_authenticated:
            return redirect_to_login(request)
        if request.method != "POST":
            return redirect(self.url)
        confirmed_with = ""
        if SchoolBranding.for_request(request).confirm_by_signing_in_again:
            current = self.current_version
            if (
                current
                and not understanding.still_to_answer(request.user, current)
                and not reauth.signed_in_recently(request)
            ):
                return reauth.sign_in_again(request, self.url + "#acknowledgement")
            confirmed_with = reauth.how(request)
        try:
            result = reading.confirm_read(
                request.user, self, request.POST.get("version"), confirmed_with=confirmed_with
            )
        except reading.CheckNotPassed as exc:
            messages.info(request, exc.messages[0])
            return redirect(self.url + self.reverse_subpage("check_view"))
        except reading.StaleVersion as exc:
            messages.warning(request, exc.messages[0])
            return redirect(self.url + "#what-changed")
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(self.url)
        version = result.receipt.version
        when = timezone.localtime(result.receipt.confirmed_at).strftime("%-d %B %Y")
        if result.created:
            messages.success(request, f"Thank you. You have confirmed that you have read version {version.label}.")
        else:
            messages.info(request, f"You already confirmed version {version.label} on {when}.")
        return redirect(self.url + "#acknowledgement")

    @path("check/")
    def check_view(self, request):
        """Check your understanding of the current version, before confirming it: works without JavaScript."""
        if not request.user.is_authenticated:
            return redirect_to_login(request)
        version = self.current_version
        questions = understanding.questions_for(version)
        if not questions or not self.acknowledgement_required:
            return redirect(self.url)
        context = {"page": self, "version": version, "questions": questions, "marked": None, "unanswered": []}
        status = reading.status_for(request.user, self)
        if status is not None and status.confirmed_version_id == version.pk:
            return redirect(self.url + "#acknowledgement")  # already confirmed: nothing more to check
        to_answer = {q.id for q in understanding.still_to_answer(request.user, version)}
        context["passed"] = not to_answer
        if request.method == "POST" and to_answer:
            answers = {q.id: request.POST.getlist(f"q-{q.id}")[:10] for q in questions if q.id in to_answer}
            context["unanswered"] = [q for q in questions if q.id in to_answer and not answers[q.id]]
            if not context["unanswered"]:
                context["marked"] = {m.question.id: m for m in understanding.mark(request.user, version, answers)}
                context["passed"] = all(m.right for m in context["marked"].values())
            context["answers"] = answers
        context["right_before"] = {q.id for q in questions} - to_answer
        status_code = 400 if context["unanswered"] else 200
        response = TemplateResponse(request, "policypages/understanding_check.html", context, status=status_code)
        response["Cache-Control"] = "private, no-store"
        return response

    @path("pdf/")
    def pdf_view(self, request):
        """The current version as a PDF, with the sections this reader may see (parents get the public ones).

        Built from the issued snapshot, not the live pages, so the paper copy is exactly what was approved.
        Cached: it takes about 80 ms to build and an issued version never changes.
        """
        version = self.current_version
        if version is None:
            raise Http404("This policy has not been issued yet")
        every_section = list(version.sections.all())
        sections = version.sections_for(request)
        school = SchoolBranding.for_request(request).display_name
        # Everything the PDF shows that can change after issue (the school's name, the policy's title, owner,
        # review date) is in the key, with the version and exactly which sections this reader gets.
        shown = (school, self.pk, self.title, self.summary, self.policy_owner_id, self.next_review_due)
        issued = (version.pk, version.issued_at.isoformat(), [s.pk for s in sections])
        fingerprint = hashlib.sha256(repr((shown, issued)).encode()).hexdigest()
        key = f"policy-pdf:{fingerprint}"
        content = cache.get(key)
        if content is None:
            content = pdf.policy_pdf(
                school=school,
                policy=self,
                version=version,
                sections=sections,
                hidden_count=len(every_section) - len(sections),
            )
            cache.set(key, content, 60 * 60 * 24)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{self.slug}-version-{version.label}.pdf"'
        # A staff copy holds staff-only sections: never let a shared cache keep it.
        response["Cache-Control"] = "private, max-age=300"
        return response

    # --- past versions and comparisons (signed-in readers only) ------------------------

    @path("versions/<str:label>/")
    def version_view(self, request, label):
        if not request.user.is_authenticated:
            return redirect_to_login(request)
        version = self.issued_versions.filter(label=label).first()
        if version is None:
            raise Http404("No such version")
        return self.render(
            request,
            template="policypages/policy_version.html",
            context_overrides={
                "version": version,
                "version_sections": version.sections_for(request),
                "versions": self.versions,
            },
        )

    @path("compare/")
    def compare_view(self, request):
        if not request.user.is_authenticated:
            return redirect_to_login(request)
        versions = self.versions
        if len(versions) < 2:
            raise Http404("Only one version has been issued")
        by_label = {v.label: v for v in versions}
        old = by_label.get(request.GET.get("from")) or versions[1]
        new = by_label.get(request.GET.get("to")) or versions[0]
        if old.issued_at > new.issued_at:
            old, new = new, old
        return self.render(
            request,
            template="policypages/policy_compare.html",
            context_overrides={
                "old": old,
                "new": new,
                "changes": services.compare_versions(old, new, request=request),
                "versions": versions,
            },
        )


class PolicySectionPage(RestrictionsFromSnapshot, CachedForReaders, Page):
    """One numbered section of a policy, e.g. '5. Friend requests and contact'."""

    number = models.CharField(max_length=20, help_text="The section number readers cite, e.g. '5' or 'Appendix A'.")
    body = StreamField(SectionBodyBlock(), use_json_field=True)
    # Kept in the section's draft: the section leaves the policy when its next version is approved.
    remove_in_next_version = models.BooleanField(
        "remove this section in the next version",
        default=False,
        help_text="The section stays as it is until the governors approve the next version; then it is taken "
        "down. Its history is kept.",
    )
    # In a trust policy that schools adopt: whether each school writes its own text for this section.
    adaptable = models.BooleanField(
        "schools write their own version of this section",
        default=False,
        help_text="For sections that differ by school: key contacts, a local procedure. The rest of the policy "
        "is the trust's text in every school.",
    )
    # In a school's copy of a trust policy: the trust's section this one follows.
    trust_section = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    base_form_class = PolicySectionPageForm  # no trust-only choices on a single school's site

    content_panels = [
        HelpPanel(
            "Saving keeps your change as a draft of the policy's next version. Nothing here goes live until the "
            "governors approve that version: when every change is ready, submit it from the policy's own page."
        ),
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("remove_in_next_version"),
        FieldPanel("adaptable"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.FilterField("number"),
    ]
    parent_page_types = ["policypages.PolicyPage"]
    subpage_types = []

    class Meta:
        verbose_name = "policy section"

    @property
    def heading(self):
        return section_heading(self.number, self.title)

    def permissions_for_user(self, user):
        return SectionPermissionTester(user, self)

    # A section is never submitted on its own: it goes to governors inside its policy's next version.
    @property
    def has_workflow(self):
        return False

    def get_workflow(self):
        return None

    def get_lock(self):
        if lock := super().get_lock():
            return lock
        policy = self.get_parent()
        if policy is None or policy.specific_class is not PolicyPage:
            return None
        if policy.workflow_in_progress:
            return VersionWithGovernorsLock(self, policy)
        if policy.specific.approved_waiting_to_go_live():
            return VersionWithGovernorsLock(self, policy, approved=True)
        return None

    @cached_property
    def follows_trust_text(self):
        """In a school's copy of a trust policy: a section whose text is the trust's, which flows in from the
        trust's versions and which the school cannot change (policypages/adoption.py)."""
        return (
            self.trust_section_id is not None
            and PolicySectionPage.objects.filter(pk=self.trust_section_id, adaptable=False).exists()
        )

    def get_admin_display_title(self):
        # "4. Personal accounts" in the admin's listings, breadcrumbs and choosers.
        return section_heading(self.number, super().get_admin_display_title())

    @property
    def anchor(self):
        return section_anchor(self.number, self.pk)

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else None
        if parent is None and hasattr(self, "_parent_for_validation"):
            parent = self._parent_for_validation
        if parent is not None and self.number:
            clash = (
                PolicySectionPage.objects.child_of(parent)
                .filter(number__iexact=self.number.strip())
                .exclude(pk=self.pk)
            )
            if clash.exists():
                raise ValidationError({"number": f"Section {self.number} already exists in this policy."})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        policy = published_data(self, "section's policy", lambda: self.get_parent().specific)
        siblings = policy.sections_for(request)
        ids = [s.pk for s in siblings]
        position = ids.index(self.pk) if self.pk in ids else None
        context["policy"] = policy
        context["previous_section"] = siblings[position - 1] if position else None
        context["next_section"] = (
            siblings[position + 1] if position is not None and position + 1 < len(siblings) else None
        )
        context["current_version"] = policy.current_version
        context["staff_only"] = is_restricted(self)
        # A section being previewed before its first save has no answers yet.
        answers = published_data(
            self, "answers citing it", lambda: list(self.guidance_answers.live().order_by("title"))
        )
        context["answers"] = visible_to(request, answers)
        return context


def section_heading(number, title):
    number = (number or "").strip()
    if not number:
        return title
    if number[-1].isdigit():
        return f"{number}. {title}"
    return f"{number}: {title}"


def section_anchor(number, fallback):
    slug = "".join(ch if ch.isalnum() else "-" for ch in (number or "").lower()).strip("-")
    return f"section-{slug or fallback}"


def redirect_to_login(request):
    return django_redirect_to_login(request.get_full_path(), settings.WAGTAIL_FRONTEND_LOGIN_URL)


def live_related(relation):
    """The live pages of a page-to-pages relation, as a queryset, also in a preview or a past revision, where
    Wagtail gives the relation as modelcluster's in-memory list (it has no `.live()`)."""
    model = relation.model
    return model.objects.filter(pk__in=[page.pk for page in relation.all()]).live()


# --- issued versions ------------------------------------------------------------------------


class ImmutableRecord(models.Model):
    """Issued versions are the school's evidence of what staff were asked to read: never rewritten."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise ValidationError(f"An issued {self._meta.verbose_name} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"An issued {self._meta.verbose_name} cannot be deleted.")


class PolicyVersion(ImmutableRecord):
    SUBSTANTIVE = ChangeType.SUBSTANTIVE
    EDITORIAL = ChangeType.EDITORIAL
    CHANGE_TYPES = ChangeType.choices

    policy = models.ForeignKey(PolicyPage, on_delete=models.PROTECT, related_name="issued_versions")
    label = models.CharField(max_length=20, help_text="e.g. 3 or 3.1")
    issued_on = models.DateField(help_text="The date this version takes effect.")
    summary_of_changes = models.TextField()
    change_type = models.CharField(max_length=20, choices=CHANGE_TYPES)
    approved_by = models.CharField(max_length=200, help_text="e.g. 'Full governing body'.")
    approved_on = models.DateField()
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The governor (or owner) who approved it in the admin; empty for versions recorded before.",
    )
    approval_comment = models.TextField(blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    policy_revision = models.ForeignKey(
        Revision,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The policy page's own live revision when this version was issued.",
    )
    # A school's copy of a trust policy: the trust version it was built on, and the label readers see,
    # derived from both ("Trust 4 · Oakbrook 4.1").
    trust_version = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    full_label = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = "policy version"
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "label"], name="unique_version_label_per_policy"),
        ]

    def __str__(self):
        return f"{self.policy.title}, version {self.name}"

    @property
    def name(self):
        """The label readers see: a school's copy of a trust policy names the trust's version too."""
        return self.full_label or self.label

    @property
    def is_substantive(self):
        return self.change_type == self.SUBSTANTIVE

    def get_url(self):
        return self.policy.url + self.policy.reverse_subpage("version_view", args=[self.label])

    def sections_for(self, request):
        """The snapshot's sections this reader may see: staff-only then, or staff-only now, stays hidden."""
        sections = list(self.sections.all())
        restrictions = {}
        for restriction in PageViewRestriction.objects.filter(
            page_id__in=[s.section_id for s in sections if s.section_id]
        ):
            restrictions.setdefault(restriction.page_id, []).append(restriction)
        # And every rule of core.privacy (in a trust, another school's staff-only pages): judged by where the
        # section's page is now, as for the live pages.
        refused = refused_paths(request)
        paths = (
            dict(Page.objects.filter(pk__in=[s.section_id for s in sections if s.section_id]).values_list("pk", "path"))
            if refused
            else {}
        )
        return [
            s
            for s in sections
            if (request.user.is_authenticated or not s.staff_only)
            and all(r.accept_request(request) for r in restrictions.get(s.section_id, ()))
            and not (refused and paths.get(s.section_id, "").startswith(refused))
        ]


class NumberedSection:
    """A section as a version holds it (issued, or prepared): `number`, `title` and `position` make its heading
    and its anchor on the page."""

    @property
    def heading(self):
        return section_heading(self.number, self.title)

    @property
    def anchor(self):
        return section_anchor(self.number, self.position)


class PolicyVersionSection(NumberedSection, ImmutableRecord):
    """A section exactly as it stood, live, when its policy version was issued."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="sections")
    section = models.ForeignKey(
        PolicySectionPage,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The section page today (empty if it was later deleted).",
    )
    revision = models.ForeignKey(Revision, null=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=255)
    # The section body itself is copied, so the record survives revision purges and page deletion.
    body = StreamField(SectionBodyBlock(), use_json_field=True)
    staff_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        verbose_name = "policy version section"

    def __str__(self):
        return f"{self.heading} (version {self.version.label})"

    @property
    def identity(self):
        """What makes 'the same section' across versions: its page, or its number if the page is gone."""
        return ("page", self.section_id) if self.section_id else ("number", self.number.lower())


# --- the governors' approval task ------------------------------------------------------------------
# Wagtail's group approval task with the school's two rules: where the school chooses (a tick on the task, in
# Settings → Workflow tasks) a policy's owner may approve an editorial version of it (wording or layout only,
# no re-reading) instead of the governors; and nobody approves a version they submitted.


class PolicyApprovalTask(AbstractGroupApprovalTask):
    owner_approves_editorial = models.BooleanField(
        "policy owners approve editorial versions",
        default=False,
        help_text="A version marked editorial (wording or layout only, no re-reading) may be approved by the "
        "policy's owner instead of these groups. The version records who approved it.",
    )

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + ["owner_approves_editorial"]

    class Meta:
        verbose_name = "policy approval task"
        verbose_name_plural = "policy approval tasks"

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups approve each policy version; the policy's owner may approve an "
            "editorial one if you allow it. Nobody approves a version they submitted."
        )

    def owner_may_approve(self, obj, user):
        """`user` owns the policy, whose prepared version is editorial, and the school allows owners to."""
        if not self.owner_approves_editorial or getattr(obj, "specific_class", None) is not PolicyPage:
            return False
        policy = obj.specific
        if policy.policy_owner_id is None or policy.policy_owner_id != user.pk:
            return False
        return policy.get_latest_revision_as_object().next_version_change_type == ChangeType.EDITORIAL

    @staticmethod
    def approves_copy(obj, user):
        """A school's copy of a trust policy is approved by the school's governors, or, as the trust sets it,
        only by the trust board (governors in the central team)."""
        if user.is_superuser or in_central_team(user) or not getattr(obj.specific, "adopted_from_id", None):
            return True
        return Trust.load().copies_approved_by != Trust.CopiesApprovedBy.TRUST_BOARD

    def approves_as_member(self, user):
        return user.is_superuser or self._user_in_groups(user)

    def get_actions(self, obj, user):
        state = obj.current_workflow_state
        if state is not None and state.requested_by_id == user.pk:
            return []  # a second pair of eyes, always
        if not within_reach(user, obj) or not self.approves_copy(obj, user):
            return []  # in a trust, a school's governors approve their own school's versions
        if self.approves_as_member(user) or self.owner_may_approve(obj, user):
            return [
                ("reject", "Request changes", True),
                ("approve", "Approve", False),
                ("approve", "Approve with comment", True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        in_progress = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).exclude(
            workflow_state__requested_by=user
        )
        roots = site_roots_within_reach(user)
        if roots is not None:
            near = Q(pk__in=[])
            for root in roots:
                near |= Q(path__startswith=root)
            theirs = PolicyPage.objects.filter(near)
            if Trust.load().copies_approved_by == Trust.CopiesApprovedBy.TRUST_BOARD:
                theirs = theirs.filter(adopted_from=None)  # the trust board approves the schools' copies
            pages = [str(pk) for pk in theirs.values_list("pk", flat=True)]
            in_progress = in_progress.filter(workflow_state__object_id__in=pages)
        if self.approves_as_member(user):
            return in_progress
        if not self.owner_approves_editorial:
            return TaskState.objects.none()
        mine = [
            state.pk
            for state in in_progress.select_related("workflow_state")
            if self.owner_may_approve(state.workflow_state.content_object, user)
        ]
        return TaskState.objects.filter(pk__in=mine)


# --- review reminders ---------------------------------------------------------------------


class ReviewReminder(models.Model):
    """One row per policy per day a reminder went out: makes send_review_reminders idempotent per day."""

    policy = models.ForeignKey(PolicyPage, on_delete=models.CASCADE, related_name="review_reminders")
    sent_on = models.DateField()
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy", "sent_on"], name="one_review_reminder_per_policy_per_day"),
        ]

    def __str__(self):
        return f"Review reminder for {self.policy} to {self.recipient} on {self.sent_on}"


def policies_needing_review(today=None, queryset=None):
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.POLICY_REVIEW_DUE_SOON_DAYS)
    queryset = queryset if queryset is not None else PolicyPage.objects.all()
    return queryset.filter(Q(next_review_due__lte=horizon)).order_by("next_review_due", "title")


# --- read receipts ------------------------------------------------------------------------------


class ReadReceipt(ImmutableRecord):
    """A member of staff confirmed they have read and understood one exact version of a policy.

    Append-only: the school's evidence for an inspector. A person is never deleted while they have
    receipts (deactivate the account instead).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="read_receipts")
    policy = models.ForeignKey(PolicyPage, on_delete=models.PROTECT, related_name="read_receipts")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="read_receipts")
    confirmed_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_with = models.CharField(
        max_length=40,
        blank=True,
        help_text="How the person proved who they were when confirming, when the school asks them to sign in again "
        "('password', 'two-step code', 'school account'); empty when a tick was enough.",
    )
    understanding_tries = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Tries the version's understanding check took; empty if it had none."
    )

    class Meta:
        verbose_name = "read receipt"
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_receipt_per_person_per_version"),
        ]
        indexes = [models.Index(fields=["policy", "user"])]
        permissions = [
            ("view_reading_totals", "Can see how many staff have read each policy (totals only)"),
            ("send_read_reminders", "Can send reminders to staff who have not read a policy"),
        ]

    def __str__(self):
        return f"{self.user} read {self.version} on {self.confirmed_at:%d %b %Y}"


class UnderstandingAnswer(models.Model):
    """One person's answer to one question of a version's understanding check (policypages/understanding.py):
    right the first time or not, and how many tries it took. HR sees the totals, per question."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="understanding_answers")
    question_id = models.CharField(max_length=64)
    right_first_time = models.BooleanField()
    right = models.BooleanField()
    tries = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version", "question_id"], name="one_understanding_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.user} on {self.version}, question {self.question_id}"


class ReadReminder(models.Model):
    """A reading digest sent to one person: at most one a week."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_reminders")
    sent_at = models.DateTimeField(default=timezone.now)
    policy_count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["user", "sent_at"])]

    def __str__(self):
        return f"Reading reminder to {self.user} on {self.sent_at:%d %b %Y}"


class ReadoptionTask(models.Model):
    """The trust issued a substantive version of a policy a school adopted: the school checks its local sections
    against the trust's new text and issues its own version (policypages/adoption.py). Until then the school's
    copy stays as its governors approved it, saying that a newer trust version exists."""

    copy = models.ForeignKey(PolicyPage, on_delete=models.CASCADE, related_name="readoption_tasks")
    trust_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="readoption_tasks")
    why = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    done_version = models.ForeignKey(PolicyVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["copy", "trust_version"], name="one_readoption_per_copy_and_version")
        ]

    def __str__(self):
        return f"Re-adopt version {self.trust_version.label} of {self.copy.title}"


# Modules that use the models above, imported once they exist: the policy page's own views (confirm, check, PDF,
# compare) call them at run time. The branding is a site setting registered with this app's models.
from . import adoption, pdf, reading, services, understanding  # noqa: E402
from .branding import SchoolBranding  # noqa: E402
