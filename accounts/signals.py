"""Every change to who is in a reviewer group (who can see confidential records) is written to the audit log
against the person, and the senior leaders are emailed: whether it was made in the admin, by a command or
in a shell. accounts.guards says who may make it."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from wagtail.log_actions import get_active_log_context, log

from schools.services import only_school

from .guards import reviewer_groups
from .roles import SENIOR_LEADERS

logger = logging.getLogger(__name__)
_building_demo = ContextVar("building_demo", default=False)


@contextmanager
def building_the_demo_school():
    """load_demo creates the demo's reviewers: still logged, but nobody is emailed about a school being built."""
    token = _building_demo.set(True)
    try:
        yield
    finally:
        _building_demo.reset(token)


User = get_user_model()
JOINED, LEFT = "accounts.reviewer_group.join", "accounts.reviewer_group.leave"
LOG_ACTIONS = [
    (JOINED, "Added to a group that sees confidential records", "Added to a group that sees confidential records"),
    (
        LEFT,
        "Removed from a group that sees confidential records",
        "Removed from a group that sees confidential records",
    ),
]


def _changes(instance, action, reverse, pk_set):
    """(person, group) pairs touched by this change, reviewer groups only."""
    if reverse:  # group.user_set.add(person, ...)
        groups, people = [instance], User.objects.filter(pk__in=pk_set or ())
    else:  # person.groups.add(group, ...)
        groups, people = Group.objects.filter(pk__in=pk_set or ()), [instance]
    protected = set(reviewer_groups().values_list("pk", flat=True))
    return [(person, group) for person in people for group in groups if group.pk in protected]


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts.reviewer_group_membership")
def reviewer_group_membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        # clear() gives no pk_set afterwards: remember what is about to go.
        instance._cleared_pks = set(
            instance.user_set.values_list("pk", flat=True) if reverse else instance.groups.values_list("pk", flat=True)
        )
        return
    if action == "post_clear":
        action, pk_set = "post_remove", getattr(instance, "_cleared_pks", set())
    if action not in ("post_add", "post_remove"):
        return
    changes = _changes(instance, action, reverse, pk_set)
    if not changes:
        return
    by = get_active_log_context().user
    verb = JOINED if action == "post_add" else LEFT
    for person, group in changes:
        log(person, verb, user=by, data={"group": group.name, "by": str(by) if by else "system"})
    if not _building_demo.get():
        transaction.on_commit(lambda: _tell_senior_leaders(changes, verb, by))


def _tell_senior_leaders(changes, verb, by):
    recipients = list(
        User.objects.filter(groups__name=SENIOR_LEADERS, is_active=True).values_list("email", flat=True).distinct()
    )
    if not recipients:
        return
    what = "added to" if verb == JOINED else "removed from"
    lines = [f"- {person} was {what} {group.name}" for person, group in changes]
    body = (
        "Who can see confidential records has changed:\n\n"
        + "\n".join(lines)
        + f"\n\nChanged by: {by or 'a command run on the server'}.\n"
        "If you did not expect this, ask the site's superuser straight away. The change is in the admin's "
        "site history."
    )
    try:
        send_mail("Change to who can see confidential records", body, None, recipients)
    except OSError:
        logger.exception("Could not email the senior leaders about a change to a reviewer group")


@receiver(pre_save, sender=get_user_model(), dispatch_uid="accounts.file_under_the_only_school")
def file_under_the_only_school(sender, instance, raw=False, **kwargs):
    """On a site with one school everyone belongs to it, however their account is made (the admin, single
    sign-on, createsuperuser, the demo). In a trust a new account is filed by whoever makes it, or by sign-on."""
    if not raw and instance._state.adding and instance.school_id is None:
        instance.school = only_school()
