"""Throughput and latency under gunicorn (2 workers) on PostgreSQL, each page as a ratio to a plain "ok" view.

Run: `.venv/bin/python bench/load.py [--repeat 3] [--redis]` (PostgreSQL on 127.0.0.1:5432, or set
BENCH_POSTGRES_URL to a server URL without a database name). It creates a throwaway database, loads the demo
school and grows it to 2,000 staff and 40 policies (bench/school_at_scale.py), starts gunicorn with the
production settings and the project's gunicorn.conf.py on 127.0.0.1, and beside it a stock Wagtail site
(bench/stock_wagtail/: one page of 12 sections and 2,500 words, no cache) with the same number of workers.
Each URL is driven by a fixed number of concurrent clients for a fixed time; with --repeat the URLs take
turns, round after round, and the table gives each one's median round. It prints requests per second, the
ratio to the "ok" view of the same round, latency percentiles and the load average, then stops the servers
and drops the databases. Against 127.0.0.1 only; it stops by itself.
"""

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECTION = "/policies/social-media/contact-with-parents-and-carers/"
TARGETS = [  # (name, who is signed in, address, which server)
    ("plain 'ok' view", None, "/healthz", "school"),
    ("home (visitor)", None, "/", "school"),
    ("policy section (visitor)", None, SECTION, "school"),
    ("policy section (staff)", "staff", SECTION, "school"),
    ("whole policy (staff)", "staff", "/policies/social-media/", "school"),
    ("staff hub (staff)", "staff", "/staff/", "school"),
    ("search page (staff)", "staff", "/search/?q=can+I+friend+a+parent", "school"),
    ("search API (staff)", "staff", "/api/search/?q=can+I+friend+a+parent", "school"),
    ("HR reading report", "hr", "/admin/policy-reading/", "school"),
    ("stock Wagtail page", None, "/policy/", "stock"),
    # Wagtail's own admin page furniture (sidebar, menus, permission checks) around an empty report.
    ("stock Wagtail admin page", "editor", "/admin/reports/locked/", "stock"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def session_cookies(env):
    """A signed-in session for each demo person, made directly in the database as allauth's sign-in would make
    it, the second step included (HR's account has an authenticator, and the admin asks for it)."""
    code = (
        "import django, json, time; django.setup();"
        "from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY as M,"
        " _AUTHENTICATION_METHODS_USER_SESSION_KEY as U;"
        "from allauth.account.internal.userkit import user_id_to_str;"
        "from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "out = {}\n"
        "for who in ('staff', 'hr'):\n"
        "    u = get_user_model().objects.get(email=who + '@oakbrook.example')\n"
        "    s = SessionStore(); s[SESSION_KEY] = str(u.pk);"
        " s[BACKEND_SESSION_KEY] = 'allauth.account.auth_backends.AuthenticationBackend';"
        " s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s[U] = user_id_to_str(u);"
        " s[M] = [{'method': 'password', 'at': time.time()}, {'method': 'mfa', 'type': 'totp', 'at': time.time()}];"
        " s.create(); out[who] = s.session_key\n"
        "print(json.dumps(out))"
    )
    import json

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def stock_session_cookie(env):
    """A signed-in session for the stock site's editor, made in its database as Django's login would make it."""
    code = (
        "import django; django.setup();"
        "from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "u = get_user_model().objects.get(username='editor'); s = SessionStore(); s[SESSION_KEY] = str(u.pk);"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend';"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return result.stdout.strip().splitlines()[-1]


def start_server(env, app, workers):
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    # Access logs off the terminal: the table is the output.
    server = subprocess.Popen(
        [*command, "--workers", str(workers), "--access-logfile", "/dev/null", app], cwd=ROOT, env=env
    )
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{app} did not start")


def drive(port, path, cookie, clients, seconds):
    latencies, errors = [], []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    headers = {"Host": "127.0.0.1", **({"Cookie": f"sessionid={cookie}"} if cookie else {})}

    def client():
        mine, bad = [], 0
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status != 200:
                    bad += 1
                    continue
            except OSError:
                bad += 1
                continue
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)
            errors.append(bad)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return len(latencies) / elapsed, latencies, sum(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15, help="per URL and round (default 15)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the table shows each URL's median")
    parser.add_argument("--redis", action="store_true", help="use REDIS_URL (default redis://127.0.0.1:6379/9)")
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--policies", type=int, default=40, help="in all, the demo school's three included")
    parser.add_argument(
        "--only", default="", help="only the pages whose name holds this text (and the 'ok' view, the baseline)"
    )
    args = parser.parse_args()
    targets = [t for t in TARGETS if t is TARGETS[0] or args.only.lower() in t[0].lower()]

    server_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    database = f"bench_load_{int(time.time())}"
    stock_database = f"{database}_stock"
    psql = ["psql", f"{server_url}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c"]
    for name in (database, stock_database):
        subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "schoolsite.settings.production",
        "DATABASE_URL": f"{server_url}/{database}",
        "DATABASE_CONN_MAX_AGE": "60",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "WEB_CONCURRENCY": str(args.workers),
        # Workers are not recycled during the run (gunicorn.conf.py recycles them after 2,000 requests): each
        # restart would cost a cold start that the baseline, at ten times the rate, pays ten times as often.
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "warning",
        "MEDIA_ROOT": f"/tmp/{database}-media",
        "PRIVATE_MEDIA_ROOT": f"/tmp/{database}-private",
    }
    if args.redis:
        env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")
    stock_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.stock_wagtail.settings",
        "DATABASE_URL": f"{server_url}/{stock_database}",
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "warning",
    }
    servers = []
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo", "--allow-without-debug")
        extra = max(args.policies - 3, 0)
        subprocess.run(
            [sys.executable, "bench/school_at_scale.py", "--staff", str(args.staff), "--policies", str(extra)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        manage(env, "collectstatic", "--noinput")
        manage(stock_env, "migrate", "--noinput")
        subprocess.run([sys.executable, "bench/stock_wagtail/build.py"], cwd=ROOT, env=stock_env, check=True)
        cookies = session_cookies(env) | {"editor": stock_session_cookie(stock_env)}
        school, port = start_server(env, "schoolsite.wsgi", args.workers)
        stock, stock_port = start_server(stock_env, "bench.stock_wagtail.wsgi", args.workers)
        servers = [school, stock]
        ports = {"school": port, "stock": stock_port}
        for name, who, path, where in targets:  # every address answers 200 before anything is timed
            _, latencies, errors = drive(ports[where], path, cookies.get(who) if who else None, 1, 0.5)
            if errors or not latencies:
                raise SystemExit(f"{name} ({path}) did not answer 200")
        rounds = {name: [] for name, *_ in targets}
        loads = []
        for _ in range(args.repeat):
            baseline = None
            for name, who, path, where in targets:
                cookie = cookies.get(who) if who else None
                drive(ports[where], path, cookie, 2, 1.0)  # warm: the search index, the page cache, connections
                rate, latencies, errors = drive(ports[where], path, cookie, args.clients, args.seconds)
                baseline = baseline or rate
                rounds[name].append((rate / baseline, rate, statistics.quantiles(latencies, n=100), errors))
                loads.append(os.getloadavg()[0])
        print(
            f"gunicorn, {args.workers} workers, PostgreSQL, {'Redis' if args.redis else 'per-process memory'} cache, "
            f"{args.clients} clients, {args.seconds:g} s per URL, {args.repeat} rounds (median shown), "
            f"{os.cpu_count()} CPUs, {args.staff} more staff, {args.policies} policies"
        )
        print(f"{'url':<28} {'req/s':>7} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
        for name, *_ in targets:
            ratio, rate, q, errors = sorted(rounds[name], key=lambda r: r[0])[len(rounds[name]) // 2]
            print(f"{name:<28} {rate:>7.0f} {ratio:>6.2f} {q[49]:>7.1f} {q[94]:>7.1f} {q[98]:>7.1f} {errors:>6}")
        print(f"1-minute load average during the runs: {min(loads):.2f} to {max(loads):.2f}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=15)
        for name in (database, stock_database):
            subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=False)


if __name__ == "__main__":
    main()
