"""The weekly digest for leaders (issue 20, fifth part): who has not read what, reviews overdue, answers to check
and questions waiting, in one email; each person sees only what their role may; never sent twice in a week."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from accounts import roles
from digests.models import DigestSent
from digests.services import send_leaders_digest
from guidance import questions
from policypages.models import PolicyPage
from tests.accounts.factories import UserFactory
from tests.policypages.factories import issue

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def week(policy, staff_user, hr_user, senior_leader, governor):
    issue(policy, "1", issued_on=datetime.date(2026, 9, 1))
    # staff_user has worked here since the summer: their reading was due long ago; the others started today.
    type(staff_user).objects.filter(pk=staff_user.pk).update(start_date=datetime.date(2026, 6, 1))
    PolicyPage.objects.filter(pk=policy.pk).update(next_review_due=datetime.date(2026, 10, 1))
    questions.ask("Can I go to a pupil's party?", audience="staff")
    return policy


def test_leaders_get_one_email_with_each_part(week, staff_user, hr_user, senior_leader, governor):
    sent = send_leaders_digest(today=MONDAY)
    assert {u for u, _text in sent} == {hr_user, senior_leader}  # not governors, not staff
    body = next(m.body for m in mail.outbox if m.to == [hr_user.email])
    assert "Social media: 4 still to read, 1 overdue" in body  # the four fixtures are all staff
    assert staff_user.get_full_name() in body  # HR has the reading report with names
    assert "Social media: review due 1 October 2026" in body
    assert "Can I go to a pupil's party?" in body  # HR answer the questions


def test_a_senior_leader_gets_counts_of_questions_not_their_words(week, senior_leader):
    send_leaders_digest(today=MONDAY)
    body = next(m.body for m in mail.outbox if m.to == [senior_leader.email])
    assert "pupil's party" not in body and "1 question from search waits for HR" in body


def test_never_sent_twice_in_a_week(week, hr_user):
    send_leaders_digest(today=MONDAY)
    first = len(mail.outbox)
    assert send_leaders_digest(today=MONDAY + datetime.timedelta(days=3)) == []
    assert len(mail.outbox) == first
    send_leaders_digest(today=MONDAY + datetime.timedelta(days=7))  # a new week
    assert len(mail.outbox) == 2 * first


def test_dry_run_sends_and_records_nothing(week, capsys):
    call_command("send_leaders_digest", "--dry-run")
    out = capsys.readouterr().out
    assert "Would send to" in out and "WHO HAS NOT READ WHAT" in out
    assert mail.outbox == [] and not DigestSent.objects.exists()


def test_a_quiet_week_sends_nothing(tree, hr_user):
    assert send_leaders_digest(today=MONDAY) == []
    assert mail.outbox == []


def test_a_failed_send_is_tried_again_next_run(week, hr_user, senior_leader, monkeypatch):
    def broken(**kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("digests.services.send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        send_leaders_digest(today=MONDAY)
    assert not DigestSent.objects.exists()
    monkeypatch.undo()
    assert len(send_leaders_digest(today=MONDAY)) == 2


def test_inactive_leaders_get_nothing(week, hr_user):
    UserFactory(groups=[roles.SENIOR_LEADERS], is_active=False)
    assert len(send_leaders_digest(today=MONDAY)) == 2  # hr_user and senior_leader only


def test_answers_to_check_come_one_line_per_policy_change(week, tree, hr_user):
    from guidance.models import AnswerCheck
    from policypages.models import PolicySectionPage
    from tests.guidance.factories import make_answer
    from tests.policypages.factories import section_body

    section = PolicySectionPage.objects.child_of(week).order_by("path").first()
    for title in ("Can I friend a parent?", "Can I follow a parent?", "Can a parent add me?"):
        answer = make_answer(tree.staff_guidance, title)
        answer.policy_sections.set([section])
        answer.save_revision().publish()
    section.body = section_body("A new sentence about parents.")
    section.save_revision().publish(skip_permission_checks=True)
    issue(week, "2", issued_on=datetime.date(2026, 11, 1))
    assert AnswerCheck.objects.count() == 3
    send_leaders_digest(today=MONDAY)
    body = next(m.body for m in mail.outbox if m.to == [hr_user.email])
    listed = body.split("ANSWERS TO CHECK", 1)[1].split("QUESTIONS WAITING", 1)[0]
    assert listed.count("was changed in version 2") == 1
    assert "3 answers to check (Can I follow a parent?; Can I friend a parent?; Can a parent add me?)" in listed
