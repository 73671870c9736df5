"""Telling people when an account's reach changes: the audit log, the person, and the senior leaders.

accounts.changes calls these as each change reaches the database. What a request changes about one person is
gathered and told once, when the request ends (so "made a superuser, address changed, added to Senior
leaders" is one email that names all three); outside a request it is told when the change commits. Only changes
that commit are told.

- The person hears at their address as it was before the change (a new address could be the intruder's).
- The senior leaders hear of changes to what someone can reach (superuser, the groups that need two-step
  verification), and of a new address or password on such an account made by someone else; their addresses too
  are read before the change.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from wagtail.log_actions import log

from schools.models import School

from .acting import acting_person, request_state
from .guards import reviewer_groups
from .mfa import MFA_GROUPS
from .roles import SENIOR_LEADERS

logger = logging.getLogger(__name__)
User = get_user_model()
_building_demo = ContextVar("building_demo", default=False)

JOINED, LEFT = "accounts.reviewer_group.join", "accounts.reviewer_group.leave"
SUPERUSER, ADDRESS, ACTIVE = "accounts.superuser", "accounts.address", "accounts.active"
LOG_ACTIONS = [
    (JOINED, "Added to a group that sees confidential records", "Added to a group that sees confidential records"),
    (LEFT, "Removed from a group that sees confidential records", "Removed from a group that sees confidential records"),
    (SUPERUSER, "Superuser status changed", "Superuser status changed"),
    (ADDRESS, "Sign-in address changed", "Sign-in address changed"),
    (ACTIVE, "Account switched on or off", "Account switched on or off"),
]


@contextmanager
def building_the_demo_school():
    """load_demo creates the demo's people: still logged, but nobody is emailed about a school being built."""
    token = _building_demo.set(True)
    try:
        yield
    finally:
        _building_demo.reset(token)


@dataclass
class Alert:
    """What changed about one person, to be told once."""

    person_pk: int
    name: str
    old_address: str
    by: str
    leaders: list  # the senior leaders' addresses before the change
    lines: list = field(default_factory=list)
    tell_leaders: bool = False

    def merge(self, other):
        self.lines += [line for line in other.lines if line not in self.lines]
        self.tell_leaders = self.tell_leaders or other.tell_leaders
        self.leaders = self.leaders or other.leaders


def _by(actor):
    if actor is None:
        return "the server (a command or setup)"
    if not actor.is_authenticated:
        return "someone not signed in (a password reset by email)"
    return f"{actor} ({actor.email})"


def _leaders():
    return list(
        User.objects.filter(groups__name=SENIOR_LEADERS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _is_privileged(person_pk):
    return User.objects.filter(pk=person_pk).filter(is_superuser=True).exists() or (
        User.groups.through.objects.filter(user_id=person_pk, group__name__in=MFA_GROUPS).exists()
    )


def _queue(alert):
    """Told at the end of the request, or when the change commits outside one; never if it is rolled back."""
    if _building_demo.get():
        return
    state = request_state()

    def gathered():
        if state is not None and state.request is not None:
            if alert.person_pk in state.alerts:
                state.alerts[alert.person_pk].merge(alert)
            else:
                state.alerts[alert.person_pk] = alert
        else:
            send_alerts({alert.person_pk: alert})

    transaction.on_commit(gathered)


def account_changed(person, actor, changed, before):
    """`person` (as about to be saved) differs from `before` in `changed`; called before the save."""
    by_someone_else = actor is None or not actor.is_authenticated or actor.pk != person.pk
    lines, tell_leaders = [], False
    privileged = _is_privileged(person.pk)
    if "is_superuser" in changed:
        made = person.is_superuser
        lines.append("made a superuser (every right in the system)" if made else "no longer a superuser")
        tell_leaders = True
        log(person, SUPERUSER, user=actor if _real(actor) else None, data={"superuser": made, "by": _by(actor)})
    if "email" in changed:
        lines.append(f"sign-in address changed from {before.get('email')} to {person.email}")
        tell_leaders = tell_leaders or privileged or person.is_superuser
        log(person, ADDRESS, user=actor if _real(actor) else None, data={"by": _by(actor)})
    if "password" in changed and by_someone_else and _real(actor):
        lines.append(f"password changed by {actor}")
        tell_leaders = tell_leaders or privileged
    if "is_active" in changed:
        lines.append("account switched back on" if person.is_active else "account switched off")
        tell_leaders = tell_leaders or privileged
        log(person, ACTIVE, user=actor if _real(actor) else None, data={"active": person.is_active, "by": _by(actor)})
    if {"school_id", "in_central_team"} & changed and by_someone_else:
        where = School.objects.filter(pk=person.school_id).first() if person.school_id else None
        lines.append(
            f"now filed under {where}" if where else
            ("now in the trust's central team" if person.in_central_team else "no longer filed under a school")
        )
        tell_leaders = tell_leaders or privileged
    if not lines:
        return
    _queue(
        Alert(
            person_pk=person.pk,
            name=str(person),
            old_address=before.get("email") or person.email,
            by=_by(actor),
            leaders=_leaders() if tell_leaders else [],
            lines=lines,
            tell_leaders=tell_leaders,
        )
    )


def _real(actor):
    return actor is not None and actor.is_authenticated


def remember_cleared(instance, reverse):
    """clear() gives no list afterwards: remember what is about to go."""
    instance._cleared_pks = set(
        instance.user_set.values_list("pk", flat=True) if reverse else instance.groups.values_list("pk", flat=True)
    )


def groups_changed(instance, action, reverse, pk_set):
    """After people joined or left groups: the reviewer groups are logged against the person, and every group
    that needs two-step verification is told."""
    if action == "post_clear":
        action, pk_set = "post_remove", getattr(instance, "_cleared_pks", set())
    if reverse:  # group.user_set.add(person, ...)
        pairs = [(person, instance) for person in User.objects.filter(pk__in=pk_set or ())]
    else:  # person.groups.add(group, ...)
        pairs = [(instance, group) for group in Group.objects.filter(pk__in=pk_set or ())]
    pairs = [(person, group) for person, group in pairs if group.name in MFA_GROUPS]
    if not pairs:
        return
    actor = acting_person()
    joined = action == "post_add"
    reviewers = set(reviewer_groups().values_list("pk", flat=True))
    leaders = _leaders()
    for person, group in pairs:
        if group.pk in reviewers:
            by = actor if _real(actor) else None
            log(person, JOINED if joined else LEFT, user=by, data={"group": group.name, "by": str(by or "system")})
        _queue(
            Alert(
                person_pk=person.pk,
                name=str(person),
                old_address=person.email,
                by=_by(actor),
                leaders=leaders,
                lines=[f"{'added to' if joined else 'removed from'} {group.name}"],
                tell_leaders=True,
            )
        )


def send_alerts(alerts):
    for alert in alerts.values():
        changes = "\n".join(f"- {line}" for line in alert.lines)
        messages = []
        if alert.old_address:
            messages.append(
                (
                    "Your account was changed",
                    f"Your account ({alert.name}) was changed:\n\n{changes}\n\nChanged by: {alert.by}.\n"
                    "If you did not expect this, tell the school's senior leaders or the site's superuser at once.",
                    [alert.old_address],
                )
            )
        leaders = [address for address in alert.leaders if address != alert.old_address]
        if alert.tell_leaders and leaders:
            messages.append(
                (
                    "Change to who can see confidential records",
                    f"Who can see confidential records or run the site has changed. {alert.name}:\n\n{changes}\n\n"
                    f"Changed by: {alert.by}.\nIf you did not expect this, ask the site's superuser straight away. "
                    "The change is in the admin's site history.",
                    leaders,
                )
            )
        for subject, body, to in messages:
            try:
                send_mail(subject, body, None, to)
            except OSError:
                logger.exception("Could not send an account alert")
