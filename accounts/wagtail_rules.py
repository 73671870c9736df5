"""Rules of this school that Wagtail has no setting for, applied to Wagtail's own classes at start-up
(AccountsConfig.ready), so that they hold on every screen and route that uses those classes."""

from wagtail.models import PagePermissionTester

from core.spreadsheets import make_wagtail_exports_formula_safe

from . import places
from .places import SET_PAGE_PRIVACY


def privacy_needs_its_own_right():
    """Wagtail lets anyone who may publish a page change its privacy. Privacy decides at once, with no
    approval, who can read a page (HR can publish the staff hub: one click would make it public), so here it
    also needs the *set page privacy* right, which only site admins hold (superusers hold every right).
    Wagtail's privacy view, the status side panel and the page listing all ask this one method."""
    original = PagePermissionTester.can_set_view_restrictions
    if getattr(original, "school_rule", False):
        return

    def can_set_view_restrictions(self):
        return self.user.is_active and self.user.has_perm(SET_PAGE_PRIVACY) and original(self)

    can_set_view_restrictions.school_rule = True
    PagePermissionTester.can_set_view_restrictions = can_set_view_restrictions


def a_place_keeps_its_privacy():
    """A move or copy that changes who may read a page is a privacy change (accounts.places). Every move,
    copy and alias (the views, bulk move, the admin API's actions) asks these two methods, and the move and copy
    views use them to offer only the places allowed; pre_page_move refuses a move whatever asked."""
    original_move, original_copy = PagePermissionTester.can_move_to, PagePermissionTester.can_copy_to
    if getattr(original_move, "school_rule", False):
        return

    def can_move_to(self, destination):
        return original_move(self, destination) and not places.refusal_for_move(self.user, self.page, destination)

    def can_copy_to(self, destination, recursive=False):
        return original_copy(self, destination, recursive) and not places.refusal_for_copy(
            self.user, self.page, destination
        )

    can_move_to.school_rule = can_copy_to.school_rule = True
    PagePermissionTester.can_move_to, PagePermissionTester.can_copy_to = can_move_to, can_copy_to


def apply():
    privacy_needs_its_own_right()
    a_place_keeps_its_privacy()
    make_wagtail_exports_formula_safe()
