"""The visitors' page cache: parents get cached pages, a publish purges them, and nobody signed in ever
receives a page that was rendered for someone else."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa
from tests.guidance.factories import make_answer
from tests.policypages.factories import issue, make_policy, section_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(tree):
    policy = make_policy(tree.policies, sections=2, title="Social media", slug="social-media")
    issue(policy, "1")
    return policy


@pytest.fixture(params=["rendered each time", "kept per person"])
def parts(request, monkeypatch, django_capture_on_commit_callbacks):
    """A reader's own parts are kept per person only where the cache is shared by every process (Redis); in one
    test process the memory cache behaves as one. Yields a context manager that runs what a change commits."""
    from django.core.cache import cache

    if request.param == "kept per person":
        monkeypatch.setattr("core.page_cache.is_shared_cache", lambda: True)
    cache.clear()
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    cache.clear()


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


# --- signed-in readers: pages that are the same for everyone with the same access -------------------------


def _leaders_only(page):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name="Senior leaders")])


def test_staff_get_a_cached_section_the_second_time_with_their_own_csrf_token(client, policy, staff_user):
    from core.page_cache import CSRF_PLACEHOLDER

    client.force_login(staff_user)
    first = client.get("/policies/social-media/section-1/")
    second = client.get("/policies/social-media/section-1/")
    assert "X-Page-Cache" not in first and second["X-Page-Cache"] == "hit"
    for response in (first, second):
        html = response.content.decode()
        assert "Sign out" in html and CSRF_PLACEHOLDER.text not in html
    # The token in the cached page is this person's: signing out with it works.
    other = Client()
    other.force_login(UserFactory(groups=["Staff"]))
    html = other.get("/policies/social-media/section-1/").content.decode()
    assert CSRF_PLACEHOLDER.text not in html
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    other.cookies.load({"csrftoken": other.cookies["csrftoken"].value})
    from django.test import Client as CsrfClient

    checked = CsrfClient(enforce_csrf_checks=True)
    checked.cookies = other.cookies
    assert checked.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Sign in" in checked.get("/policies/social-media/section-1/").content.decode()


def test_a_reader_in_another_group_never_gets_a_page_cached_for_a_leader(tree, policy, staff_user, senior_leader):
    """A section lists the answers that cite it; one answer is for senior leaders only. The leader's cached copy
    must never reach a teacher, and the teacher's must never hide it from the next leader."""
    section = policy.get_children().get(slug="section-1").specific
    secret = make_answer(tree.staff_guidance, "Leaders question", short_answer="Yes")
    secret.policy_sections.set([section])
    secret.save_revision().publish(skip_permission_checks=True)
    _leaders_only(secret)
    leader, teacher = Client(), Client()
    leader.force_login(senior_leader)
    teacher.force_login(staff_user)
    assert "Leaders question" in leader.get(section.url).content.decode()
    assert leader.get(section.url)["X-Page-Cache"] == "hit"
    for_teacher = teacher.get(section.url)
    assert "X-Page-Cache" not in for_teacher and "Leaders question" not in for_teacher.content.decode()
    assert teacher.get(section.url)["X-Page-Cache"] == "hit"
    another_leader = Client()
    # (with the second step: a page for senior leaders asks a password-only session for it first)
    another_leader.force_login(with_mfa(UserFactory(groups=["Staff", "Senior leaders"])))
    again = another_leader.get(section.url)
    assert again["X-Page-Cache"] == "hit" and "Leaders question" in again.content.decode()


def test_a_page_kept_for_leaders_is_refused_to_a_teacher(policy, staff_user, senior_leader):
    _leaders_only(policy)
    leader, teacher = Client(), Client()
    leader.force_login(senior_leader)
    teacher.force_login(staff_user)
    assert leader.get("/policies/social-media/section-1/").status_code == 200
    assert leader.get("/policies/social-media/section-1/")["X-Page-Cache"] == "hit"
    refused = teacher.get("/policies/social-media/section-1/")
    assert refused.status_code == 302 and "X-Page-Cache" not in refused


def test_visitors_and_readers_never_share_a_cached_page(client, policy, staff_user):
    visitor_first = client.get("/policies/social-media/section-1/").content.decode()
    reader = Client()
    reader.force_login(staff_user)
    reader.get("/policies/social-media/section-1/")
    assert "Sign out" in reader.get("/policies/social-media/section-1/").content.decode()
    visitor_again = client.get("/policies/social-media/section-1/")
    assert visitor_again["X-Page-Cache"] == "hit" and "Sign out" not in visitor_again.content.decode()
    assert "Sign out" not in visitor_first


def test_a_new_version_of_a_section_reaches_signed_in_readers_at_once(client, policy, staff_user):
    client.force_login(staff_user)
    client.get("/policies/social-media/section-1/")
    assert client.get("/policies/social-media/section-1/")["X-Page-Cache"] == "hit"
    section = policy.get_children().get(slug="section-1").specific
    section.body = section_body("Group chats with parents are not allowed.")
    section.save_revision().publish()
    fresh = client.get("/policies/social-media/section-1/")
    assert "X-Page-Cache" not in fresh and "Group chats with parents are not allowed." in fresh.content.decode()


def test_my_policies_is_never_cached(client, policy, staff_user):
    client.force_login(staff_user)
    client.get("/staff/my-policies/")
    assert "X-Page-Cache" not in client.get("/staff/my-policies/")


def test_the_cached_staff_hub_greets_each_reader_with_their_own_list(policy, staff_user, parts):
    from policypages.models import ReadReceipt

    asha, ben = Client(), Client()
    asha.force_login(UserFactory(groups=["Staff"], first_name="Asha"))
    ben_user = UserFactory(groups=["Staff"], first_name="Ben")
    ReadReceipt.objects.create(user=ben_user, policy=policy, version=policy.current_version)
    ben.force_login(ben_user)
    first = asha.get("/staff/").content.decode()
    assert "Hello, Asha" in first and "1 of your 1 policy is waiting for you" in first
    for_ben = ben.get("/staff/")
    html = for_ben.content.decode()
    assert for_ben["X-Page-Cache"] == "hit"
    assert "Hello, Ben" in html and "Hello, Asha" not in html
    assert "You are up to date" in html and "waiting for you" not in html


def test_a_cached_policy_page_carries_each_readers_own_status_and_form(policy, staff_user, parts):
    """The whole policy is kept once per audience; each reader's status banner and 'confirm' form are theirs."""
    from core.page_cache import CSRF_PLACEHOLDER
    from policypages.models import ReadReceipt

    reader, done = Client(), Client()
    reader.force_login(staff_user)
    done_user = UserFactory(groups=["Staff"])
    ReadReceipt.objects.create(user=done_user, policy=policy, version=policy.current_version)
    done.force_login(done_user)
    first = reader.get("/policies/social-media/")
    assert "X-Page-Cache" not in first and "Please read this policy" in first.content.decode()
    second = done.get("/policies/social-media/")
    html = second.content.decode()
    assert second["X-Page-Cache"] == "hit"
    assert "You confirmed version 1" in html and "Please read this policy" not in html
    assert "I have read and understood" not in html
    again = reader.get("/policies/social-media/").content.decode()
    assert "Please read this policy" in again and "I have read and understood version 1" in again
    for page in (first.content.decode(), html, again):
        assert CSRF_PLACEHOLDER.text not in page and CSRF_PLACEHOLDER.personal not in page
    # The confirm form in the cached page works: its token is the reader's own.
    token = again.split('name="csrfmiddlewaretoken" value="')[-1].split('"')[0]
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = reader.cookies
    with parts():
        confirmed = checked.post(
            "/policies/social-media/confirm/", {"csrfmiddlewaretoken": token, "version": policy.current_version.pk}
        )
    assert confirmed.status_code == 302
    assert ReadReceipt.objects.filter(user=staff_user, policy=policy).exists()
    after = reader.get("/policies/social-media/", follow=True).content.decode()
    assert "You confirmed version 1" in after


def test_a_cached_section_costs_a_reader_few_queries(client, policy, staff_user):
    client.force_login(staff_user)
    client.get("/policies/social-media/section-1/")
    response, count = _queries(client, "/policies/social-media/section-1/")
    # The session, the account, the content version's token, and the person's groups when any page is
    # restricted to groups (none here): the page itself, its policy and its answers are not read.
    assert response["X-Page-Cache"] == "hit" and count <= 3


def test_the_whole_policy_shares_its_sections_only_with_readers_of_the_same_access(policy, staff_user, senior_leader):
    """The sections of the whole policy are rendered once per audience ({% shared_by_audience %}); a section for
    senior leaders only must never reach a teacher's copy, nor the leader's reading status the teacher's."""
    from policypages.models import PolicySectionPage
    from tests.policypages.factories import PolicySectionPageFactory

    secret = PolicySectionPageFactory(
        parent=policy, number="3", title="Leaders procedure", slug="leaders", body=section_body("Code word falcon.")
    )
    _leaders_only(PolicySectionPage.objects.get(pk=secret.pk))
    leader, teacher = Client(), Client()
    leader.force_login(senior_leader)
    teacher.force_login(staff_user)
    ReadReceipt = policy.read_receipts.model
    ReadReceipt.objects.create(user=senior_leader, policy=policy, version=policy.current_version)
    for _ in range(2):
        leaders_page = leader.get("/policies/social-media/").content.decode()
        teachers_page = teacher.get("/policies/social-media/").content.decode()
        assert "Code word falcon." in leaders_page and "Code word falcon." not in teachers_page
        assert "You confirmed version" in leaders_page and "You confirmed version" not in teachers_page


def test_a_reader_who_gave_a_pages_password_never_passes_it_to_another_reader(policy, staff_user):
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(
        page=policy, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    insider, outsider = Client(), Client()
    insider.force_login(staff_user)
    outsider.force_login(UserFactory(groups=["Staff"]))
    insider.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{policy.pk}/",
        {"password": "letmein", "return_url": "/policies/social-media/section-1/"},
    )
    assert "Rule 1 says" in insider.get("/policies/social-media/section-1/").content.decode()
    assert insider.get("/policies/social-media/section-1/")["X-Page-Cache"] == "hit"
    refused = outsider.get("/policies/social-media/section-1/")
    assert "X-Page-Cache" not in refused and "Rule 1 says" not in refused.content.decode()


def test_a_readers_own_parts_follow_their_receipts_groups_and_name_at_once(policy, parts):
    """What changes a reader's parts, each seen on their next page: a policy confirmed, a group joined (a policy
    for that group now applies), their name."""
    from django.contrib.auth.models import Group

    from policypages.models import ReadReceipt

    asha_user = UserFactory(groups=["Staff"], first_name="Asha")
    governance = make_policy(policy.get_parent(), sections=1, slug="governance", title="Governance")
    governance.applies_to.add(Group.objects.get(name="Governors"))
    governance.save_revision().publish(skip_permission_checks=True)
    issue(governance, "1")
    asha = Client()
    asha.force_login(asha_user)
    assert "1 of your 1 policy is waiting for you" in asha.get("/staff/").content.decode()
    assert "Please read this policy" in asha.get("/policies/social-media/").content.decode()

    with parts():
        ReadReceipt.objects.create(user=asha_user, policy=policy, version=policy.current_version)
    assert "You are up to date with all 1 policy" in asha.get("/staff/").content.decode()
    assert "You confirmed version 1" in asha.get("/policies/social-media/").content.decode()

    with parts():
        Group.objects.get(name="Governors").user_set.add(asha_user)
    assert "1 of your 2 policies is waiting for you" in asha.get("/staff/").content.decode()

    with parts():
        asha_user.first_name = "Asha-Rose"
        asha_user.save()
    assert "Hello, Asha-Rose" in asha.get("/staff/").content.decode()
