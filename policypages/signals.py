"""Keep what is kept between requests about people's reading in step with what it depends on, in every process:
HR's reading totals (reading.policy_totals) and each reader's own parts of cached pages (their status, the
hub's list; core.page_cache)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model

from core import page_cache
from core.content import content_changed

from .models import PolicyVersion, ReadReceipt, SchoolBranding
from .reading import reading_data_changed

User = get_user_model()


@receiver(post_save, sender=ReadReceipt, dispatch_uid="reading.receipt_saved")
@receiver(post_delete, sender=ReadReceipt, dispatch_uid="reading.receipt_deleted")
def receipt_changed(sender, instance, **kwargs):
    reading_data_changed()
    page_cache.person_changed(instance.user_id)


@receiver(post_save, sender=User, dispatch_uid="reading.person_saved")
def person_saved(sender, instance, update_fields=None, **kwargs):
    # Signing in stamps last_login on every sign-in; nothing kept depends on it.
    if update_fields is None or set(update_fields) - {"last_login"}:
        reading_data_changed()
        page_cache.person_changed(instance.pk)


@receiver(post_delete, sender=User, dispatch_uid="reading.person_deleted")
def person_deleted(sender, instance, **kwargs):
    reading_data_changed()
    page_cache.person_changed(instance.pk)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="reading.groups_changed")
@receiver(m2m_changed, sender=User.other_schools.through, dispatch_uid="reading.other_schools_changed")
def memberships_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Anyone's groups (who is staff, who is in a policy's audience) or the other schools they work at (whose
    policies they read, which school's totals count them, which schools' screens they look after)."""
    if not action.startswith("post_"):
        return
    reading_data_changed()
    if not reverse:  # person.groups.add(...), person.other_schools.add(...)
        page_cache.person_changed(instance.pk)
    elif pk_set:  # group.user_set.add(people...), school.visiting_staff.add(people...)
        for pk in pk_set:
            page_cache.person_changed(pk)
    else:  # group.user_set.clear(): who was in it is no longer known
        page_cache.everyone_changed()


@receiver(post_save, sender=Group, dispatch_uid="reading.group_saved")
@receiver(post_delete, sender=Group, dispatch_uid="reading.group_deleted")
def group_changed(sender, **kwargs):
    """A group renamed or removed (removing one takes its memberships without an m2m signal)."""
    reading_data_changed()
    page_cache.everyone_changed()


def people_changed(pks):
    """For changes made in bulk, without the signals (policypages/wagtail_hooks.py)."""
    reading_data_changed()
    for pk in pks:
        page_cache.person_changed(pk)


# --- what every page shows besides its own content: the content version (core/content.py) -----------


@receiver(post_save, sender=PolicyVersion, dispatch_uid="policypages.version_issued")
def version_recorded(sender, **kwargs):
    content_changed()  # a policy page shows its version history


@receiver(post_save, sender=SchoolBranding, dispatch_uid="policypages.branding_changed")
def branding_changed(sender, created, **kwargs):
    # Every page shows the school's name, logo and colours. The row Wagtail creates with the defaults on
    # first use changes nothing anyone sees.
    if not created:
        content_changed()


@receiver(post_save, sender=get_image_model(), dispatch_uid="policypages.logo_changed")
def logo_changed(sender, instance, created, **kwargs):
    # A new file for the school's logo gives it new renditions; pages must stop pointing at the old ones.
    if not created and SchoolBranding.objects.filter(logo=instance).exists():
        content_changed()
