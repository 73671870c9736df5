"""Section questions (issue 14): after the eight development policies (../shared/devsets/import/) are imported
and published through the real importer, does a question typed as staff type it find the right section?

The questions (tests/fixtures/search/section_questions.tsv) were written here, but against policies nobody here
wrote, and split by policy into a tuning and a held-out half: tune on the first, report the second beside it.
"""

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

IMPORT_DEVSET = Path(__file__).resolve().parents[3] / "shared" / "devsets" / "import"
QUESTIONS = Path(__file__).resolve().parents[1] / "fixtures" / "search" / "section_questions.tsv"
# Issue 14 asks for 0.85 in the top 3. Search scores 0.630 / 0.870 today (docs/search.md, "Section questions");
# it scored 0.556 / 0.741 before the second look word by word (sitesearch/rerank.py), and fails this without it.
FLOOR = {"recall@1": 0.60, "recall@3": 0.85}


@pytest.mark.skipif(
    not IMPORT_DEVSET.is_dir(), reason=f"the import set is not here ({IMPORT_DEVSET}): ../shared is absent"
)
def test_section_questions_find_their_section(tree):
    from sitesearch.evaluation import evaluate_sections, import_policies, read_section_questions
    from tests.accounts.factories import UserFactory

    names = import_policies(IMPORT_DEVSET, tree.policies)
    questions = read_section_questions(QUESTIONS.read_bytes())
    # Every expected section is one the importer made, so a miss is search's, not the importer's.
    assert {e for q in questions for e in q["expected"]} <= set(names.values())
    report = evaluate_sections(questions, names, UserFactory(groups=["Staff"]))
    print(report.text())
    scores = report.scores()
    assert scores["queries"] == len(questions) == 54
    assert scores["recall@1"] >= FLOOR["recall@1"], report.text()
    assert scores["recall@3"] >= FLOOR["recall@3"], report.text()


IMPORT2 = Path(__file__).resolve().parents[3] / "shared" / "devsets" / "import2"
# Issue 42 asks for 0.85 in the top 3 on hidden documents. Nothing in search was tuned on these twelve.
FLOOR2 = {"recall@3": 0.85}


@pytest.mark.skipif(not IMPORT2.is_dir(), reason=f"the import2 set is not here ({IMPORT2}): ../shared is absent")
def test_section_questions_find_their_section_in_the_second_set(tree):
    """The seven policies of issue 42 (PDFs, Word with tracked changes, a saved web page...) imported and
    published through the real importer, and their twelve questions asked as staff would."""
    from sitesearch.evaluation import evaluate_sections, import_policies, read_titled_questions
    from tests.accounts.factories import UserFactory

    names = import_policies(IMPORT2, tree.policies)
    questions = read_titled_questions((IMPORT2 / "section_questions.tsv").read_bytes(), IMPORT2)
    assert {e for q in questions for e in q["expected"]} <= set(names.values())
    report = evaluate_sections(questions, names, UserFactory(groups=["Staff"]))
    print(report.text())
    scores = report.scores()
    assert scores["queries"] == len(questions) == 12
    assert scores["recall@3"] >= FLOOR2["recall@3"], report.text()
