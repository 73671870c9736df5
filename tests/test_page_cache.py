"""The visitors' page cache: parents get cached pages, a publish purges them, and nobody signed in ever
receives a page that was rendered for someone else."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, issue, make_answer, make_policy, section_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(tree):
    policy = make_policy(tree.policies, sections=2, title="Social media", slug="social-media")
    issue(policy, "1")
    return policy


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


def test_a_parent_gets_the_cached_page_the_second_time(client, policy):
    first, first_queries = _queries(client, "/policies/social-media/")
    second, second_queries = _queries(client, "/policies/social-media/")
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    assert second_queries <= 4 < first_queries  # the route to the page and the content version only


def test_publishing_purges_the_cache_at_once(client, policy):
    client.get("/policies/social-media/section-1/")
    section = policy.get_children().get(slug="section-1").specific
    section.body = section_body("A brand new rule about group chats.")
    section.save_revision().publish()
    response = client.get("/policies/social-media/section-1/")
    assert "X-Page-Cache" not in response and "A brand new rule about group chats." in response.content.decode()


def test_issuing_a_version_or_rebranding_purges_the_cache(client, policy):
    client.get("/policies/social-media/")
    issue(policy, "2", summary="Rewritten for messaging apps.")
    assert "Rewritten for messaging apps." in client.get("/policies/social-media/").content.decode()


def test_signed_in_staff_never_get_or_leave_a_cached_page(client, policy, staff_user):
    client.get("/policies/social-media/")  # an anonymous copy is now cached
    client.force_login(staff_user)
    response = client.get("/policies/social-media/")
    assert "X-Page-Cache" not in response
    assert "Confirm you have read it" in response.content.decode()
    client.logout()
    assert "Confirm you have read it" not in client.get("/policies/social-media/").content.decode()


def test_one_persons_reading_state_never_reaches_another_persons_page(policy):
    """Two members of staff, one confirmed and one not, and a parent, reading the same page in turn."""
    reader, other = UserFactory(groups=["Staff"]), UserFactory(groups=["Staff"])
    confirmed, pending, parent = Client(), Client(), Client()
    confirmed.force_login(reader)
    pending.force_login(other)
    confirmed.post("/policies/social-media/confirm/", {"version": policy.current_version.pk})

    for _ in range(2):  # the second round is served from whatever the first round cached
        for client, expected, absent in (
            (confirmed, "You confirmed version 1", "Please read this policy"),
            (pending, "Please read this policy", "You confirmed version 1"),
            (parent, "Document status", "You confirmed version 1"),
        ):
            html = client.get("/policies/social-media/").content.decode()
            assert expected in html and absent not in html
            assert reader.email not in html and other.email not in html
    assert "Please read this policy" not in parent.get("/policies/social-media/").content.decode()


def test_pages_with_a_form_or_a_message_are_not_cached(client, tree):
    answer = make_answer(tree.parents_guidance, "Can I post photos of the play?", audience="parents")
    client.get(answer.url)
    assert "X-Page-Cache" not in client.get(answer.url)  # the "was this helpful?" form holds a CSRF token
    client.get("/parents/")
    client.post(f"/answers/{answer.pk}/feedback/", {"helpful": "yes"})
    response = client.get("/parents/")
    assert "X-Page-Cache" not in response and "Thank you for your feedback." in response.content.decode()


def test_search_and_sub_pages_are_never_cached(client, policy):
    client.get("/policies/social-media/pdf/")
    assert "X-Page-Cache" not in client.get("/policies/social-media/pdf/")
    client.get("/policies/social-media/?print=1")
    assert "X-Page-Cache" not in client.get("/policies/social-media/?print=1")


def test_a_page_behind_a_password_is_never_cached_for_the_next_visitor(client, policy):
    """A visitor who gave a page's password sees the page; the next visitor, without it, must get the form."""
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=policy, restriction_type=PageViewRestriction.PASSWORD, password="letmein")
    form = client.get("/policies/social-media/")
    assert "password" in form.content.decode().lower() and "Section 1" not in form.content.decode()
    restriction = PageViewRestriction.objects.get(page=policy)
    action = f"/_util/authenticate_with_password/{restriction.pk}/{policy.pk}/"
    client.post(action, {"password": "letmein", "return_url": "/policies/social-media/"})
    assert "Section 1" in client.get("/policies/social-media/").content.decode()
    assert "Section 1" in client.get("/policies/social-media/").content.decode()
    stranger = Client().get("/policies/social-media/").content.decode()
    assert "Section 1" not in stranger
