"""Reading reminders: one weekly digest per person listing every policy they still owe."""

import datetime
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ReadReminder
from .reading import policies_to_read, reading_matrix, requirements_for, staff_members

DIGEST_INTERVAL = datetime.timedelta(days=7)


def send_read_reminders(users=None, dry_run=False, now=None, base_url=None):
    """Email each person (of `users`, default all staff) who owes a policy, unless they had a digest this week.
    Links start with `base_url`: the address HR is using when they press send, else the site's (BASE_URL).

    Returns (sent, skipped): sent is [(user, [ReadingStatus])]; skipped is the people reminded too recently.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    users = list(users if users is not None else staff_members())
    matrix = reading_matrix(users, requirements_for(policies_to_read()), today)
    owed = defaultdict(list)
    for (user_id, _policy_id), status in matrix.items():
        if status.is_outstanding:
            owed[user_id].append(status)
    recently = set(
        ReadReminder.objects.filter(user__in=users, sent_at__gt=now - DIGEST_INTERVAL).values_list("user_id", flat=True)
    )
    sent, skipped = [], []
    my_policies = my_policies_path()
    for user in users:
        statuses = sorted(owed.get(user.pk, []), key=lambda s: s.due or datetime.date.max)
        if not statuses:
            continue
        if user.pk in recently:
            skipped.append(user)
            continue
        if not dry_run:
            with transaction.atomic():
                ReadReminder.objects.create(user=user, sent_at=now, policy_count=len(statuses))
                context = {
                    "user": user,
                    "statuses": statuses,
                    "base_url": base_url or settings.WAGTAILADMIN_BASE_URL,
                    "my_policies": my_policies,
                }
                send_mail(
                    subject=f"Please read: {len(statuses)} school polic{'y' if len(statuses) == 1 else 'ies'}",
                    message=render_to_string("policypages/email/read_reminder.txt", context),
                    from_email=None,
                    recipient_list=[user.email],
                )
        sent.append((user, statuses))
    return sent, skipped


def my_policies_path():
    """Where a person's own list of policies is, on the site's staff hub wherever an editor has put it; None if
    there is no live staff hub."""
    # The staff hub is a front page (hub/), a layer above the policies: named by a string.
    staff_hub_page = apps.get_model("hub", "StaffHubPage")
    hub = staff_hub_page.objects.live().order_by("path").first()
    if hub is None or hub.get_url_parts() is None:
        return None
    return hub.get_url_parts()[2] + staff_hub_page.get_resolver().reverse("my_policies_view")
