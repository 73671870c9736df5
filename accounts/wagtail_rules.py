"""Two rules of this school that Wagtail has no setting for, applied to Wagtail's own classes at start-up
(AccountsConfig.ready), so that they hold on every screen and route that uses those classes."""

from wagtail.models import PagePermissionTester

from core.spreadsheets import make_wagtail_exports_formula_safe

SET_PAGE_PRIVACY = "accounts.set_page_privacy"


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


def apply():
    privacy_needs_its_own_right()
    make_wagtail_exports_formula_safe()
