"""Render time and SQL queries for a policy page and a section page, by number of sections.

Run: `make bench` (or `.venv/bin/python bench/render.py [--requests 200]`). Uses a throwaway test database
(SQLite unless DATABASE_URL is set) and Django's test client; prints medians, not a pass/fail.
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


def measure(client, url, requests):
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # read now: later requests reset the connection's query log
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18], queries, len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from accounts.models import User
        from sitesetup.setup import setup_site
        from tests.policypages.factories import make_policy

        tree, _ = setup_site("Bench School")
        staff = User.objects.create_user(username="bench", email="bench@school.example", password="x")
        for n in (3, 12, 24):
            make_policy(tree.policies, sections=n, slug=f"policy-{n}", title=f"Policy with {n} sections")

        print(f"{'page':<34} {'reader':<16} {'median ms':>9} {'p95 ms':>8} {'queries':>8} {'kB':>6}")
        from django.conf import settings

        for reader in ("anonymous", "visitor, cached", "staff"):
            # Rendering cost first (page cache off), then what a parent gets from the visitors' page cache.
            settings.PAGE_CACHE_ENABLED = reader == "visitor, cached"
            client = Client()
            if reader == "staff":
                client.force_login(staff)
            for n in (3, 12, 24):
                for label, url in (
                    (f"policy page, {n} sections", f"/policies/policy-{n}/"),
                    (f"section page, {n} sections", f"/policies/policy-{n}/section-2/"),
                ):
                    median, p95, queries, size = measure(client, url, args.requests)
                    print(f"{label:<34} {reader:<16} {median:>9.2f} {p95:>8.2f} {queries:>8} {size / 1024:>6.1f}")
        print(
            f"\n{args.requests} requests each, Django test client, {connection.vendor}, Python {sys.version.split()[0]}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
