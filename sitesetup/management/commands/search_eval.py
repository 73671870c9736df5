"""Measure search on a set of answers and queries, in a throwaway database (sitesearch/evaluation.py).

    manage.py search_eval ../shared/devsets/search/answers.csv ../shared/devsets/search/queries.tsv
    manage.py search_eval ANSWERS.csv QUERIES.tsv --required-only   # question, answer, audience only
    manage.py search_eval ANSWERS.csv QUERIES.tsv --unanswerable tests/fixtures/search/unanswerable.tsv

Nothing touches the site's own database: the command runs itself again in a child process whose database is
a new SQLite file in a temporary folder, migrates it, sets up an empty school, imports the answers through
the real importer (import_guidance) and runs every query through the real search pipeline, as its role.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from accounts import roles
from accounts.models import User
from guidance.importer import import_answers
from sitesearch.evaluation import (
    evaluate,
    only_required_columns,
    read_answers,
    read_queries,
    read_unanswerable,
    replay_learning,
)
from sitesetup.setup import setup_site


class Command(BaseCommand):
    help = "Recall@1, recall@3, MRR and the misses of search on a set of answers (CSV) and queries (TSV)."

    def add_arguments(self, parser):
        parser.add_argument("answers")
        parser.add_argument("queries")
        parser.add_argument(
            "--required-only",
            action="store_true",
            help="Import only question, answer and audience, as a school's first spreadsheet would have.",
        )
        parser.add_argument(
            "--unanswerable",
            help="A TSV of role and query the answers do not answer: how often search says it has nothing.",
        )
        parser.add_argument(
            "--learn",
            action="store_true",
            help="Also replay learning from searches: teach the tuning half's misses, report both halves again.",
        )
        parser.add_argument(
            "--in-throwaway-database",
            action="store_true",
            help="(internal) this process already runs in a throwaway database",
        )

    def handle(self, *args, answers, queries, required_only, unanswerable, learn, in_throwaway_database, **options):
        answers_path, queries_path = Path(answers), Path(queries)
        unanswerable_path = Path(unanswerable) if unanswerable else None
        for path in (answers_path, queries_path, unanswerable_path):
            if path is not None and not path.is_file():
                raise CommandError(f"File not found: {path}")
        if not in_throwaway_database:
            return self._run_in_a_throwaway_database(
                answers_path, queries_path, required_only, unanswerable_path, learn
            )
        self.stdout.write(_evaluate_here(answers_path, queries_path, required_only, unanswerable_path, learn))

    def _run_in_a_throwaway_database(self, answers_path, queries_path, required_only, unanswerable_path, learn):
        with tempfile.TemporaryDirectory(prefix="search-eval-") as folder:
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'eval.sqlite3'}",
                "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "schoolsite.settings.dev"),
                "REDIS_URL": "",
                "ELASTICSEARCH_URL": os.environ.get("ELASTICSEARCH_URL", ""),
            }
            command = [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "search_eval",
                str(answers_path.resolve()),
                str(queries_path.resolve()),
                "--in-throwaway-database",
            ] + (["--required-only"] if required_only else [])
            if unanswerable_path:
                command += ["--unanswerable", str(unanswerable_path.resolve())]
            if learn:
                command.append("--learn")
            result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise CommandError(f"The evaluation failed:\n{result.stderr[-3000:]}")
        self.stdout.write(result.stdout)


def _evaluate_here(answers_path, queries_path, required_only, unanswerable_path=None, learn=False):
    call_command("migrate", verbosity=0)
    tree, _ = setup_site("Evaluation school")
    raw = answers_path.read_bytes()
    if required_only:
        raw = only_required_columns(raw)
    import_answers(raw, staff_index=tree.staff_guidance, public_index=tree.parents_guidance)
    staff = User.objects.create_user(username="eval", email="eval@school.invalid", password=None)
    staff.groups.add(*Group.objects.filter(name=roles.STAFF))
    queries = read_queries(queries_path.read_bytes())
    if unanswerable_path:
        queries += read_unanswerable(unanswerable_path.read_bytes())
    report = evaluate(read_answers(raw), queries, staff)
    if not learn:
        return report.text()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):  # no alert printed
        hr = User.objects.create_user(username="eval-hr", email="hr@school.invalid", password=None)
        hr.groups.add(*Group.objects.filter(name__in=[roles.STAFF, roles.POLICY_EDITORS]))
    replay = replay_learning(read_answers(raw), read_queries(queries_path.read_bytes()), staff, hr)
    return f"{report.text()}\n\n{replay.text()}"
