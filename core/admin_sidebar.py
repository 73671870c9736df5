"""Wagtail's admin sidebar, built once per person instead of on every admin page.

Wagtail builds the sidebar's menu on every admin request: it asks every menu item whether this person may see
it (each a permission check, several a query) and packs the menu as JSON. That was a third of HR's reading
report (docs/performance.md, issue 17). What it builds depends only on who the person is and what they may do,
their admin language and profile (name, avatar, which "new" badges they dismissed), and the site's content
(a second school, say, brings the trust's menu item). So the packed sidebar is kept, in the shared cache, under
a key holding all of those, and is built afresh when any of them changes:
- the person's account, groups or own permissions: `page_cache.person_changed` (policypages/signals.py and
  the receivers below);
- a group's permissions, page, collection or site permissions: `page_cache.everyone_changed` (below);
- the content version (core.content), and the admin language and the profile, which are in the key itself.
Only where the cache is shared by every process (Redis): a change handled by one process must reach the others.
Kept for ten minutes at most, so a deploy that changes the menu shows within that.
"""

import hashlib

import wagtail
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.models import GroupCollectionPermission, GroupPagePermission, GroupSitePermission
from wagtail.users.models import UserProfile

from core import page_cache
from core.cache import is_shared as is_shared_cache
from core.cache import tokens as change_tokens
from core.content import content_version

TIMEOUT = 600
PREFIX = "admin-sidebar"

wagtails_sidebar_props = wagtailadmin_tags.sidebar_props


def sidebar_key(request):
    user = request.user
    profile = getattr(user, "wagtail_userprofile", None)
    person = page_cache.PERSON_KEY.format(user.pk)
    tokens = change_tokens(person, page_cache.EVERYONE_KEY)
    about_them = repr(
        (
            user.get_username(),
            user.first_name,
            user.is_superuser,
            profile and str(profile.avatar),
            profile and sorted((profile.dismissibles or {}).items()),
        )
    )
    return ":".join(
        [
            PREFIX,
            wagtail.__version__,
            content_version(),
            tokens[person],
            tokens[page_cache.EVERYONE_KEY],
            translation.get_language() or "",
            str(user.pk),
            hashlib.sha256(about_them.encode()).hexdigest()[:16],
        ]
    )


def sidebar_props(context):
    """Wagtail's `{% sidebar_props %}`, kept per person (see above)."""
    request = context["request"]
    if not (is_shared_cache() and request.user.is_authenticated):
        return wagtails_sidebar_props(context)
    key = sidebar_key(request)
    props = cache.get(key)
    if props is None:
        props = str(wagtails_sidebar_props(context))
        cache.set(key, props, TIMEOUT)
    return mark_safe(props)  # noqa: S308 - Wagtail's own json_script output, as it rendered it


def use_the_kept_sidebar():
    """Put the kept sidebar in place of Wagtail's own tag (called once, from CoreConfig.ready)."""
    wagtailadmin_tags.register.simple_tag(takes_context=True, name="sidebar_props")(sidebar_props)


# --- what changes what a person may see in the menu ----------------------------------------------------

User = get_user_model()


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="admin_sidebar.user_permissions")
def own_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        if reverse or not isinstance(instance, User):
            page_cache.everyone_changed()
        else:
            page_cache.person_changed(instance.pk)


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="admin_sidebar.group_permissions")
def group_permissions_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        page_cache.everyone_changed()


@receiver(post_save, sender=GroupPagePermission, dispatch_uid="admin_sidebar.page_permission_saved")
@receiver(post_delete, sender=GroupPagePermission, dispatch_uid="admin_sidebar.page_permission_deleted")
@receiver(post_save, sender=GroupCollectionPermission, dispatch_uid="admin_sidebar.collection_permission_saved")
@receiver(post_delete, sender=GroupCollectionPermission, dispatch_uid="admin_sidebar.collection_permission_del")
@receiver(post_save, sender=GroupSitePermission, dispatch_uid="admin_sidebar.site_permission_saved")
@receiver(post_delete, sender=GroupSitePermission, dispatch_uid="admin_sidebar.site_permission_deleted")
def group_object_permissions_changed(sender, **kwargs):
    page_cache.everyone_changed()


@receiver(post_save, sender=UserProfile, dispatch_uid="admin_sidebar.profile_saved")
def profile_saved(sender, instance, **kwargs):
    page_cache.person_changed(instance.user_id)
