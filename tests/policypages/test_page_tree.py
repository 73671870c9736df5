"""The page tree is strict: each page type lives only where it belongs."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from declarations.models import RecordFormPage
from guidance.models import GuidanceAnswerPage, GuidanceIndexPage
from hub.models import HomePage, ParentsPage, StaffHubPage
from policypages.models import PolicyIndexPage, PolicyPage, PolicySectionPage
from sitesetup.setup import setup_site


class PageTreeRules(WagtailPageTestCase):
    def test_parent_and_child_types(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {StaffHubPage, ParentsPage, PolicyIndexPage})
        self.assertAllowedSubpageTypes(StaffHubPage, {PolicyIndexPage, GuidanceIndexPage, RecordFormPage})
        self.assertAllowedParentPageTypes(RecordFormPage, {StaffHubPage})
        self.assertAllowedSubpageTypes(RecordFormPage, set())
        self.assertAllowedSubpageTypes(ParentsPage, {PolicyIndexPage, GuidanceIndexPage})
        self.assertAllowedParentPageTypes(GuidanceIndexPage, {StaffHubPage, ParentsPage})
        self.assertAllowedSubpageTypes(GuidanceIndexPage, {GuidanceAnswerPage})
        self.assertAllowedSubpageTypes(GuidanceAnswerPage, set())
        self.assertAllowedParentPageTypes(PolicyIndexPage, {HomePage, StaffHubPage, ParentsPage})
        self.assertAllowedSubpageTypes(PolicyIndexPage, {PolicyPage})
        self.assertAllowedParentPageTypes(PolicyPage, {PolicyIndexPage})
        self.assertAllowedSubpageTypes(PolicyPage, {PolicySectionPage})
        self.assertAllowedParentPageTypes(PolicySectionPage, {PolicyPage})
        self.assertAllowedSubpageTypes(PolicySectionPage, set())

    def test_index_pages_cannot_be_created_twice_in_one_place(self):
        tree, _ = setup_site()
        self.assertFalse(StaffHubPage.can_create_at(tree.home))
        self.assertFalse(ParentsPage.can_create_at(tree.home))
        self.assertFalse(PolicyIndexPage.can_create_at(tree.home))
        self.assertTrue(PolicyIndexPage.can_create_at(tree.staff))
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))

    def test_a_section_cannot_be_created_outside_a_policy(self):
        tree, _ = setup_site()
        self.assertFalse(PolicySectionPage.can_create_at(tree.policies))
        self.assertFalse(PolicyPage.can_create_at(tree.home))

    def test_section_numbers_are_unique_within_a_policy(self):
        from django.core.exceptions import ValidationError

        from tests.policypages.factories import make_policy

        tree, _ = setup_site()
        policy = make_policy(tree.policies, sections=2)
        duplicate = PolicySectionPage(title="Again", slug="again", number="2", body=[])
        with self.assertRaises(ValidationError):
            policy.add_child(instance=duplicate)
            duplicate.full_clean()
