"""Who may hand out access to confidential records: nobody from the admin but a superuser.

Record rights live in the reviewer groups (HR, senior leaders, the safeguarding lead: any group holding a
permission of the records app) and in time-limited grants (`manage.py grant_record_access`). A site admin
manages everyone else's account and groups, but cannot join a reviewer group, add someone to one, edit
one's permissions, give a group record permissions, make anyone a superuser, or change the account of a
reviewer or a superuser (changing their password or address would be a way into their access). Every
change to a reviewer group's membership, from anywhere, is audit-logged and the senior leaders are told
(accounts.changes, accounts.alerts).
"""

from django.contrib.auth.models import Group, Permission

RECORDS_APP = "declarations"  # referred to by label: the records app is built on this one


def record_permissions():
    return Permission.objects.filter(content_type__app_label=RECORDS_APP)


def reviewer_groups():
    return Group.objects.filter(permissions__content_type__app_label=RECORDS_APP).distinct()


def is_reviewer_group(group):
    return reviewer_groups().filter(pk=group.pk).exists()


def manages_record_access(editor):
    """Superusers only: the school's named owner of the system, whose every change is logged."""
    return editor.is_active and editor.is_superuser


def is_protected_account(user):
    return user.is_superuser or user.groups.filter(pk__in=reviewer_groups()).exists()
