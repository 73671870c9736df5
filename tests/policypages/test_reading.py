"""Reading a policy: contents with deep links, section pages with previous/next, print, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policypages.models import PolicyPage
from tests.policypages.factories import make_policy

pytestmark = pytest.mark.django_db


def test_whole_policy_has_contents_and_deep_links(client, policy):
    html = client.get("/policies/social-media/").content.decode()
    for n in (1, 2, 3):
        assert f'<a href="#section-{n}">{n}. Section {n}</a>' in html
        assert f'id="section-{n}"' in html
        assert f'href="/policies/social-media/section-{n}/"' in html
    assert "Document status" in html
    assert "css/site.css" in html  # its @media print rules make the paper copy


def test_section_page_links_back_and_forward(client, policy):
    html = client.get("/policies/social-media/section-2/").content.decode()
    assert 'rel="prev" href="/policies/social-media/section-1/"' in html
    assert 'rel="next" href="/policies/social-media/section-3/"' in html
    assert 'href="/policies/social-media/#section-2"' in html
    first = client.get("/policies/social-media/section-1/").content.decode()
    assert 'rel="prev"' not in first


def test_document_status_shows_overdue_plainly(client, tree):
    import datetime

    make_policy(
        tree.policies,
        sections=1,
        slug="old",
        key_staff="Head; DSL",
        next_review_due=datetime.date(2020, 1, 1),
        legislation="Equality Act 2010\nHuman Rights Act 1998",
    )
    html = client.get("/policies/old/").content.decode()
    assert "Overdue: this policy is past its review date" in html
    assert "Head; DSL" in html and "<li>Human Rights Act 1998</li>" in html
    assert "Review overdue" in client.get("/policies/").content.decode()


def test_print_stylesheet_hides_navigation(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/site.css")).read().split("@media print")[1]
    assert ".site-header" in css and "display: none" in css


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # Without a shared cache each process re-reads the content version's row when its 0.2 s memo runs out:
    # one query or none depending on the clock, not on the page.
    return sum("sitesearch_contentversion" not in q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_does_not_grow_with_sections(client, tree, staff_user, signed_in, settings):
    settings.PAGE_CACHE_ENABLED = False  # count what rendering costs, not the visitors' page cache
    if signed_in:
        client.force_login(staff_user)
    make_policy(tree.policies, sections=3, slug="small")
    make_policy(tree.policies, sections=12, slug="large")
    # The first request for a page in a content version reads what is published about it (its sections and
    # versions, core/published.py); every later one does not. Count the later ones.
    for url in ("/policies/small/", "/policies/large/", "/policies/small/section-2/", "/policies/large/section-11/"):
        _queries(client, url)
    small, large = _queries(client, "/policies/small/"), _queries(client, "/policies/large/")
    assert small == large, (small, large)
    small_section = _queries(client, "/policies/small/section-2/")
    large_section = _queries(client, "/policies/large/section-11/")
    assert small_section == large_section


def test_policy_page_query_budget(client, tree):
    make_policy(tree.policies, sections=12, slug="large")
    _queries(client, "/policies/large/")
    assert _queries(client, "/policies/large/") <= 20
    assert PolicyPage.objects.count() == 1
