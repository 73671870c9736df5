"""A gunicorn worker is ready for search before anyone searches: the model loaded and the index built as it
starts (gunicorn.conf.py), so the first person to search does not wait for either."""

import logging
import runpy
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError

from core.content import content_version
from sitesearch import index as search_index
from sitesearch import pipeline
from tests.guidance.factories import GuidanceAnswerFactory

pytestmark = pytest.mark.django_db

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


class Worker:
    log = logging.getLogger("gunicorn.test")


@pytest.fixture
def post_worker_init():
    return runpy.run_path(str(CONF))["post_worker_init"]


def test_a_new_worker_builds_the_index_before_the_first_search(tree, post_worker_init):
    GuidanceAnswerFactory(
        parent=tree.staff_guidance,
        title="Can I friend a parent?",
        slug="friend-a-parent",
        short_answer="No.",
        answer="<p>Keep it professional.</p>",
    )
    search_index.forget()
    post_worker_init(Worker())
    built = search_index._current
    assert built is not None and built.version == content_version()
    assert any(doc.title == "Can I friend a parent?" for doc in built.docs.values())
    # The first search uses it as it is: nothing is built again.
    with mock.patch.object(search_index, "build", wraps=search_index.build) as build:
        search_index.current(content_version())
    build.assert_not_called()


def test_a_worker_still_starts_when_the_database_is_not_there_yet(tree, post_worker_init, caplog):
    search_index.forget()
    with mock.patch.object(pipeline, "warm_up", side_effect=DatabaseError("could not connect")):
        post_worker_init(Worker())
    assert search_index._current is None
    assert "the first search will build it" in caplog.text
