"""send_review_reminders: one email per owner per day, a dry run that sends nothing."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from policypages.models import ReviewReminder
from policypages.reminders import send_review_reminders
from tests.accounts.factories import UserFactory
from tests.policypages.factories import make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def policies(tree, today):
    owner = UserFactory(email="owner@school.example")
    overdue = make_policy(
        tree.policies,
        sections=1,
        slug="overdue",
        title="Overdue policy",
        policy_owner=owner,
        next_review_due=today - datetime.timedelta(days=30),
    )
    soon = make_policy(
        tree.policies,
        sections=1,
        slug="soon",
        title="Soon policy",
        policy_owner=owner,
        next_review_due=today + datetime.timedelta(days=20),
    )
    make_policy(
        tree.policies,
        sections=1,
        slug="fine",
        title="Fine policy",
        policy_owner=owner,
        next_review_due=today + datetime.timedelta(days=200),
    )
    contact = make_policy(
        tree.policies,
        sections=1,
        slug="contact",
        title="Contact policy",
        contact_email="office@school.example",
        next_review_due=today,
    )
    orphan = make_policy(
        tree.policies,
        sections=1,
        slug="orphan",
        title="Orphan policy",
        next_review_due=today - datetime.timedelta(days=1),
    )
    return overdue, soon, contact, orphan


def test_dry_run_sends_nothing(policies, capsys):
    call_command("send_review_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert "Would email owner@school.example: Overdue policy; Soon policy" in out
    assert "Would email office@school.example: Contact policy" in out
    assert "No owner or contact email for 'Orphan policy'" in out
    assert mail.outbox == [] and not ReviewReminder.objects.exists()


def test_one_email_per_owner_listing_their_policies(policies, today):
    sent, no_owner = send_review_reminders(today)
    assert sorted(recipient for recipient, _ in sent) == ["office@school.example", "owner@school.example"]
    assert [p.title for p in no_owner] == ["Orphan policy"]
    assert len(mail.outbox) == 2
    owner_mail = next(m for m in mail.outbox if m.to == ["owner@school.example"])
    assert owner_mail.subject == "2 policies due for review"
    assert "Overdue policy: review was due on" in owner_mail.body and "(overdue)" in owner_mail.body
    assert "Soon policy: review due by" in owner_mail.body
    assert "Fine policy" not in owner_mail.body


def test_idempotent_per_day(policies, today, capsys):
    send_review_reminders(today)
    mail.outbox.clear()
    call_command("send_review_reminders")
    assert mail.outbox == []
    assert "No review reminders to send today." in capsys.readouterr().out
    send_review_reminders(today + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_unpublished_policies_are_not_reminded(tree, today):
    make_policy(
        tree.policies, sections=1, slug="draft", contact_email="x@school.example", next_review_due=today, live=False
    )
    sent, _ = send_review_reminders(today)
    assert sent == []
