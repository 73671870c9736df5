"""Latency of /api/search/ with many answers and policy sections, on SQLite or PostgreSQL.

Run: `.venv/bin/python bench/search.py [--answers 300 5000] [--sections 2000] [--requests 200]
[--without-second-look]` (the last measures search as it was before sitesearch/rerank.py, for comparison)
(PostgreSQL: set DATABASE_URL). Each size runs in a fresh process and a throwaway test database.
Queries are the relevance set's, so the mix is realistic; prints median and 95th percentile (each search
embeds its query with the model), what the index costs to build and hold, the process's resident memory,
and what embedding costs when a page is published.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schoolsite.settings.test")

FILLER = (
    "staff pupils parents policy online account school message photo report friend request declare "
    "safeguarding privacy trip class group chat phone evidence screenshot abuse complaint"
).split()


def build(answers, sections):
    from django.utils.text import slugify

    from accounts.models import User
    from guidance.importer import read_rows
    from guidance.models import GuidanceAnswerPage
    from policypages.models import PolicySectionPage
    from sitesetup.demo_data import read_bytes, school
    from sitesetup.setup import setup_site
    from tests.policypages.factories import PolicyPageFactory, section_body

    tree, _ = setup_site("Bench School")
    demo_answers = read_rows(read_bytes(school()["answers"]))
    rng = random.Random(7)
    per_policy = 50
    for p in range(max(1, sections // per_policy)):
        policy = PolicyPageFactory(parent=tree.policies, title=f"Policy {p}", slug=f"policy-{p}")
        for n in range(1, per_policy + 1):
            words = " ".join(rng.choice(FILLER) for _ in range(60))
            section = PolicySectionPage(
                title=f"Section {n} about {rng.choice(FILLER)}",
                slug=f"s{n}",
                number=str(n),
                body=section_body(words.capitalize() + "."),
            )
            policy.add_child(instance=section)
            section.save_revision().publish(skip_permission_checks=True)
    for i in range(answers):
        row = demo_answers[i % len(demo_answers)]
        audience, question, answer = row["audience"], row["question"], row["answer"]
        title = question if i < len(demo_answers) else f"{question} ({rng.choice(FILLER)} {i})"
        parent = tree.staff_guidance if audience == "staff" else tree.parents_guidance
        page = GuidanceAnswerPage(
            title=title,
            slug=slugify(title)[:60] + f"-{i}",
            short_answer=row["short_answer"],
            answer=f"<p>{answer}</p>",
            topics=row["topics"].replace(";", ","),
            also_asked="\n".join(q.strip() for q in row["also_asked"].split(";")),
            audience=audience,
        )
        parent.add_child(instance=page)
        page.save_revision().publish(skip_permission_checks=True)
    user = User.objects.create_user(username="bench", email="bench@school.example", password="x")
    user.groups.add(*__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.filter(name="Staff"))
    return user


def run(answers, sections, requests, profile=False, second_look=True):
    import django

    django.setup()
    if not second_look:
        from sitesearch import rerank

        rerank.RERANK_CANDIDATES = 0
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.search.relevance_queries import QUERIES

    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        start = time.perf_counter()
        user = build(answers, sections)
        built = time.perf_counter() - start
        client = Client()
        client.force_login(user)
        queries = [q for _, q, _ in QUERIES]
        for q in queries[:10]:
            client.get("/api/search/", {"q": q})  # warm caches (vocabulary, synonyms)
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for i in range(requests):
                client.get("/api/search/", {"q": queries[i % len(queries)]})
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            return
        timings = []
        for i in range(requests):
            q = queries[i % len(queries)]
            t = time.perf_counter()
            response = client.get("/api/search/", {"q": q})
            timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        full, incremental, memory = index_costs()
        answer_ms, section_ms = embedding_costs()
        print(
            f"{'' if second_look else '(without the second look) '}"
            f"{connection.vendor:<10} {answers:>6} answers {sections:>5} sections  median {statistics.median(timings):6.1f} ms"
            f"  p95 {p95:6.1f} ms  ({requests} requests; data built in {built:.0f}s)\n"
            f"{'':<10} index: full build {full:.0f} ms, rebuild after one publish {incremental:.0f} ms,"
            f" {memory / 2**20:.1f} MiB in Python objects; process resident memory {resident_mib():.0f} MiB\n"
            f"{'':<10} embedding on publish: an answer {answer_ms:.1f} ms, a 600-word section {section_ms:.1f} ms"
        )
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


def index_costs():
    """What the search index costs: a full build (a new process's first search), a rebuild after one
    answer is republished (every process's first search after an edit), and its memory."""
    import tracemalloc

    from core.content import content_version
    from guidance.models import GuidanceAnswerPage
    from sitesearch import index as search_index

    search_index.forget()
    start = time.perf_counter()
    search_index.current(content_version())
    full = (time.perf_counter() - start) * 1000
    page = GuidanceAnswerPage.objects.live().first()
    page.short_answer = page.short_answer + "."
    page.save_revision().publish(skip_permission_checks=True)
    start = time.perf_counter()
    search_index.current(content_version())
    incremental = (time.perf_counter() - start) * 1000
    search_index.forget()
    tracemalloc.start()
    search_index.current(content_version())
    memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return full, incremental, memory


def resident_mib():
    """The process's resident memory now (model, tantivy and vectors included, which tracemalloc cannot see)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def embedding_costs(repeat=20):
    """Milliseconds to embed one answer and one long section when they are published."""
    from guidance.models import GuidanceAnswerPage
    from policypages.models import PolicySectionPage
    from sitesearch import embeddings

    loaded = embeddings.model()
    answer = GuidanceAnswerPage.objects.live().first()
    section = PolicySectionPage.objects.live().first()
    long_text = " ".join(FILLER * 30)[:4000]  # about 600 words: five passages
    section_passages = [f"{section.title}. {long_text[i : i + 800]}" for i in range(0, len(long_text), 800)]
    costs = []
    for texts in (embeddings.passages(answer), section_passages):
        start = time.perf_counter()
        for _ in range(repeat):
            # Past the model's memory of recent texts: a publish embeds words it has not seen.
            for text in texts:
                loaded._embed_one(text)
        costs.append((time.perf_counter() - start) * 1000 / repeat)
    return costs


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, nargs="+", default=[300, 5000])
    parser.add_argument("--sections", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="print where the time goes (first size only)")
    parser.add_argument("--without-second-look", action="store_true", help="the first stage's order alone")
    parser.add_argument("--only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only is not None or args.profile:
        answers = args.only if args.only is not None else args.answers[0]
        run(answers, args.sections, args.requests, args.profile, not args.without_second_look)
        return
    for answers in args.answers:
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--only",
                str(answers),
                "--sections",
                str(args.sections),
                "--requests",
                str(args.requests),
                *(["--without-second-look"] if args.without_second_look else []),
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
