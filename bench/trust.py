"""A trust at scale (issue 19, part 5): the pages a school's staff and HR and the trust's HR use every day, at a
small trust and at 50 schools (10,000 staff, about 2,000 policy sections, 10,000 answers): time and SQL queries.
The query counts must not grow with the number of schools.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/trust.py [--schools 50]
[--small 5] [--requests 20]` (or `make bench`). Each size is built in its own throwaway test database, in its own
process, with `load_demo --trust N`; prints medians, not a pass/fail.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolsite.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def measure(client, url, requests, host):
    client.get(url, HTTP_HOST=host)  # warm caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HOST=host)
    queries = len(captured)
    assert response.status_code == 200, (url, host, response.status_code)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url, HTTP_HOST=host)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), queries


def signed_in(user, mfa=False):
    from tests.conftest import record_in_session

    client = Client()
    client.force_login(user)
    if mfa:  # HR has an authenticator, and the admin asks for the second step: recorded as allauth would
        record_in_session(client, user, {"method": "password"}, {"method": "mfa", "type": "totp"})
    return client


def run(schools, requests):
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        start = time.perf_counter()
        call_command("load_demo", "--allow-without-debug", "--trust", str(schools), stdout=open(os.devnull, "w"))
        built = time.perf_counter() - start

        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        from accounts import roles
        from accounts.models import User
        from guidance.models import GuidanceAnswerPage
        from policypages.models import PolicyPage, PolicySectionPage
        from schools.models import School

        school = School.objects.get(name="School 01 Academy")
        host = school.site.hostname
        teacher = User.objects.filter(school=school, groups__name=roles.STAFF).exclude(
            groups__name=roles.POLICY_EDITORS
        )[0]
        school_hr = User.objects.filter(school=school, groups__name=roles.POLICY_EDITORS)[0]
        trust_hr = User.objects.get(email="hr@oakbrook.example")
        User.objects.filter(pk=trust_hr.pk).update(school=None)  # the trust's central HR
        trust_hr.refresh_from_db()
        for person in (school_hr, trust_hr):
            if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(person, generate_totp_secret())
        copy = PolicyPage.objects.descendant_of(school.site.root_page).exclude(adopted_from=None).first()
        section = PolicySectionPage.objects.child_of(copy).first()
        sizes = (
            School.objects.count(),
            User.objects.count(),
            PolicySectionPage.objects.count(),
            GuidanceAnswerPage.objects.count(),
        )
        staff, hr, central = signed_in(teacher), signed_in(school_hr, mfa=True), signed_in(trust_hr, mfa=True)
        rows = []
        for label, client, url in (
            ("staff hub", staff, "/staff/"),
            ("a school's copy of a trust policy", staff, copy.url),
            ("one of its sections", staff, section.url),
            ("search", staff, "/search/?q=can+I+friend+a+parent"),
            ("search API", staff, "/api/search/?q=can+I+friend+a+parent"),
            ("one school's reading report (its HR)", hr, "/admin/policy-reading/"),
            ("trust-wide reading report (trust HR)", central, "/admin/policy-reading/"),
            ("trust policies screen (its HR)", hr, "/admin/trust-policies/"),
        ):
            rows.append((label, *measure(client, url, requests, host)))
        return built, sizes, rows
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--small", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only is None:
        for schools in (args.small, args.schools):  # each in a fresh process and database
            subprocess.run(
                [sys.executable, __file__, "--only", str(schools), "--requests", str(args.requests)], check=True
            )
        return
    setup_test_environment()
    built, sizes, rows = run(args.only, args.requests)
    print(
        f"\n{sizes[0]} schools, {sizes[1]} people, {sizes[2]} policy sections, {sizes[3]} answers "
        f"(built in {built:.0f}s)"
    )
    print(f"{'page':<40} {'median ms':>10} {'queries':>8}")
    for label, median, queries in rows:
        print(f"{label:<40} {median:>10.1f} {queries:>8}")
    print(f"\n{args.requests} requests each, Django test client, {connection.vendor}, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
