"""The staff hub's front page and the parents' section: what each audience needs first, and nothing more."""

import re

import pytest
from django.urls import reverse

from guidance.models import AnswerFeedback
from hub.models import OfficialAccount
from tests.guidance.factories import make_answer
from tests.policypages.factories import PolicySectionPageFactory, issue, make_policy, section_body

pytestmark = pytest.mark.django_db


def test_the_hub_counts_the_policies_this_person_still_has_to_read(client, tree, staff_user):
    first = make_policy(tree.policies, sections=1, title="Social media", slug="social-media")
    second = make_policy(tree.policies, sections=1, title="Acceptable use", slug="acceptable-use")
    issue(first, "1")
    issue(second, "1")
    client.force_login(staff_user)
    html = client.get("/staff/").content.decode()
    assert re.search(r'Policies you need to read <span class="count">2</span>', html)
    assert "2 of your 2 policies are waiting for you" in html

    client.post("/policies/social-media/confirm/", {"version": first.current_version.pk})
    html = client.get("/staff/").content.decode()
    assert re.search(r'Policies you need to read <span class="count">1</span>', html)
    assert ">Acceptable use</a>" in html.split('id="popular-heading"')[0]
    assert ">Social media</a>" not in html.split('id="popular-heading"')[0]


def test_the_hub_shows_hr_chosen_questions_first_then_the_most_helpful(client, tree, staff_user):
    pinned = make_answer(tree.staff_guidance, "Can I friend a parent?")
    helpful = make_answer(tree.staff_guidance, "Does WhatsApp count?")
    make_answer(tree.staff_guidance, "Duplicate question", canonical_answer=pinned)
    AnswerFeedback.objects.create(answer=helpful, date=helpful.first_published_at.date(), helpful=5)
    hub = tree.staff.specific
    hub.popular_questions = [("answer", pinned)]
    hub.save_revision().publish()

    client.force_login(staff_user)
    html = client.get("/staff/").content.decode()
    popular = html.split('id="popular-heading"')[1].split("</section>")[0]
    assert popular.index("Can I friend a parent?") < popular.index("Does WhatsApp count?")
    assert "Duplicate question" not in popular  # it redirects to the pinned one


def test_the_hub_links_every_form_and_my_submissions(client, tree, staff_user):
    client.force_login(staff_user)
    html = client.get("/staff/").content.decode()
    for path in (
        "/staff/declare-a-relationship/",
        "/staff/report-declined-contact/",
        "/staff/report-online-abuse/",
        "/staff/request-an-official-account/",
        reverse("declarations:mine"),
    ):
        assert f'href="{path}"' in html


def test_the_hub_query_count_does_not_grow_with_answers(client, tree, staff_user, django_assert_max_num_queries):
    for n in range(20):
        make_answer(tree.staff_guidance, f"Question {n}?")
    client.force_login(staff_user)
    client.get("/staff/")
    with django_assert_max_num_queries(30):
        assert client.get("/staff/").status_code == 200


@pytest.fixture
def parents_page(tree):
    page = tree.parents.specific
    OfficialAccount.objects.create(
        page=page, sort_order=0, platform="Instagram", name="@our_school", url="https://instagram.com/our_school"
    )
    page.body = section_body("Please do not post photos that show other children.")
    page.save_revision().publish()
    return page


def test_parents_see_the_rules_the_official_accounts_their_answers_and_public_policies(client, tree, parents_page):
    make_answer(tree.parents_guidance, "Can I post photos of the school play?", audience="parents")
    make_answer(tree.staff_guidance, "Can I friend a parent?")
    public = make_policy(tree.policies, sections=1, title="Complaints", slug="complaints")
    issue(public, "1")

    response = client.get("/parents/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "do not post photos that show other children" in html
    assert "@our_school" in html and 'href="https://instagram.com/our_school"' in html
    assert "Can I post photos of the school play?" in html
    assert "Can I friend a parent?" not in html
    assert 'href="/policies/complaints/pdf/"' in html


def test_nothing_reachable_from_the_parents_pages_shows_staff_only_content(client, tree, parents_page):
    """Follow every link from the parents' page, as a parent, two clicks deep."""
    make_answer(tree.parents_guidance, "Can I post photos of the school play?", audience="parents")
    make_answer(tree.staff_guidance, "Secret staff question?")
    policy = make_policy(tree.policies, sections=1, title="Social media", slug="social-media")
    PolicySectionPageFactory(
        parent=policy,
        number="2",
        title="Internal",
        slug="internal",
        body=section_body("Extension 4321."),
        staff_only=True,
    )
    issue(policy, "1")

    seen, frontier = set(), ["/parents/"]
    for _depth in range(3):
        next_frontier = []
        for path in frontier:
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code in (301, 302):
                # Only ever to the sign-in page: the content behind it is not shown.
                assert "/accounts/login/" in response["Location"], path
                continue
            assert response.status_code == 200, path
            if response["Content-Type"].startswith("text/html"):
                html = response.content.decode()
                assert "Secret staff question" not in html and "Extension 4321" not in html, path
                for href in re.findall(r'href="(/[^"#]*)', html):
                    if not href.startswith(("/static/", "/media/", "/accounts/", "/admin/")):
                        next_frontier.append(href)
        frontier = next_frontier
    assert "/policies/social-media/" in seen  # the crawl really reached the policies
    assert "/parents/questions/can-i-post-photos-of-the-school-play/" in seen


def test_hr_edits_the_official_accounts_on_the_parents_page(client, tree, hr_user):
    client.force_login(hr_user)
    response = client.get(f"/admin/pages/{tree.parents.pk}/edit/")
    assert response.status_code == 200
    assert "The school&#x27;s official accounts" in response.content.decode()
