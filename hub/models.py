"""The site's front pages: the home page (a door for each audience), the staff hub (what to read, guidance,
forms) and the parents' page (what the rules mean for families, the school's official accounts). They sit above
the policies, guidance and forms, and gather what those apps offer: the hub's panels and the parents' questions
come through the "staff_hub_context" and "parents_page_context" hooks those apps register."""

from django.db import models
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail import blocks, hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts import contacts
from core import published
from core.page_cache import CachedForReaders, CachedForVisitors
from core.privacy import is_restricted
from core.published import RestrictionsFromSnapshot, published_data
from policypages import reading
from policypages.blocks import SectionBodyBlock
from policypages.models import PolicyIndexPage, PolicyPage
from schools.services import school_sites


class HomePage(RestrictionsFromSnapshot, CachedForVisitors, Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["hub.StaffHubPage", "hub.ParentsPage", "policypages.PolicyIndexPage"]
    max_count = 1

    class Meta:
        db_table = "policypages_homepage"  # made by the policies app, before the front pages had their own

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A door per audience, named for who walks through it rather than for the page (each page type's `door`).
        doors = []
        for child in self.get_children().live().in_menu().specific():
            heading, text = child.door if hasattr(child, "door") else (child.title, child.search_description)
            # Only visitors are told to sign in (the page cache keeps their copy apart from staff's).
            sign_in = isinstance(child, StaffHubPage) and not request.user.is_authenticated
            doors.append({"page": child, "heading": heading, "text": text, "sign_in": sign_in})
        context["doors"] = doors
        return context


class StaffHubPage(RestrictionsFromSnapshot, CachedForReaders, RoutablePageMixin, Page):
    """The staff intranet's front page: ask a question, see what to read, find a form.

    Its privacy is set to 'signed-in users' by setup_site. Kept in the signed-in page cache per audience; the
    greeting and "Policies you need to read" are each reader's own ({% personal %}, personal_context).
    """

    door = ("I work here", "Guidance, the policies you need to read, and forms.")

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    popular_questions = StreamField(
        [("answer", blocks.PageChooserBlock(page_type="guidance.GuidanceAnswerPage"))],
        blank=True,
        max_num=8,
        help_text="Questions to show on the staff hub, in this order. Space left over is filled with the answers "
        "staff found most helpful recently.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("popular_questions")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["policypages.PolicyIndexPage", "guidance.GuidanceIndexPage", "declarations.RecordFormPage"]
    max_count_per_parent = 1

    class Meta:
        db_table = "policypages_staffhubpage"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The hub's panels come from the apps above this one (guidance lists and popular answers, the forms),
        # each registering a "staff_hub_context" hook: this app knows none of them by name.
        for panel in hooks.get_hooks("staff_hub_context"):
            context.update(panel(self, request))
        return context | self.personal_context(request)

    @property
    def chosen_questions(self):
        """The answers HR chose to show on the hub, in their order (live or not: the panel decides)."""
        return [block.value.specific for block in self.popular_questions if block.value]

    def personal_context(self, request):
        """For the greeting and "Policies you need to read": the reader's own statuses."""
        statuses = reading.my_policies(request.user) if request.user.is_authenticated else []
        return {
            "page": self,
            "request": request,
            # The policy lists anyone may open (Wagtail's .public(), judged from the published snapshot).
            "policy_indexes": [
                index
                for index in published_data(
                    # This school's: in a trust each school's staff hub lists its own school's policies.
                    self,
                    "policy lists",
                    lambda: list(PolicyIndexPage.objects.live().descendant_of(self.get_parent()).order_by("path")),
                )
                if not is_restricted(index)
            ],
            "to_read": [s for s in statuses if s.is_outstanding],
            "overdue_count": sum(s.overdue for s in statuses),
            "policies_total": len(statuses),
            # Called only where the key contacts are shown (a template calls a callable): whoever holds each role
            # today, read when the hub is, so a change of DSL shows at once, not when the cached page next changes.
            "key_contacts": lambda: self.key_contacts(),
        } | self._readers_own_panels(request)

    def _readers_own_panels(self, request):
        """What the apps above add about this reader ("staff_hub_reader_context" hooks: a new reply to a form)."""
        context = {}
        for panel in hooks.get_hooks("staff_hub_reader_context"):
            context.update(panel(self, request))
        return context

    def key_contacts(self):
        """This hub's school's safeguarding leads, HR and data protection officer (accounts/contacts.py)."""
        sites = school_sites(published.current())
        if sites is None:
            return contacts.key_contacts()
        school_id = next((pk for root, pk in sites if self.path.startswith(root)), None)
        return contacts.key_contacts(school_id, central_team=school_id is None)

    @path("my-policies/")
    def my_policies_view(self, request):
        """Every policy this person must read, with their status and due date. Only their own."""
        statuses = reading.my_policies(request.user)
        # Not self.render(): that would work out the whole hub's context first, for nothing.
        return TemplateResponse(
            request,
            "hub/my_policies.html",
            {
                "page": self,
                "self": self,
                "statuses": statuses,
                "outstanding": [s for s in statuses if s.is_outstanding],
                "overdue_count": sum(s.overdue for s in statuses),
            },
        )


class ParentsPage(RestrictionsFromSnapshot, CachedForVisitors, Page):
    """The public, parent-facing section: what the rules mean for families, the school's official accounts,
    parents' questions and the public policies. No account needed; nothing staff-only is listed."""

    door = (
        "I am a parent or carer",
        "What our policies mean for your family, our official accounts and how to raise a concern. No account needed.",
    )

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(SectionBodyBlock(), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel(
            "official_accounts",
            heading="The school's official accounts",
            label="Account",
            help_text="Parents can check here whether an account really belongs to the school.",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["policypages.PolicyIndexPage", "guidance.GuidanceIndexPage"]  # forms are for staff, in the hub
    max_count_per_parent = 1

    class Meta:
        db_table = "policypages_parentspage"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["public_policies"] = PolicyPage.with_versions(PolicyPage.objects.live().public().order_by("title"))
        context["accounts"] = self.official_accounts.all()
        # Parents' questions come from guidance, a layer above, through its "parents_page_context" hook.
        for panel in hooks.get_hooks("parents_page_context"):
            context.update(panel(self, request))
        return context


class OfficialAccount(Orderable):
    """One of the school's own social media accounts, listed for parents (the policy's official accounts)."""

    page = ParentalKey(ParentsPage, on_delete=models.CASCADE, related_name="official_accounts")
    platform = models.CharField(max_length=60, help_text="e.g. Facebook, Instagram, X, YouTube, LinkedIn.")
    name = models.CharField(max_length=120, help_text="The account's name or handle as people see it, e.g. @oakbrook.")
    url = models.URLField("Link", help_text="The account's address, so parents can check it is the real one.")
    purpose = models.CharField(
        max_length=200, blank=True, help_text="What the school posts there, e.g. 'News, events and closures'."
    )

    panels = [FieldPanel("platform"), FieldPanel("name"), FieldPanel("url"), FieldPanel("purpose")]

    class Meta(Orderable.Meta):
        db_table = "policypages_officialaccount"

    def __str__(self):
        return f"{self.platform}: {self.name}"
