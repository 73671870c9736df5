"""The smaller holes found with the big ones (issue 12, item 8), each with the test that fails without its fix."""

import pytest

from accounts import roles
from declarations.models import RELATIONSHIP
from sitesetup.demo import DEMO_USERS
from tests.policypages.factories import make_policy

pytestmark = pytest.mark.django_db


def test_my_submissions_are_never_cached(client, records, staff_user):
    client.force_login(staff_user)
    for url in ("/staff/my-records/", records[RELATIONSHIP].get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_the_passkeys_page_opens(client, hr_user):
    client.force_login(hr_user)
    assert client.get("/accounts/2fa/webauthn/").status_code == 200


@pytest.mark.parametrize("query", ["?page=2", "?submitted_at__gte=not-a-date", "?nonsense=1&o=zz"])
def test_the_inbox_ignores_filters_it_cannot_read(client, records, senior_leader, query):
    client.force_login(senior_leader)
    response = client.get("/admin/declarations/record/" + query)
    assert response.status_code == 302 and response["Location"] == "/admin/declarations/record/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "could not be used" in page.content.decode()


def test_a_past_revision_of_a_policy_opens_in_the_admin(client, tree, site_admin):
    policy = make_policy(tree.policies, sections=2, slug="p")
    policy.related_policies.add(make_policy(tree.policies, sections=0, slug="other"))
    first = policy.save_revision()
    policy.summary = "Changed"
    policy.save_revision().publish()
    client.force_login(site_admin)
    response = client.get(f"/admin/pages/{policy.pk}/revisions/{first.pk}/view/")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/admin/pages/search/", "/admin/documents/", "/admin/images/", "/admin/users/"])
def test_admin_search_with_a_very_long_query_answers(client, tree, path):
    from tests.accounts.factories import UserFactory
    from tests.conftest import with_mfa

    client.force_login(with_mfa(UserFactory(is_superuser=True)))
    response = client.get(path + "?q=" + "+".join(["policy"] * 500))
    assert response.status_code == 200


def test_the_bounded_backend_cuts_queries_to_what_people_type():
    from modelsearch.query import And, Phrase, PlainText

    from sitesearch.backends import MAX_QUERY_WORDS, bounded

    assert len(bounded("word " * 500).split()) == MAX_QUERY_WORDS
    assert len(bounded(PlainText("word " * 500)).query_string.split()) == MAX_QUERY_WORDS
    assert len(bounded(And([Phrase("a")] * 500)).subqueries) == MAX_QUERY_WORDS


def test_an_unreadable_query_string_is_a_400_not_a_500(client, tree, site_admin):
    client.force_login(site_admin)
    client.raise_request_exception = False
    response = client.get("/admin/choose-page/chosen-multiple/?id=abc")
    assert response.status_code == 400
    assert "could not read that address" in response.content.decode()


def test_the_demo_dsl_is_only_the_dsl():
    groups = {user.sign_in: user.groups for user in DEMO_USERS}
    assert set(groups["dsl"]) == {roles.STAFF, roles.SAFEGUARDING_LEAD}


@pytest.mark.parametrize("path", ["/search/", "/admin/policy-reading/people/", "/api/search/", "/admin/pages/search/"])
def test_a_nul_in_a_query_string_is_a_400_on_every_database(client, tree, site_admin, path):
    client.force_login(site_admin)
    client.raise_request_exception = False
    response = client.get(path + "?q=%00abc")
    assert response.status_code == 400
