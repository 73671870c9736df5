"""A policy's text goes live only as part of a version the governors approved (policypages/versioning.py).

Wagtail asks a page's permission tester before every publish, unpublish, move, delete and reorder, on every
screen and bulk action, so these testers are the one place that rule is enforced for people. Approval itself
publishes with the workflow's authority (policypages/workflows.py), not anyone's publish right.
"""

from django.utils.html import format_html
from wagtail.locks import BaseLock
from wagtail.models import PagePermissionTester

from accounts.wagtail_rules import SET_PAGE_PRIVACY


class PrivacyIsItsOwnRight:
    """Wagtail lets whoever may publish a page set its privacy; the testers below take publishing away from
    everyone, so privacy asks for the publish right Wagtail would otherwise grant, and the school's own
    set-privacy right (accounts/wagtail_rules.py), held by site admins. Privacy is not a publication of text."""

    def can_set_view_restrictions(self):
        return self.user.is_active and self.user.has_perm(SET_PAGE_PRIVACY) and PagePermissionTester.can_publish(self)


class SectionPermissionTester(PrivacyIsItsOwnRight, PagePermissionTester):
    """A policy section: edited as a draft of the policy's next version, never published on its own."""

    def can_edit(self):
        # In a school's copy of a trust policy, the trust's own sections are the trust's to change.
        return not self.page.follows_trust_text and super().can_edit()

    def can_publish(self):
        return False

    def can_unpublish(self):
        return False

    def can_delete(self, ignore_bulk=False):
        if self.page.follows_trust_text:
            return False
        # A live section is part of the issued text; it leaves with a version (a draft one may go).
        return not self.page.live and super().can_delete(ignore_bulk=ignore_bulk)

    def can_move_to(self, destination):
        if self.page.is_child_of(destination):
            # Reordering within its policy prepares the next version (readers keep the issued order).
            return destination.permissions_for_user(self.user).can_reorder_children()
        # Anywhere else, a live section would leave its policy's text outside any version.
        return not self.page.live and super().can_move_to(destination)


class PolicyPermissionTester(PrivacyIsItsOwnRight, PagePermissionTester):
    """A policy: published, with its sections, only when governors approve a version of it."""

    def can_publish(self):
        return False

    def can_publish_subpage(self):
        return False  # "Publish" on a new section would put it live outside a version

    def can_reorder_children(self):
        # The tree's order is the next version's: readers keep the issued version's order until governors
        # approve another (PolicyPage.published_sections). Not while a version waits for them, though.
        policy = self.page.specific
        return (
            self.user.is_active
            and self.can_edit()
            and not policy.workflow_in_progress
            and not policy.approved_waiting_to_go_live()
        )


class PolicyIndexPermissionTester(PagePermissionTester):
    """The policies' list: a new or copied policy is never published from here, only through a version."""

    def can_publish_subpage(self):
        return False


class VersionWithGovernorsLock(BaseLock):
    """A policy's next version is with the governors, or approved and waiting for its go-live date: what they
    approve must be what goes live, so nobody edits the policy's sections (or, once approved, the policy)
    until they decide or it goes live."""

    def __init__(self, page, policy, approved=False):
        super().__init__(page)
        self.policy = policy
        self.approved = approved

    def for_user(self, user):
        return True

    def get_message(self, user):
        if self.approved:
            return format_html(
                "The next version of '{}' is approved and goes live on its go-live date; "
                "it can be changed again after that (or abandon it from Versions and issuing).",
                self.policy.title,
            )
        return format_html(
            "This section is part of the next version of '{}', which is with the governors for approval. "
            "It can be changed again once they approve it or send it back.",
            self.policy.title,
        )

    def get_locked_by(self, user):
        return "Approved, waiting to go live" if self.approved else "Waiting for approval"

    def get_description(self, user):
        if self.approved:
            return "Nobody can change this while its approved version waits for its go-live date."
        return "Nobody can change this section while its policy's next version is being approved."
