"""Elasticsearch ranks when it is configured (sitesearch/elasticsearch_index.py): the index's mapping, the two
searches and their visibility filter, the combination, keeping the index in step, and falling back when it
does not answer. Without a server these run against a stand-in client that records what it is sent; the test
at the end runs against a real server when ELASTICSEARCH_URL is set."""

import json
import os

import pytest
from django.core.management import call_command
from django.test import override_settings

from core.content import content_changed
from sitesearch import elasticsearch_index, embeddings
from sitesearch import index as search_index
from tests.guidance.factories import make_answer

ES_SETTINGS = {
    "default": {"BACKEND": "wagtail.search.backends.elasticsearch9", "URLS": ["http://es.invalid:9200"]},
    "fallback": {"BACKEND": "sitesearch.backends"},
}


class StandInElasticsearch:
    """Records requests; answers msearch with the hits it is given."""

    def __init__(self, word_hits=(), vector_hits=(), fail=False):
        self.word_hits, self.vector_hits, self.fail = list(word_hits), list(vector_hits), fail
        self.searches, self.indexed, self.deleted = [], {}, []

    def msearch(self, searches):
        if self.fail:
            raise ConnectionError("no route to host")
        self.searches.append(searches)
        responses = [{"hits": {"hits": self.word_hits}}]
        if len(searches) > 2:
            responses.append({"hits": {"hits": self.vector_hits}})
        return {"responses": responses}

    def index(self, index, id, document):
        self.indexed[id] = document

    def options(self, **kwargs):
        return self

    def delete(self, index, id):
        self.deleted.append(id)


def hit(pk, score, title, kind="guidance"):
    source = {"pk": pk, "kind": kind, "display_title": title, "short_answer": "", "body": f"About {title}."}
    return {"_score": score, "_source": source}


@pytest.fixture
def stand_in(monkeypatch):
    es = StandInElasticsearch()
    monkeypatch.setattr(elasticsearch_index, "client", lambda: es)
    with override_settings(WAGTAILSEARCH_BACKENDS=ES_SETTINGS):
        yield es


# --- the index -----------------------------------------------------------------------------------------------


def test_mapping_holds_the_passage_vectors_and_english_analysis_with_synonyms():
    body = elasticsearch_index.index_body()
    properties = body["mappings"]["properties"]
    vector = properties["passages"]["properties"]["vector"]
    assert properties["passages"]["type"] == "nested"  # one vector per passage; the best passage counts
    assert vector == {"type": "dense_vector", "dims": embeddings.DIMENSIONS, "index": True, "similarity": "cosine"}
    assert properties["path"]["type"] == "keyword"
    assert body["mappings"]["dynamic"] == "strict"
    for field in ("title", "phrasings", "topics", "short", "body"):
        assert properties[field]["search_analyzer"] == "default_search"
    analysis = body["settings"]["analysis"]
    assert "school_synonyms" in analysis["analyzer"]["default_search"]["filter"]
    assert "english_stemmer" in analysis["analyzer"]["default"]["filter"]


def test_the_synonyms_hr_edits_go_into_the_rebuilt_index():
    body = elasticsearch_index.index_body([("lanyard, badge, pass", "")])
    assert body["settings"]["analysis"]["filter"]["school_synonyms"]["synonyms"] == ["lanyard, badge, pass"]


@pytest.mark.django_db
def test_a_page_is_indexed_with_its_path_fields_and_stored_vectors(tree):
    page = make_answer(tree.staff_guidance, "Can I use my phone in lessons?", also_asked="mobile in class")
    [(pk, body)] = list(elasticsearch_index.documents([page]))
    assert pk == page.pk and body["path"] == page.path and body["kind"] == "guidance"
    assert body["title"] == "Can I use my phone in lessons?" and body["phrasings"] == "mobile in class"
    assert len(body["passages"]) == 1 and len(body["passages"][0]["vector"]) == embeddings.DIMENSIONS
    json.dumps(body)  # what the client sends


# --- a search --------------------------------------------------------------------------------------------------


def test_both_searches_carry_the_visibility_filter_and_the_field_boosts():
    class Query:  # as search.pipeline.parse gives it
        typed = ["friend", "parent"]
        synonym_phrases = [("follow",), ("mum",)]

    refused = ("000100010002",)
    words = elasticsearch_index.word_search(Query, refused)
    vectors = elasticsearch_index.vector_search([0.1] * embeddings.DIMENSIONS, refused)
    expected = {"bool": {"must_not": [{"prefix": {"path": "000100010002"}}]}}
    assert words["query"]["bool"]["filter"] == [expected]
    assert vectors["knn"]["filter"] == [expected]
    assert vectors["knn"]["field"] == "passages.vector"
    fields = words["query"]["bool"]["should"][0]["multi_match"]["fields"]
    assert "title^3.0" in fields and "body^1.0" in fields
    assert [s["multi_match"]["boost"] for s in words["query"]["bool"]["should"][1:]] == [0.7, 0.7]


@pytest.mark.django_db
def test_elasticsearch_ranks_and_no_process_holds_the_corpus(client, tree, stand_in):
    lifts = make_answer(tree.parents_guidance, "Lifts home in your car", audience="parents").pk
    giving = make_answer(tree.parents_guidance, "Giving pupils a lift", audience="parents").pk
    stand_in.searches.clear()
    stand_in.word_hits = [hit(lifts, 9.0, "Lifts home in your car")]
    stand_in.vector_hits = [hit(giving, 0.95, "Giving pupils a lift"), hit(lifts, 0.85, "Lifts home in your car")]
    search_index.forget()
    data = client.get("/api/search/", {"q": "driving a child home"}).json()
    # Both found, the meaning's and the words' (their order is the second look's, on the stored word pieces).
    assert {r["title"] for r in data["results"]} == {"Giving pupils a lift", "Lifts home in your car"}
    assert search_index._current is None  # nothing loaded into this process
    # A visitor: everything behind a login is filtered out in Elasticsearch, in both searches.
    [searches] = stand_in.searches
    staff_path = tree.staff.path
    for body in (searches[1], searches[3]):
        filters = json.dumps(body)
        assert f'{{"prefix": {{"path": "{staff_path}"}}}}' in filters


@pytest.mark.django_db
def test_signed_in_staff_are_not_filtered_from_the_staff_hub(client, tree, staff_user, stand_in):
    client.force_login(staff_user)
    client.get("/api/search/", {"q": "lift home"})
    [searches] = stand_in.searches
    assert tree.staff.path not in json.dumps(searches)


@pytest.mark.django_db
def test_a_page_deleted_since_it_was_indexed_is_left_out_not_an_error(client, tree, stand_in):
    kept = make_answer(tree.parents_guidance, "Lifts home in your car", audience="parents").pk
    stand_in.word_hits = [hit(kept, 9.0, "Lifts home in your car"), hit(kept + 1000, 8.0, "Gone")]
    stand_in.vector_hits = [hit(kept + 1000, 0.9, "Gone"), hit(kept, 0.6, "Lifts home in your car")]
    search_index.forget()
    response = client.get("/api/search/", {"q": "lift home"})
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == ["Lifts home in your car"]


@pytest.mark.django_db
def test_when_elasticsearch_does_not_answer_the_site_index_does(client, tree, staff_user, stand_in, caplog):
    make_answer(tree.staff_guidance, "Can I give a pupil a lift home?")
    content_changed()
    stand_in.fail = True
    client.force_login(staff_user)
    data = client.get("/api/search/", {"q": "lift home for a pupil"}).json()
    assert data["results"][0]["title"] == "Can I give a pupil a lift home?"
    assert "answering from the site's own index" in caplog.text


# --- keeping it in step --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_unpublishing_moving_and_deleting_keep_the_index_in_step(tree, stand_in):
    page = make_answer(tree.staff_guidance, "Can I wear a nose ring?")
    assert str(page.pk) in stand_in.indexed
    assert stand_in.indexed[str(page.pk)]["path"] == page.path
    page.unpublish()
    assert stand_in.deleted == [str(page.pk)]
    page.save_revision().publish(skip_permission_checks=True)
    page.move(tree.parents_guidance, pos="last-child")
    page.refresh_from_db()
    assert stand_in.indexed[str(page.pk)]["path"] == page.path
    page.delete()
    assert stand_in.deleted[-1] == str(page.pk)


@pytest.mark.django_db
def test_rebuild_command_needs_elasticsearch_configured():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not configured"):
        call_command("rebuild_answer_index")


@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"), reason="no Elasticsearch server (set ELASTICSEARCH_URL to run)"
)
@pytest.mark.django_db
def test_against_a_real_elasticsearch(client, tree, staff_user):  # pragma: no cover - needs a server
    make_answer(tree.staff_guidance, "Using social media during the working day")
    make_answer(tree.parents_guidance, "Can I post photos of the school play?", audience="parents")
    call_command("rebuild_answer_index")
    client.force_login(staff_user)
    data = client.get("/api/search/", {"q": "scrolling instagram at lunch"}).json()
    assert data["results"][0]["title"] == "Using social media during the working day"
    client.logout()
    data = client.get("/api/search/", {"q": "scrolling instagram at lunch"}).json()
    assert "Using social media during the working day" not in [r["title"] for r in data["results"]]
