"""Error pages in the site's design that say what to do next (404, 403, 500, CSRF failure)."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from tests.policypages.factories import issue, make_policy

pytestmark = pytest.mark.django_db


def test_page_not_found_offers_search_and_the_main_doors(client, tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We cannot find that page" in html
    assert 'action="/search/"' in html and 'href="/parents/"' in html
    assert 'class="site-header"' in html and "Skip to main content" in html


@pytest.mark.urls("tests.design.error_urls")
def test_forbidden_tells_a_visitor_to_sign_in_and_a_signed_in_person_who_to_ask(client, tree, staff_user):
    response = client.get("/test-forbidden/")
    assert response.status_code == 403
    assert "Sign in with your school account" in response.content.decode()
    client.force_login(staff_user)
    html = client.get("/test-forbidden/").content.decode()
    assert f"You are signed in as {staff_user.email}" in html and "site administrator" in html


@pytest.mark.urls("tests.design.error_urls")
def test_server_error_page_says_nothing_is_lost(tree):
    client = Client(raise_request_exception=False)
    response = client.get("/test-broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html and "it will not be saved twice" in html


def test_server_error_page_renders_without_a_request_or_database():
    # Django renders 500.html with an empty context: the page must not need the request or a query.
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html and "css/site.css" in html


def test_a_form_sent_without_its_security_token_explains_how_to_send_it_again(tree, staff_user):
    policy = make_policy(tree.policies, sections=1, slug="social-media")
    version = issue(policy, "1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post("/policies/social-media/confirm/", {"version": version.pk})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please send the form again" in html and "Nothing was saved" in html
    assert 'class="site-header"' in html
    assert not policy.read_receipts.exists()
