"""Who may change whom: one rule on the data, whichever screen, API, command or shell makes the change.

Wagtail has many views that can write a person or a group (edit, create, copy, bulk actions, the account page)
and more may come with an upgrade. So the rule is not in the views: it is checked here, as the change reaches
the database (Django's pre_save, pre_delete and m2m_changed signals), against the person acting
(accounts.acting). A change the acting person may not make raises AccountChangeRefused before anything is
written, and the request answers with the reason in plain words.

The rule, in the school's words:
- Only the system's superuser makes or unmakes superusers, adds or removes members of the groups that see
  confidential records (the reviewer groups), gives a group or a person record permissions, or changes anything
  on the account of a superuser or a reviewer (a new address or password would be a way into their access).
- Anyone else who changes someone's account needs the right to (site admins), and in a trust only for the
  people of their own schools.
- A person may change their own name and password, never their own groups, status or school. Their sign-in
  address stays within the school's domains, and changing it needs a fresh sign-in.
- Authenticators (two-step devices) are changed only by their owner.
The server itself (setup, the demo, commands that name nobody) is not limited.

Every change to what an account can reach, or to its sign-in address or password made by someone else, is told:
to the person at their address as it was before, and to the senior leaders (accounts.alerts).
"""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.dispatch import receiver

from core.updates import deleted_along_with_another, pre_update
from schools.services import only_school

from . import alerts
from .acting import acting_person, acting_request
from .guards import RECORDS_APP, manages_record_access, reviewer_groups
from .people import address_refusal, may_manage_person
from .reauth import signed_in_recently

User = get_user_model()

# What a person's account can reach or sign in with: the fields the rule watches (any other field, such as the
# time of their last sign-in, is saved freely).
WATCHED = ("is_superuser", "is_staff", "is_active", "email", "password", "username", "school_id", "in_central_team")
OWN_FIELDS = {"email", "password", "username"}  # what a person may change on their own account
VISITOR_FIELDS = {"password"}  # someone not signed in: only a password reset from an emailed link


class AccountChangeRefused(PermissionDenied):
    """A change to an account the acting person may not make; the message says why, in plain words."""


# --- the rule ----------------------------------------------------------------------------------------------


def _is_owner(actor):
    return actor is not None and actor.is_authenticated and actor.is_active and manages_record_access(actor)


def _protected(person_pk):
    if person_pk is None:
        return False
    return User.objects.filter(pk=person_pk).filter(is_superuser=True).exists() or (
        User.groups.through.objects.filter(user_id=person_pk, group__in=reviewer_groups()).exists()
    )


def refusal_for_account(actor, person, changed, *, adding=False, before=None):
    """Why `actor` may not make this change to `person`'s account (the fields in `changed`), or None."""
    if actor is None or _is_owner(actor):
        return None
    before = before or {}
    if "is_superuser" in changed and (person.is_superuser or before.get("is_superuser")):
        return "Only the system's superuser can make someone a superuser or take it away."
    if adding and person.is_superuser:
        return "Only the system's superuser can make someone a superuser."
    if "is_staff" in changed:
        return "Only the system's superuser can change that."
    if not actor.is_authenticated:
        if adding or not changed <= VISITOR_FIELDS:
            return "Sign in to change an account."
        return None
    if not adding and actor.pk == person.pk:
        if not changed <= OWN_FIELDS:
            return "You cannot change your own access, status or school. Ask the site's administrator."
        if "email" in changed:
            return _own_address_refusal(person, before.get("email"))
        return None
    if not adding and _protected(person.pk):
        return (
            f"{person} can see confidential records or is a superuser, so only the system's superuser can "
            "change their account."
        )
    if not actor.has_perm("accounts.add_user" if adding else "accounts.change_user"):
        return "You do not have the right to change people's accounts."
    if not may_manage_person(actor, person, before_school_id=before.get("school_id", person.school_id)):
        return f"{person} works at a school whose accounts you do not look after."
    if "email" in changed and not _signed_in_recently():
        return "A new sign-in address needs a fresh sign-in: confirm it is you, then save again."
    return None


def _signed_in_recently():
    """Inside a request, whether the acting person proved who they are in the last few minutes; outside one (a
    command), there is nobody to ask."""
    request = acting_request()
    return request is None or signed_in_recently(request)


def _own_address_refusal(person, old_address):
    refusal = address_refusal(person, person.email, old_address)
    if refusal:
        return refusal
    if not _signed_in_recently():
        return "To change your sign-in address, sign in again first (it is a change that needs a fresh sign-in)."
    return None


def refusal_for_groups(actor, person, groups):
    """Why `actor` may not add `person` to, or remove them from, `groups`, or None."""
    if actor is None or _is_owner(actor):
        return None
    if not actor.is_authenticated:
        return "Sign in to change an account."
    protected = set(reviewer_groups().values_list("pk", flat=True))
    if any(group.pk in protected for group in groups):
        return (
            "Senior leaders, HR and the safeguarding lead can see confidential records, so only the system's "
            "superuser adds or removes their members."
        )
    if actor.pk == person.pk:
        return "You cannot change your own groups. Ask the site's administrator."
    if _protected(person.pk):
        return (
            f"{person} can see confidential records or is a superuser, so only the system's superuser can "
            "change their groups."
        )
    if not actor.has_perm("accounts.change_user"):
        return "You do not have the right to change people's groups."
    if not may_manage_person(actor, person):
        return f"{person} works at a school whose accounts you do not look after."
    return None


def refusal_for_group(actor, group, *, permissions=(), deleting=False, renaming=False):
    """Why `actor` may not change this group (its permissions, its name, or delete it), or None."""
    if actor is None or _is_owner(actor):
        return None
    if not actor.is_authenticated:
        return "Sign in to change a group."
    is_reviewer = group.pk is not None and reviewer_groups().filter(pk=group.pk).exists()
    if is_reviewer and (deleting or renaming or permissions):
        return "This group can see confidential records, so only the system's superuser can change it."
    if any(p.content_type.app_label == RECORDS_APP for p in permissions):
        return "Only the system's superuser can give a group rights over confidential records."
    needed = "auth.delete_group" if deleting else "auth.change_group"
    if group.pk is not None and not actor.has_perm(needed):
        return "You do not have the right to change groups."
    return None


def refusal_for_edit(actor, person, groups=None):
    """The same rule for a form about to save `person` (with its new values) and, if given, their new `groups`:
    the admin's screens ask it first, so the reason shows beside the form."""
    adding = person.pk is None
    before = {} if adding else (User.objects.filter(pk=person.pk).values(*WATCHED).first() or {})
    changed = {f for f in WATCHED if (getattr(person, f) if adding else before.get(f) != getattr(person, f))}
    reason = refusal_for_account(actor, person, changed, adding=adding, before=before)
    if reason or groups is None:
        return reason
    current = set() if adding else set(person.groups.values_list("pk", flat=True))
    moved = list(Group.objects.filter(pk__in={group.pk for group in groups} ^ current))
    return refusal_for_groups(actor, person, moved) if moved else None


def _refuse(reason):
    """Refuse the change: the request's person is told why (Wagtail's admin answers a refusal with its own
    general words, so the reason goes with it as a message), and nothing is written."""
    if reason:
        request = acting_request()
        if request is not None and hasattr(request, "_messages"):
            messages.error(request, reason)
        raise AccountChangeRefused(reason)


# --- where the data changes --------------------------------------------------------------------------------


def _watched(update_fields):
    if update_fields is None:
        return WATCHED
    names = {"school_id" if f == "school" else f for f in update_fields}
    return tuple(f for f in WATCHED if f in names)


@receiver(pre_save, sender=User, dispatch_uid="accounts.check_account_change")
def check_account_change(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if instance._state.adding and instance.school_id is None and not instance.in_central_team:
        # On a site with one school everyone belongs to it, however their account is made (the admin, single
        # sign-on, createsuperuser, the demo). In a trust a new account is filed by whoever makes it, or sign-on.
        instance.school = only_school()
    fields = _watched(update_fields)
    if not fields:
        return
    adding = instance._state.adding or instance.pk is None
    before = None if adding else User.objects.filter(pk=instance.pk).values(*fields).first()
    if before is None:
        adding, before = True, {}
        changed = {f for f in fields if getattr(instance, f)}
    else:
        changed = {f for f in fields if before[f] != getattr(instance, f)}
    if not changed and not adding:
        return
    actor = acting_person()
    _refuse(refusal_for_account(actor, instance, changed, adding=adding, before=before))
    if not adding:
        alerts.account_changed(instance, actor, changed, before)


@receiver(pre_update, sender=User, dispatch_uid="accounts.check_bulk_account_change")
def check_bulk_account_change(sender, queryset, values, **kwargs):
    """`User.objects.filter(...).update(is_active=False)`: each person is judged as if saved one by one."""
    fields = _watched(values.keys())
    if not fields:
        return
    actor = acting_person()
    for person in queryset.only("pk", *fields):
        before = {f: getattr(person, f) for f in fields}
        for name, value in values.items():
            setattr(person, "school_id" if name == "school" else name, getattr(value, "pk", value))
        changed = {f for f in fields if before[f] != getattr(person, f)}
        if changed:
            _refuse(refusal_for_account(actor, person, changed, before=before))
            alerts.account_changed(person, actor, changed, before)


@receiver(pre_delete, sender=User, dispatch_uid="accounts.check_account_deletion")
def check_account_deletion(sender, instance, **kwargs):
    actor = acting_person()
    if actor is None or _is_owner(actor):
        return
    if not actor.is_authenticated or not actor.has_perm("accounts.delete_user"):
        _refuse("You do not have the right to delete people's accounts.")
    if _protected(instance.pk):
        _refuse(f"Only the system's superuser can delete the account of {instance}.")
    if not may_manage_person(actor, instance):
        _refuse(f"{instance} works at a school whose accounts you do not look after.")


def _m2m_objects(model, pk_set, instance, reverse, accessor):
    """The objects on the other side of an m2m change; for clear(), what is there now."""
    if pk_set is None:
        return list(getattr(instance, accessor).all())
    return list(model.objects.filter(pk__in=pk_set))


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts.check_group_membership")
def check_group_membership(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        if action in ("post_add", "post_remove"):
            alerts.groups_changed(instance, action, reverse, pk_set)
        return
    actor = acting_person()
    if action == "pre_clear":
        alerts.remember_cleared(instance, reverse)
    if reverse:  # group.user_set.add(person, ...)
        people = _m2m_objects(User, pk_set, instance, reverse, "user_set")
        for person in people:
            _refuse(refusal_for_groups(actor, person, [instance]))
    else:
        groups = _m2m_objects(Group, pk_set, instance, reverse, "groups")
        if groups:
            _refuse(refusal_for_groups(actor, instance, groups))


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="accounts.check_direct_permissions")
def check_direct_permissions(sender, instance, action, **kwargs):
    if action in ("pre_add", "pre_remove", "pre_clear"):
        actor = acting_person()
        if actor is not None and not _is_owner(actor):
            _refuse("Rights are given through groups; only the system's superuser gives them to one person.")


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="accounts.check_group_permissions")
def check_group_permissions(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    actor = acting_person()
    if reverse:  # permission.group_set.add(group, ...)
        groups = _m2m_objects(Group, pk_set, instance, reverse, "group_set")
        for group in groups:
            _refuse(refusal_for_group(actor, group, permissions=[instance]))
    else:
        permissions = _m2m_objects(Permission, pk_set, instance, reverse, "permissions")
        if permissions:
            _refuse(refusal_for_group(actor, instance, permissions=permissions))


@receiver(pre_save, sender=Group, dispatch_uid="accounts.check_group_rename")
def check_group_rename(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    if Group.objects.filter(pk=instance.pk).exclude(name=instance.name).exists():
        _refuse(refusal_for_group(acting_person(), instance, renaming=True))


@receiver(pre_delete, sender=Group, dispatch_uid="accounts.check_group_deletion")
def check_group_deletion(sender, instance, **kwargs):
    _refuse(refusal_for_group(acting_person(), instance, deleting=True))


@receiver(pre_save, sender=Authenticator, dispatch_uid="accounts.check_authenticator_change")
@receiver(pre_delete, sender=Authenticator, dispatch_uid="accounts.check_authenticator_removal")
def check_authenticator_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """Only the owner adds or removes their two-step device. Using one (a code or recovery code at sign-in,
    before anyone is signed in) only records its use."""
    if raw or (update_fields is not None and set(update_fields) <= {"data", "last_used_at"}):
        return
    if kwargs.get("signal") is pre_save and instance.pk is not None:
        before = Authenticator.objects.filter(pk=instance.pk).values("user_id", "type").first()
        if before == {"user_id": instance.user_id, "type": instance.type}:
            return
    if deleted_along_with_another(sender, kwargs.get("origin")):
        return  # removed with its owner's account, whose deletion was judged (check_account_deletion)
    actor = acting_person()
    if actor is None or _is_owner(actor) or (actor.is_authenticated and actor.pk == instance.user_id):
        return
    _refuse("Only its owner can add or remove a two-step device.")

