"""Where a signed-in page's time goes (issue 17): each page profiled, its time split into the stages a request
passes through, with its SQL queries.

Run: `.venv/bin/python bench/profile_pages.py [--requests 50] [--top 0]`. A throwaway test database (SQLite
unless DATABASE_URL is set) with the demo school; Django's test client, signed in as the demo's staff member
(and as HR, with the second step recorded, for the reading report). Prints, per page, milliseconds per request
in each stage (stages nest: the view holds routing, the privacy check, the context and the template) and
the queries one request makes, grouped by table. `--top N` also prints cProfile's N most expensive functions
(`--sort cumulative` to see the stages above them); `--only report` profiles only the pages whose label says so;
`--redis` keeps the cache and sessions in Redis, as in production; `--at-scale` grows the school as bench/load.py
does.
Under cProfile every function call costs more, so read the shares, not the absolute times; `bench/render.py`
and `bench/load.py` give the real times.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolsite.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PAGES = [
    ("policy section", "staff", "/policies/social-media/contact-with-parents-and-carers/"),
    ("whole policy", "staff", "/policies/social-media/"),
    ("staff hub", "staff", "/staff/"),
    ("search", "staff", "/search/?q=can+I+friend+a+parent"),
    ("search API", "staff", "/api/search/?q=can+I+friend+a+parent"),
    ("HR reading report", "hr", "/admin/policy-reading/"),
]

# (stage, file path ending, function name): cumulative time of these functions is the stage's time.
STAGES = [
    ("whole request", "django/test/client.py", "request"),
    ("view (after middleware)", "django/core/handlers/base.py", "_get_response"),
    ("routing the URL to a page", "wagtail/models/pages.py", "route_for_request"),
    ("privacy: view restrictions", "wagtail/models/pages.py", "get_view_restrictions"),
    ("page context", "policypages/models.py", "get_context"),
    ("template rendering", "django/template/response.py", "render"),
    ("session load", "django/contrib/sessions/backends/db.py", "load"),
    ("user load", "django/contrib/auth/__init__.py", "get_user"),
    ("SQL: building queries", "django/db/models/sql/compiler.py", "as_sql"),
    ("SQL: running them", "django/db/backends/utils.py", "execute"),
]


def stage_times(stats, requests):
    out = {}
    for (filename, _line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
        for stage, ending, name in STAGES:
            if function == name and filename.endswith(ending):
                out[stage] = max(out.get(stage, 0.0), cumulative * 1000 / requests)
    return out


def tables(queries):
    counts = Counter()
    for query in queries:
        match = re.search(r'FROM\s+"?(\w+)"?', query["sql"])
        counts[match.group(1) if match else query["sql"][:30]] += 1
    return counts


def signed_in_client(email):
    from accounts.models import User
    from tests.conftest import record_in_session

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    record_in_session(client, user, {"method": "password"}, {"method": "mfa", "type": "totp"})
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--sort", default="tottime", help="cProfile's order for --top: tottime or cumulative")
    parser.add_argument("--only", help="profile only the pages whose label contains this, e.g. report")
    parser.add_argument(
        "--redis",
        action="store_true",
        help="the cache and sessions in Redis (REDIS_URL, default redis://127.0.0.1:6379/9), as in production: "
        "what is kept only in a cache every process shares is then kept",
    )
    parser.add_argument(
        "--at-scale",
        action="store_true",
        help="grow the demo school to 2,000 staff and 40 policies (bench/school_at_scale.py), as bench/load.py does",
    )
    args = parser.parse_args()
    if args.redis:
        from django.conf import settings

        settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.ResilientRedisCache",
                "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
            }
        }
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        from django.core.cache import cache

        cache.clear()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", "--allow-without-debug", verbosity=0)  # a throwaway test database
        if args.at_scale:
            from school_at_scale import add_staff_and_policies

            from policypages.models import PolicyIndexPage

            add_staff_and_policies(PolicyIndexPage.objects.order_by("path").first(), 2000, 37)
        clients = {"staff": signed_in_client("staff@oakbrook.example"), "hr": signed_in_client("hr@oakbrook.example")}
        for label, who, url in PAGES:
            if args.only and args.only.lower() not in label.lower():
                continue
            client = clients[who]
            response = client.get(url)  # warm: search index, templates, caches
            assert response.status_code == 200, (label, url, response.status_code)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            # Read now: each request empties the connection's query log.
            query_count, by_table = len(captured), tables(captured.captured_queries)
            start = time.perf_counter()
            for _ in range(args.requests):
                client.get(url)
            plain = (time.perf_counter() - start) * 1000 / args.requests
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                client.get(url)
            profile.disable()
            stats = pstats.Stats(profile)
            print(f"\n{label} ({who}) {url}")
            print(f"  {plain:.1f} ms per request without the profiler; {query_count} queries")
            measured = stage_times(stats, args.requests)
            for stage, _, _ in STAGES:
                if stage in measured:
                    print(f"  {stage:<32} {measured[stage]:7.1f} ms")
            print("  queries by table: " + ", ".join(f"{t} {n}" for t, n in by_table.most_common()))
            if args.top:
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
                print(out.getvalue())
        print(
            f"\n{args.requests} requests each, Django test client, {connection.vendor}, Python {sys.version.split()[0]}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
