"""In a trust, each school's people change only their own school's pages.

The roles (HR, senior leaders, governors...) are the trust's groups, and their page permissions are granted on
every school's tree (sitesetup.setup.ensure_groups). This is Wagtail's page permission policy with one more
rule: for someone who works at a school, only the permissions on their schools' sites count. Registered for
every page model (`register_permission_policy`), it is what Wagtail asks everywhere: the explorer and its
listings, the editor, every action (publish, move, copy, delete, lock, privacy, revisions), bulk actions, the
page chooser's "can choose", and our own testers built on PagePermissionTester. The trust's central team
keeps every permission their roles give; a site with one school is untouched (no query).
"""

from django.db.models import Q
from wagtail.models import Site
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permission_policies.sites import SitePermissionPolicy

from core import published

from .services import in_central_team, school_sites, schools_of


def site_roots_within_reach(user):
    """The root paths of the sites whose pages `user`'s roles apply to, or None for everywhere: a site with one
    school, the trust's central team, superusers. Someone in a trust filed under no school acts nowhere."""
    if user.is_superuser or in_central_team(user):
        return None
    sites = school_sites(published.current())
    if not sites:
        return None
    if getattr(user, "school_id", None) is None:
        return ()
    theirs = schools_of(user)
    return tuple(root for root, school_id in sites if school_id in theirs)


def within_reach(user, page):
    """Whether `page` is in one of the sites `user`'s roles apply to."""
    roots = site_roots_within_reach(user)
    return roots is None or page.path.startswith(roots)


class OwnSchoolsPagePermissionPolicy(PagePermissionPolicy):
    def get_all_permissions_for_user(self, user):
        permissions = super().get_all_permissions_for_user(user)
        roots = site_roots_within_reach(user)
        if roots is None:
            return permissions
        if not roots:
            return permissions.none()
        near = Q()
        for root in roots:
            near |= Q(page__path__startswith=root)
        return permissions.filter(near)


class OwnSchoolsSitePermissionPolicy(SitePermissionPolicy):
    """The same rule for a site setting (a school's branding): in a trust, someone who works at a school
    changes only their own schools' sites' setting, not another school's nor the trust's. Wagtail's settings
    screen asks this for the site it opens, for its site switcher and for where to send someone who opens
    the setting of a site that is not theirs."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        site = instance if isinstance(instance, Site) else getattr(instance, self.site_field_name)
        return super().user_has_any_permission_for_instance(user, actions, instance) and within_reach(
            user, site.root_page
        )

    def sites_user_has_any_permission_for(self, user, actions):
        sites = super().sites_user_has_any_permission_for(user, actions)
        roots = site_roots_within_reach(user)
        return sites if roots is None else sites.filter(root_page__path__in=roots)
