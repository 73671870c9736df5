"""`manage.py search_eval` measures search on a set it has never seen, in a throwaway database."""

import re

import pytest
from django.core.management import CommandError, call_command

from sitesearch.evaluation import HALVES, half_of, read_queries

ANSWERS = """id,question,answer,audience,short_answer,also_asked
A1,Can I wear jeans on a training day?,Smart casual clothes are fine on training days without pupils.,staff,Yes,
A2,How do I report a lost laptop?,Tell the IT office at once so the device can be locked remotely.,staff,Tell IT,
A3,When does the school office open?,The office is open from 8am to 4pm on school days.,everyone,8 to 4,
"""
QUERIES = "role\tquery\texpected\nstaff\tjeans on inset day\tA1\nstaff\tlost my laptop\tA2\nanon\toffice hours\tA3\n"


def test_search_eval_reports_recall_and_misses_without_touching_the_sites_database(tmp_path, capsys, db):
    from guidance.models import GuidanceAnswerPage

    (tmp_path / "answers.csv").write_text(ANSWERS)
    (tmp_path / "queries.tsv").write_text(QUERIES)
    call_command("search_eval", str(tmp_path / "answers.csv"), str(tmp_path / "queries.tsv"))
    out = capsys.readouterr().out
    assert re.search(r"^all\s+3 queries\s+recall@1 1\.000\s+recall@3 1\.000", out, re.M), out
    assert "held-out half" in out and "tuning half" in out and "MRR" in out
    assert not GuidanceAnswerPage.objects.exists()  # imported elsewhere, not here


def test_search_eval_says_which_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        call_command("search_eval", str(tmp_path / "nope.csv"), str(tmp_path / "nope.tsv"))


def test_the_halves_are_fixed_by_the_query_text():
    queries = read_queries(QUERIES.encode())
    assert [half_of(q) for q in queries] == [half_of(q) for q in read_queries(QUERIES.encode())]
    assert {half_of(q) for q in queries} <= set(HALVES)


def test_spelling_correction_never_rewrites_a_real_word():
    from sitesearch.pipeline import correct_spelling

    site_words = frozenset({"trolling", "holiday", "password", "receive"})
    assert correct_spelling(["scrolling", "holliday", "pasword", "recieve"], site_words) == [
        "scrolling",  # a real word: what the person meant, even next to a site word
        "holiday",
        "password",
        "receive",
    ]
