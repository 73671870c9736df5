"""The weekly digest for the school's leaders: who has not read what, reviews overdue, answers to check and
questions waiting, in one email, once a week.

It goes to senior leaders (the head among them) and HR. Each part holds only what the person may see in the
admin: names of readers for those with the reading report, the questions' words for those who answer them,
counts otherwise. `manage.py send_leaders_digest` sends it; DigestSent makes a second run in the week a no-op.
"""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.roles import POLICY_EDITORS, SENIOR_LEADERS
from guidance.models import AnswerCheck, Question
from guidance.questions import questions_for
from policypages.models import policies_needing_review
from policypages.reading import policies_to_read, reading_matrix, reading_scope, requirements_for, staff_members

from .models import DigestSent

READING_NAMES = "policypages.view_readreceipt"
QUESTIONS = "guidance.answer_question"
NAMES_SHOWN = 10  # per policy; the rest are counted, and the reading report has them all


@dataclass
class PolicyReading:
    policy: object
    outstanding: int = 0
    overdue: list = field(default_factory=list)  # people, most overdue first

    @property
    def overdue_named(self):
        return self.overdue[:NAMES_SHOWN]

    @property
    def overdue_more(self):
        return max(len(self.overdue) - NAMES_SHOWN, 0)


@dataclass
class Digest:
    week_of: datetime.date
    reading: list
    reviews: list
    answers_to_check: list
    questions: list

    def is_empty(self):
        return not (self.reading or self.reviews or self.answers_to_check or self.questions)


def week_of(today):
    return today - datetime.timedelta(days=today.weekday())


def recipients():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[SENIOR_LEADERS, POLICY_EDITORS])
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def the_week(today=None, schools=None):
    """What this week's digest says, worked out once for everyone who reads the same schools (each person then
    sees their part of it): in a trust, a school's leaders hear of their own school's staff only."""
    today = today or timezone.localdate()
    staff = list(staff_members(schools))
    matrix = reading_matrix(staff, requirements_for(policies_to_read()), today)
    people = {u.pk: u for u in staff}
    by_policy = defaultdict(lambda: None)
    for (user_id, _policy_id), status in matrix.items():
        if not status.is_outstanding:
            continue
        row = by_policy[status.requirement.policy.pk] or PolicyReading(status.requirement.policy)
        by_policy[status.requirement.policy.pk] = row
        row.outstanding += 1
        if status.overdue:
            row.overdue.append((status.due, people[user_id]))
    reading = sorted(by_policy.values(), key=lambda r: (-len(r.overdue), -r.outstanding, r.policy.title))
    for row in reading:
        row.overdue = [person for _due, person in sorted(row.overdue, key=lambda pair: (pair[0], pair[1].pk))]
    return Digest(
        week_of=week_of(today),
        reading=reading,
        reviews=list(policies_needing_review(today=today)),
        answers_to_check=list(
            # One line per change in the digest (its answers listed on it), so grouped here.
            AnswerCheck.objects.filter(checked_at__isnull=True)
            .select_related("answer", "version__policy")
            .order_by("version_id", "section_heading", "answer__title")
        ),
        questions=[],  # each reader's own: their schools' questions (for_reader)
    )


def for_reader(user, digest):
    """The week as `user` reads it: the questions waiting in their own queue (guidance.questions.questions_for),
    not every school's."""
    waiting = questions_for(user).filter(status=Question.Status.WAITING).order_by("asked_on", "pk")
    return dataclasses.replace(digest, questions=list(waiting))


def render_for(user, digest):
    context = {
        "user": user,
        "digest": digest,
        "names": user.has_perm(READING_NAMES),
        "question_words": user.has_perm(QUESTIONS),
        "base_url": settings.WAGTAILADMIN_BASE_URL,
    }
    return render_to_string("digests/leaders_digest.txt", context)


def send_leaders_digest(today=None, dry_run=False):
    """Send this week's digest to each leader who has not had it. Returns [(user, text)] of what was (or, with
    dry_run, would be) sent; an empty week sends nothing."""
    today = today or timezone.localdate()
    weeks = {}  # the week of each set of schools, worked out once
    already = set(DigestSent.objects.filter(week_of=week_of(today)).values_list("user_id", flat=True))
    sent = []
    for user in recipients():
        scope = reading_scope(user)
        if scope not in weeks:
            weeks[scope] = the_week(today, schools=scope)
        digest = for_reader(user, weeks[scope])
        if user.pk in already or digest.is_empty():
            continue
        text = render_for(user, digest)
        if not dry_run:
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user=user, week_of=digest.week_of)
                    send_mail(
                        subject=f"Policies this week: {digest.week_of:%-d %B %Y}",
                        message=text,
                        from_email=None,
                        recipient_list=[user.email],
                    )
            except IntegrityError:
                continue  # another run sent it a moment ago
        sent.append((user, text))
    return sent
