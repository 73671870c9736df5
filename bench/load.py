"""Throughput and latency under gunicorn (2 workers) on PostgreSQL, each page as a ratio to a plain "ok" view.

Run: `.venv/bin/python bench/load.py` (PostgreSQL on 127.0.0.1:5432, or set BENCH_POSTGRES_URL to a server
URL without a database name). It creates a throwaway database, loads the demo school, starts gunicorn with
the production settings and the project's gunicorn.conf.py on 127.0.0.1, drives each URL with a fixed
number of concurrent clients for a fixed time, prints requests per second and latency percentiles, then
stops the server and drops the database. Against 127.0.0.1 only; it stops by itself.
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

TARGETS = [
    ("plain 'ok' view", None, "/healthz"),
    ("home (visitor)", None, "/"),
    ("policy section (visitor)", None, "/policies/social-media/contact-with-parents-and-carers/"),
    ("policy section (staff)", "staff", "/policies/social-media/contact-with-parents-and-carers/"),
    ("staff search", "staff", "/search/?q=can+I+friend+a+parent"),
    ("HR reading report", "hr", "/admin/policy-reading/"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def session_cookies(env):
    """A signed-in session for each demo person, made directly in the database (as a sign-in would)."""
    code = (
        "import django, json; django.setup();"
        "from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "out = {}\n"
        "for who in ('staff', 'hr'):\n"
        "    u = get_user_model().objects.get(email=who + '@oakbrook.example')\n"
        "    s = SessionStore(); s[SESSION_KEY] = str(u.pk);"
        " s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend';"
        " s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); out[who] = s.session_key\n"
        "print(json.dumps(out))"
    )
    import json

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


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
    parser.add_argument("--seconds", type=float, default=15, help="per URL (default 15)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", action="store_true", help="use REDIS_URL (default redis://127.0.0.1:6379/9)")
    args = parser.parse_args()

    server_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    database = f"bench_load_{int(time.time())}"
    psql = ["psql", f"{server_url}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c"]
    subprocess.run([*psql, f'CREATE DATABASE "{database}"'], check=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "schoolsite.settings.production",
        "DATABASE_URL": f"{server_url}/{database}",
        "DATABASE_CONN_MAX_AGE": "60",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "WEB_CONCURRENCY": str(args.workers),
        "LOG_LEVEL": "warning",
        "MEDIA_ROOT": f"/tmp/{database}-media",
        "PRIVATE_MEDIA_ROOT": f"/tmp/{database}-private",
    }
    if args.redis:
        env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")
    server = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo", "--allow-without-debug")
        manage(env, "collectstatic", "--noinput")
        cookies = session_cookies(env)
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        # Access logs off the terminal: the table is the output.
        server = subprocess.Popen([*command, "--access-logfile", "/dev/null", "schoolsite.wsgi"], cwd=ROOT, env=env)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"gunicorn, {args.workers} workers, PostgreSQL, {'Redis' if args.redis else 'per-process memory'} cache, "
            f"{args.clients} clients, {args.seconds:g} s per URL, {os.cpu_count()} CPUs"
        )
        print(f"{'url':<28} {'req/s':>7} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
        baseline = None
        for name, who, path in TARGETS:
            cookie = cookies.get(who) if who else None
            drive(port, path, cookie, 2, 1.0)  # warm: the search index, the page cache, connections
            rate, latencies, errors = drive(port, path, cookie, args.clients, args.seconds)
            baseline = baseline or rate
            q = statistics.quantiles(latencies, n=100)
            print(
                f"{name:<28} {rate:>7.0f} {rate / baseline:>6.2f} {q[49]:>7.1f} {q[94]:>7.1f} {q[98]:>7.1f} {errors:>6}"
            )
    finally:
        if server:
            server.terminate()
            server.wait(timeout=15)
        subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], check=False)


if __name__ == "__main__":
    main()
