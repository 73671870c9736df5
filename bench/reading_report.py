"""The HR reading reports with 2,000 staff and 40 policies, against 20 staff: time and SQL queries.

Run: `.venv/bin/python bench/reading_report.py [--staff 2000] [--policies 40] [--requests 20]`
(or `make bench`). Throwaway test database (SQLite unless DATABASE_URL is set); prints medians.
"""

import argparse
import os
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
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build(staff_count, policy_count):
    from django.contrib.auth.models import Group
    from school_at_scale import add_staff_and_policies

    from accounts.models import User
    from sitesetup.setup import setup_site

    tree, _ = setup_site("Bench School")
    receipts = add_staff_and_policies(tree.policies, staff_count, policy_count)
    hr = User.objects.create_user(username="hr", email="hr@school.example", password="x")
    hr.groups.add(Group.objects.get(name="Policy editors"))
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(hr, generate_totp_secret())
    return hr, receipts


def measure(client, url, requests):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), queries, len(response.content)


def run(staff, policies, requests):
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        start = time.perf_counter()
        hr, receipt_count = build(staff, policies)
        built = time.perf_counter() - start
        from policypages.models import PolicyPage

        first = PolicyPage.objects.order_by("title").first()
        client = Client()
        client.force_login(hr)
        # HR has an authenticator, and the admin asks for the second step: record it as allauth would.
        from tests.conftest import record_in_session

        record_in_session(client, hr, {"method": "password"}, {"method": "mfa", "type": "totp"})
        rows = []
        for label, url in (
            ("overview (all policies)", "/admin/policy-reading/"),
            ("one policy, everyone, page 1", f"/admin/policy-reading/policy/{first.pk}/?state=all"),
            ("one policy, CSV of everyone", f"/admin/policy-reading/policy/{first.pk}/?state=all&format=csv"),
            ("people, page 1", "/admin/policy-reading/people/"),
        ):
            rows.append((label, *measure(client, url, requests)))
        return built, receipt_count, rows
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--policies", type=int, default=40)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only is None:
        # Each size in a fresh process, so the two test databases cannot share anything.
        import subprocess

        for staff in (20, args.staff):
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--only",
                    str(staff),
                    "--policies",
                    str(args.policies),
                    "--requests",
                    str(args.requests),
                ],
                check=True,
            )
        return
    setup_test_environment()
    for staff in (args.only,):
        built, receipts, rows = run(staff, args.policies, args.requests)
        print(f"\n{staff} staff, {args.policies} policies, {receipts} receipts (built in {built:.1f}s)")
        print(f"{'report':<32} {'median ms':>10} {'queries':>8} {'kB':>8}")
        for label, median, queries, size in rows:
            print(f"{label:<32} {median:>10.1f} {queries:>8} {size / 1024:>8.1f}")
        print(
            f"\n{args.requests} requests each, Django test client, {connection.vendor}, Python {sys.version.split()[0]}"
        )


if __name__ == "__main__":
    main()
