"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py schoolsite.wsgi`.

Every value can be changed from the environment, so one file serves a single school's small server and a
trust's several application servers (docs/deployment.md).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Each worker is a process with its own database connection, its own copy of the search index (tens of MiB
# at 5,000 answers) and the search's embedding model (about 60 MiB): two per core is plenty for this
# I/O-light site.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count(), 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A request that takes longer than this is stuck (the slowest report takes well under a second).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never take a server down; jitter avoids all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Behind a proxy on the same machine or network: trust its X-Forwarded-* headers only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def post_worker_init(worker):
    """Ready the worker for search as it starts, not in the first person's search: the embedding model loaded
    and its search index built (sitesearch.pipeline.warm_up). Per worker, after the fork: an onnxruntime
    session is not safe to share across one. Only in this project's site (bench/load.py serves a stock
    Wagtail site with the same settings for gunicorn). A worker whose database is not reachable yet still
    starts: its first search builds the index instead."""
    from django.apps import apps

    if not apps.is_installed("sitesearch"):
        return
    from django.db import DatabaseError, connections

    from sitesearch import embeddings, pipeline

    embeddings.model()
    try:
        pipeline.warm_up()
    except DatabaseError as error:
        worker.log.warning("Search index not built at start (%s): the first search will build it.", error)
    finally:
        connections.close_all()
