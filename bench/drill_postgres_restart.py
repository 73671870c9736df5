"""Failure drill: PostgreSQL restarts while parents read and staff submit confidential records.

Run as root on a machine whose PostgreSQL you may restart (this drill restarts the local cluster with
`pg_ctlcluster`, by default 15/main): `.venv/bin/python bench/drill_postgres_restart.py`.

Readers hit gunicorn (2 workers, production settings, page cache off so every read needs the database);
writers submit relationship declarations through the whole Django stack in this process. Five seconds in,
PostgreSQL is restarted. Afterwards it reports failed and recovered requests and checks that every record
that exists is whole: its declaration row, its 'submitted' audit entry and its notifications, all or none.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATABASE = f"drill_pg_{int(time.time())}"
ENV = {
    "DJANGO_SETTINGS_MODULE": "schoolsite.settings.production",
    "DATABASE_URL": f"{SERVER}/{DATABASE}",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "PAGE_CACHE_ENABLED": "false",
    "WEB_CONCURRENCY": "2",
    "LOG_LEVEL": "error",
    "MEDIA_ROOT": f"/tmp/{DATABASE}-media",
    "PRIVATE_MEDIA_ROOT": f"/tmp/{DATABASE}-private",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": "9",  # nothing listens: notifications stay in the outbox, as in the SMTP drill
    "EMAIL_TIMEOUT": "1",
}
PATH = "/policies/social-media/contact-with-parents-and-carers/"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cluster", default="15 main", help="pg_ctlcluster version and name")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    psql = ["psql", f"{SERVER}/postgres", "-q", "-c"]
    subprocess.run([*psql, f'CREATE DATABASE "{DATABASE}"'], check=True)
    os.environ.update(ENV)
    run = {"cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    subprocess.run([sys.executable, "manage.py", "load_demo", "--allow-without-debug"], **run)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], **run)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "--access-logfile", "/dev/null", "schoolsite.wsgi"], cwd=ROOT)
    time.sleep(3)

    import django

    django.setup()
    from django.db import close_old_connections
    from django.test import Client

    from accounts.models import User

    staff = User.objects.get(email="staff@oakbrook.example")
    stop = time.monotonic() + args.seconds
    reads, writes = [], []

    def reader():
        while time.monotonic() < stop:
            began = time.monotonic()
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}{PATH}", timeout=10).status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = "no answer"
            reads.append((began, status))
            time.sleep(0.02)

    def writer():
        client = Client(raise_request_exception=False)
        client.force_login(staff)
        while time.monotonic() < stop:
            began = time.monotonic()
            data = {
                "person": "parent", "person_name": "Drill parent", "relationship": "family_friend",
                "platforms": "Facebook", "since": "2020-01-01", "details": "Drill.", "submission_key": str(uuid.uuid4()),
            }  # fmt: skip
            try:
                status = client.post("/records/submit/relationship/", data).status_code
            except Exception as error:  # the test client may meet the failure before a response exists
                status = type(error).__name__
            writes.append((began, status))
            close_old_connections()
            time.sleep(0.05)

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    time.sleep(5)
    restart_at = time.monotonic()
    subprocess.run(["pg_ctlcluster", *args.cluster.split(), "restart"], check=True)
    restarted_at = time.monotonic()
    for thread in threads:
        thread.join()
    server.terminate()
    server.wait(timeout=15)

    def summary(name, rows, good):
        failed = [(t, s) for t, s in rows if s not in good]
        after = [t for t, s in rows if t > restarted_at and s in good]
        back = (min(after) - restarted_at) if after else None
        kinds = sorted({str(s) for _, s in failed})
        print(
            f"{name}: {len(rows)} requests, {len(rows) - len(failed)} ok, {len(failed)} failed ({', '.join(kinds)}); "
            f"first success {back:.2f} s after the restart finished"
            if back is not None
            else "never recovered"
        )

    print(f"PostgreSQL restart took {restarted_at - restart_at:.2f} s ({args.cluster})")
    summary("Reads (gunicorn)", reads, {200})
    summary("Record submissions", writes, {302})

    close_old_connections()
    from wagtail.models import ModelLogEntry

    from declarations.models import Notification, Record, RelationshipDeclaration

    records = Record.objects.filter(submitted_by=staff)
    whole = 0
    for record in records:
        has_child = RelationshipDeclaration.objects.filter(pk=record.pk).exists()
        logged = ModelLogEntry.objects.filter(object_id=str(record.pk), action="declarations.submit").count() == 1
        notified = Notification.objects.filter(record=record).exists()
        whole += has_child and logged and notified
    ok_writes = sum(1 for _, s in writes if s == 302)
    print(f"Records saved: {records.count()} (submissions answered ok: {ok_writes}); whole: {whole}")
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'], check=False)


if __name__ == "__main__":
    main()
