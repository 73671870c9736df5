"""Issue 20's new daily paths at a school's size (2,000 staff, 40 policies): a member of staff's understanding
check (the page, a try), HR's queue of questions from search (300 waiting), a leader's weekly digest.

Run: `.venv/bin/python bench/issue20.py [--staff 2000] [--policies 40] [--questions 300] [--requests 20]`
(or `make bench`). Throwaway test database (SQLite unless DATABASE_URL is set); prints medians and SQL queries.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolsite.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

WORDS = "friend parent pupil phone photo trip message follow request class report account post group chat".split()


def timed(action, requests):
    action()  # warm
    captured = []
    # A wrapper, not CaptureQueriesContext: the test client's request signals reset Django's query log.
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: captured.append(sql) or execute(sql, params, many, context)
    ):
        action()
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), len(captured)


def build(staff, policies, question_count):
    from django.contrib.auth.models import Group
    from school_at_scale import add_staff_and_policies

    from accounts.models import User
    from guidance import questions
    from policypages.models import PolicyPage, PolicySectionPage
    from policypages.services import issue_version
    from sitesetup.setup import setup_site
    from tests.conftest import with_mfa

    tree, _ = setup_site("Bench School")
    add_staff_and_policies(tree.policies, staff, policies)
    policy = PolicyPage.objects.order_by("title").first()
    section = PolicySectionPage.objects.child_of(policy).first()
    policy.understanding_check = [
        (
            "question",
            {
                "question": f"Question {n}?",
                "kind": "single",
                "choices": [{"text": "Yes", "correct": True}, {"text": "No", "correct": False}],
                "statement_is_true": False,
                "section": section,
                "explanation": "",
            },
        )
        for n in range(5)
    ]
    policy.save_revision().publish()
    issue_version(
        policy,
        label="3",
        issued_on=policy.current_version.issued_on,
        summary_of_changes="Questions.",
        change_type="substantive",
        approved_by="Governors",
        approved_on=policy.current_version.issued_on,
        issued_by=None,
    )
    rng = random.Random(2)
    for _ in range(question_count):
        text = "can I " + " ".join(rng.sample(WORDS, 4))
        questions.ask(text, audience="staff", searched=text)
    hr = with_mfa(User.objects.create_user(username="hr", email="hr@school.example", password="x"))
    hr.groups.add(Group.objects.get(name="Policy editors"), Group.objects.get(name="Staff"))
    return policy, hr


def run(staff, policies, question_count, requests):
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from accounts.models import User
        from digests.services import recipients, render_for, the_week
        from tests.conftest import record_in_session

        policy, hr = build(staff, policies, question_count)
        rows = []
        reader = User.objects.filter(username__startswith="s").order_by("pk").first()
        client = Client()
        client.force_login(reader)
        check = policy.url + "check/"
        assert client.get(check).status_code == 200, client.get(check)
        rows.append(("staff: the check page", *timed(lambda: client.get(check), requests)))
        wrong = {f"q-{q}": "1" for q in _ids(policy)}  # every answer wrong: the try is marked, nothing passes
        rows.append(("staff: a try at the check", *timed(lambda: client.post(check, wrong), requests)))
        hr_client = Client()
        hr_client.force_login(hr)
        record_in_session(hr_client, hr, {"method": "password"}, {"method": "mfa", "type": "totp"})
        queue = "/admin/guidance/questions/"
        rows.append((f"HR: questions asked ({question_count})", *timed(lambda: hr_client.get(queue), requests)))
        leader = recipients().first()
        rows.append(("digest: the week, worked out", *timed(the_week, max(3, requests // 5))))
        week = the_week()
        rows.append(("digest: one leader's email", *timed(lambda: render_for(leader, week), requests)))
        return rows
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _ids(policy):
    from policypages.models import PolicyPage
    from policypages.understanding import questions_for

    return [q.id for q in questions_for(PolicyPage.objects.get(pk=policy.pk).current_version)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--policies", type=int, default=40)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    rows = run(args.staff, args.policies, args.questions, args.requests)
    print(f"{args.staff} staff, {args.policies} policies, {args.questions} questions waiting")
    print(f"{'path':38} {'median ms':>10} {'queries':>8}")
    for label, ms, queries in rows:
        print(f"{label:38} {ms:10.1f} {queries:8d}")


if __name__ == "__main__":
    main()
