"""The second look (sitesearch/rerank.py): the first stage's best candidates scored again word by word, from
the word-piece vectors stored when each page was published. How much it finds is measured by the section
questions and the development set (test_section_questions.py, test_relevance_devset.py); here, its rules."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.content import content_changed
from sitesearch import embeddings, rerank
from sitesearch.models import PageEmbedding
from tests.policypages.factories import PolicySectionPageFactory, make_policy, section_body

pytestmark = pytest.mark.django_db


def test_stop_words_and_punctuation_carry_no_meaning_and_a_words_pieces_go_together():
    kept = embeddings.meaningful_pieces(["can", "i", "un", "##friend", "a", "parent", "?", "the", "##s", "2024"])
    assert kept.tolist() == [False, False, True, True, False, True, False, False, False, True]


def test_a_published_section_stores_the_meaningful_pieces_of_each_passage(tree):
    long_text = " ".join(f"Staff record visit {n} in the diary before they leave the building." for n in range(30))
    policy = make_policy(tree.policies, sections=0)
    section = PolicySectionPageFactory(parent=policy, title="Home visits", body=section_body(long_text))
    row = PageEmbedding.objects.get(page=section, model=embeddings.MODEL_ID)
    texts = embeddings.passages(section)
    assert row.passages == len(texts) > 1
    model = embeddings.model()
    expected = [int(model.encode(text).meaningful.sum()) for text in texts]
    assert row.pieces_per_passage == expected
    assert len(bytes(row.pieces)) == sum(expected) * embeddings.DIMENSIONS
    # Read back: rows that become unit vectors, passage after passage.
    pieces = embeddings.stored_pieces([section.pk])[section.pk]
    assert pieces.per_passage == tuple(expected)
    unit_rows = pieces.rows.astype(np.float32) * pieces.inverse_norms[:, None]
    assert np.allclose(np.linalg.norm(unit_rows, axis=1), 1, atol=1e-5)
    # As the model gave them, to within int8's rounding.
    first = model.encode(texts[0])
    assert np.allclose(unit_rows[: expected[0]], first.piece_vectors(meaningful_only=True), atol=0.02)


class Question:
    """A question whose word pieces are given, as Encoded gives them."""

    def __init__(self, rows):
        self.rows = np.array(rows, dtype=np.float32)

    def piece_vectors(self):
        return self.rows


def stored(*passages):
    """A page's Pieces, from the unit vectors of each passage's pieces."""
    rows = np.vstack([np.array(passage) for passage in passages])
    return embeddings.Pieces.from_rows(embeddings._to_int8(rows), [len(passage) for passage in passages])


def unit(*values):
    vector = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def test_the_candidates_are_reordered_by_how_well_each_word_is_answered(monkeypatch):
    # Two words asked about (the first two axes). Page 1 is closest as a whole (the first stage's order), but
    # answers only the first word; page 2 answers both, in its second passage.
    question = Question([unit(1, 0), unit(0, 1)])
    pages = {
        1: stored([unit(1, 0), unit(1, 0.1)]),
        2: stored([unit(0, 0, 1)], [unit(1, 0), unit(0, 1)]),
        3: stored([unit(0, 0, 1)]),
    }
    monkeypatch.setattr(rerank._kept, "get", lambda pks: {pk: pages[pk] for pk in pks if pk in pages})
    scores = {1: 0.6, 2: 0.5, 3: 0.4, 4: 0.45}  # 4 has no stored pieces (embedded by an older release)
    similarities = {1: 0.6, 2: 0.5, 3: 0.4, 4: 0.45}
    ranked = rerank.ranked(scores, similarities, lambda pk: 0.0, question, str)
    assert [pk for _, pk in ranked] == [2, 1, 3, 4]
    # Page 2: each word finds itself (1.0) in the second passage, plus its sentence similarity.
    assert ranked[0][0] == pytest.approx(1.0 + rerank.SENTENCE_WEIGHT * 0.5, abs=1e-4)


def test_only_the_first_stages_best_are_looked_at_again(monkeypatch):
    monkeypatch.setattr(rerank, "RERANK_CANDIDATES", 2)
    question = Question([unit(1, 0)])
    pages = {pk: stored([unit(1, 0)]) for pk in (1, 2, 3)}
    asked = []
    monkeypatch.setattr(rerank._kept, "get", lambda pks: asked.extend(pks) or {pk: pages[pk] for pk in pks})
    first_stage = {1: 0.3, 2: 0.2, 3: 0.9}
    ranked = rerank.ranked(first_stage, first_stage, lambda pk: 0.0, question, str)
    assert asked == [3, 1]
    # 3 and 1 match alike word by word; 3 is closer as a whole. 2 was not looked at: it follows.
    assert [pk for _, pk in ranked] == [3, 1, 2]


def test_without_a_model_the_first_stages_order_stands():
    assert rerank.ranked({1: 0.2, 2: 0.5}, {}, lambda pk: 0.0, None, str) == [(0.5, 2), (0.2, 1)]


def test_pieces_are_read_once_per_content_version(client, staff_user, tree):
    policy = make_policy(tree.policies, sections=0, title="Lone working")
    PolicySectionPageFactory(
        parent=policy, title="Home visits", body=section_body("Tell the office before you visit a family at home.")
    )
    client.force_login(staff_user)
    client.get("/api/search/", {"q": "anything"})  # this process's index is built (it reads the sentence vectors)
    rerank.forget()

    def pieces_read(q):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/search/", {"q": q}).status_code == 200
        return sum("sitesearch_pageembedding" in query["sql"] for query in queries.captured_queries)

    assert pieces_read("visiting a family at their house") == 1
    assert pieces_read("visiting a family at their house") == 0  # kept by this process
    content_changed()  # a publish, say: what is kept may be stale
    assert pieces_read("visiting a family at their house") == 1


def test_a_page_embedded_by_an_earlier_release_is_embedded_again_with_its_pieces(tree):
    from django.core.management import call_command

    policy = make_policy(tree.policies, sections=0)
    section = PolicySectionPageFactory(parent=policy, title="Home visits", body=section_body("Tell the office first."))
    # As the release before word pieces left it: sentence vectors only, under the old model id.
    PageEmbedding.objects.filter(page=section).update(model="all-MiniLM-L6-v2-int8", pieces=b"", pieces_per_passage=[])
    assert embeddings.stored_pieces([section.pk]) == {}
    call_command("embed_content", stdout=open("/dev/null", "w"))
    rows = PageEmbedding.objects.filter(page=section)
    assert [row.model for row in rows] == [embeddings.MODEL_ID]  # the old row is gone
    assert embeddings.stored_pieces([section.pk])[section.pk]
