"""Review reminders: each policy owner gets one email a day listing their policies overdue or due soon."""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.log_actions import log

from .models import PolicyPage, ReviewReminder, policies_needing_review


def reminders_due(today=None):
    """{recipient email: [policies]} still to be reminded today, and the policies nobody can be told about."""
    today = today or timezone.localdate()
    already = set(ReviewReminder.objects.filter(sent_on=today).values_list("policy_id", flat=True))
    by_recipient, no_owner = defaultdict(list), []
    queryset = PolicyPage.objects.live().select_related("policy_owner")
    for policy in policies_needing_review(today, queryset):
        if policy.pk in already:
            continue
        recipient = policy.review_contact_email()
        if recipient:
            by_recipient[recipient.lower()].append(policy)
        else:
            no_owner.append(policy)
    return dict(by_recipient), no_owner


def send_review_reminders(today=None, dry_run=False):
    today = today or timezone.localdate()
    by_recipient, no_owner = reminders_due(today)
    sent = []
    for recipient, policies in sorted(by_recipient.items()):
        if dry_run:
            sent.append((recipient, policies))
            continue
        try:
            # Claim today's reminders first, so two schedulers running at once cannot both send.
            with transaction.atomic():
                for policy in policies:
                    ReviewReminder.objects.create(policy=policy, sent_on=today, recipient=recipient)
                context = {"policies": policies, "today": today, "base_url": settings.WAGTAILADMIN_BASE_URL}
                send_mail(
                    subject=f"{len(policies)} polic{'y' if len(policies) == 1 else 'ies'} due for review",
                    message=render_to_string("policypages/email/review_reminder.txt", context),
                    from_email=None,
                    recipient_list=[recipient],
                )
        except IntegrityError:
            continue
        for policy in policies:
            log(instance=policy, action="policypages.review_reminder", data={"recipient": recipient})
        sent.append((recipient, policies))
    return sent, no_owner
