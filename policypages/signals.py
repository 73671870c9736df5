"""Keep HR's cached reading totals (reading.policy_totals) in step with everything they count, in every process."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import ReadReceipt
from .reading import reading_data_changed

User = get_user_model()

receiver(post_save, sender=ReadReceipt, dispatch_uid="reading.receipt_saved")(reading_data_changed)
receiver(post_delete, sender=ReadReceipt, dispatch_uid="reading.receipt_deleted")(reading_data_changed)
receiver(post_delete, sender=User, dispatch_uid="reading.person_deleted")(reading_data_changed)
# Anyone's groups: who is staff, and who is in a policy's audience.
receiver(m2m_changed, sender=User.groups.through, dispatch_uid="reading.groups_changed")(reading_data_changed)
# A group renamed or removed (removing one takes its memberships without an m2m signal).
receiver(post_save, sender=Group, dispatch_uid="reading.group_saved")(reading_data_changed)
receiver(post_delete, sender=Group, dispatch_uid="reading.group_deleted")(reading_data_changed)


@receiver(post_save, sender=User, dispatch_uid="reading.person_saved")
def person_saved(sender, update_fields=None, **kwargs):
    # Signing in stamps last_login on every sign-in; nothing counted depends on it.
    if update_fields is None or set(update_fields) - {"last_login"}:
        reading_data_changed()
