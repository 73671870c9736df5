"""Elasticsearch wiring: settings and mappings are checked here without a server; the integration test
runs only when ELASTICSEARCH_URL points at one. If Elasticsearch is down, search answers from the database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from sitesearch.elasticsearch import index_settings, synonym_rules

ROOT = Path(__file__).resolve().parents[2]


def settings_with(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"ELASTICSEARCH_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    clean.update(DJANGO_SETTINGS_MODULE="schoolsite.settings.dev", **env)
    code = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.WAGTAILSEARCH_BACKENDS, default=str))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_database_backend_by_default():
    backends = settings_with()
    assert backends == {"default": {"BACKEND": "sitesearch.backends"}}


def test_elasticsearch_when_configured_with_a_database_fallback():
    backends = settings_with(ELASTICSEARCH_URL="http://127.0.0.1:9200")
    assert backends["default"]["BACKEND"] == "sitesearch.elasticsearch_backend"
    assert backends["default"]["URLS"] == ["http://127.0.0.1:9200"]
    assert backends["fallback"]["BACKEND"] == "sitesearch.backends"


def test_the_schools_backend_carries_its_analysis_and_synonyms():
    pytest.importorskip("elasticsearch")
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend("sitesearch.elasticsearch_backend", URLS=["http://127.0.0.1:9"])
    analysis = backend.settings["settings"]["analysis"]
    assert "school_synonyms" in analysis["analyzer"]["default_search"]["filter"]
    assert "ngram_analyzer" in analysis["analyzer"]  # Wagtail's own analyzers are kept


def test_synonym_rules_are_valid_solr_lines():
    rules = synonym_rules()
    assert "parent, mum, mom, dad, carer, guardian, parents' and carers" in rules
    assert all(rule.count(",") >= 1 and "\n" not in rule for rule in rules)


def test_backend_merges_our_analysis_into_its_index_settings():
    pytest.importorskip("elasticsearch")
    from wagtail.search.backends.elasticsearch9 import Elasticsearch9SearchBackend

    backend = Elasticsearch9SearchBackend({"URLS": ["http://127.0.0.1:9"], "INDEX_SETTINGS": index_settings()})
    analysis = backend.settings["settings"]["analysis"]
    assert "school_synonyms" in analysis["filter"]
    assert "ngram_analyzer" in analysis["analyzer"]  # Wagtail's own analyzers are kept
    assert analysis["analyzer"]["default"]["filter"][-1] == "english_stemmer"


def test_answer_mapping_weights_phrasings_above_body():
    from wagtail.search.backends.elasticsearch9 import Elasticsearch9SearchBackend

    from guidance.models import GuidanceAnswerPage

    backend = Elasticsearch9SearchBackend({"URLS": ["http://127.0.0.1:9"], "INDEX_SETTINGS": index_settings()})
    mapping = backend.mapping_class(GuidanceAnswerPage).get_mapping()
    properties = json.dumps(mapping)
    assert "also_asked" in properties and "short_answer" in properties


@pytest.mark.django_db
def test_search_falls_back_to_the_database_when_elasticsearch_is_down(client, tree, staff_user, caplog):
    from django.utils.text import slugify

    from core.content import content_changed
    from guidance.models import GuidanceAnswerPage

    title = "Can I accept a friend request from a pupil?"
    page = GuidanceAnswerPage(
        title=title, slug=slugify(title), short_answer="No", answer="<p>No.</p>", audience="staff"
    )
    tree.staff_guidance.add_child(instance=page)
    page.save_revision().publish(skip_permission_checks=True)
    content_changed()
    unreachable = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch9",
            "URLS": ["http://127.0.0.1:9"],
            "TIMEOUT": 1,
            "OPTIONS": {"max_retries": 0},
        },
        "fallback": {"BACKEND": "wagtail.search.backends.database"},
    }
    client.force_login(staff_user)
    with override_settings(WAGTAILSEARCH_BACKENDS=unreachable):
        response = client.get("/api/search/", {"q": "friend request pupil"})
    assert response.status_code == 200
    assert response.json()["results"][0]["title"] == title
    assert "answering from the site's own index" in caplog.text


@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"), reason="no Elasticsearch server (set ELASTICSEARCH_URL to run)"
)
@pytest.mark.django_db
def test_against_a_real_elasticsearch(client, staff_user):  # pragma: no cover - needs a server
    from django.core.management import call_command

    call_command("load_demo", "--allow-without-debug")
    call_command("update_index")
    call_command("rebuild_answer_index")
    client.force_login(staff_user)
    data = client.get("/api/search/", {"q": "can I friend a parent?"}).json()
    assert data["results"][0]["title"] == "Can I friend a parent on Facebook?"
