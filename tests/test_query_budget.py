"""Issue 17: every page a signed-in member of staff opens costs at most ten queries, whatever the number of
sections or policies. Counted, never timed (bench/load.py measures the time).

Published content (the sites, every page's address, the view restrictions, the branding, what each policy
asks staff to read) comes from the snapshot of core/published.py, read once per content version; the
queries left are the person's own: their session, their account, their groups and receipts, and the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.policypages.factories import issue, make_policy

pytestmark = pytest.mark.django_db

BUDGET = 10


def queries(client, url):
    client.get(url)  # the first request of a content version reads the snapshot: counted below, not here
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), [q["sql"] for q in captured]


@pytest.fixture
def staff_client(client, staff_user, settings):
    settings.PAGE_CACHE_ENABLED = False  # signed-in pages never use it anyway; count what rendering costs
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize("sections", [3, 24])
def test_a_policy_and_its_sections_within_budget(staff_client, tree, sections):
    policy = make_policy(tree.policies, sections=sections, slug="policy")
    issue(policy)
    for url in ("/policies/policy/", "/policies/policy/section-2/", f"/policies/policy/section-{sections}/"):
        count, sql = queries(staff_client, url)
        assert count <= BUDGET, (url, count, sql)


@pytest.mark.parametrize("policies", [1, 40])
def test_the_staff_pages_within_budget_whatever_the_number_of_policies(staff_client, tree, policies):
    for n in range(policies):
        issue(make_policy(tree.policies, sections=1, slug=f"policy-{n}", title=f"Policy {n}"))
    for url in (
        "/staff/",
        "/staff/my-policies/",
        "/policies/",
        "/policies/policy-0/",
        "/search/?q=kind+section",
        "/api/search/?q=kind+section",
    ):
        count, sql = queries(staff_client, url)
        assert count <= BUDGET, (url, policies, count, sql)


def test_the_budget_holds_for_a_visitor_too(client, tree, settings):
    settings.PAGE_CACHE_ENABLED = False
    make_policy(tree.policies, sections=24, slug="policy")
    for url in ("/", "/parents/", "/policies/policy/", "/policies/policy/section-3/"):
        count, sql = queries(client, url)
        assert count <= BUDGET, (url, count, sql)


@pytest.mark.parametrize("policies", [1, 40])
def test_the_reading_report_does_not_grow_with_policies(client, tree, hr_user, policies):
    for n in range(policies):
        issue(make_policy(tree.policies, sections=1, slug=f"policy-{n}", title=f"Policy {n}"))
    client.force_login(hr_user)
    count, sql = queries(client, "/admin/policy-reading/")
    # The admin's own frame (menus, permissions, the user's profile) is most of it: fixed, whatever the size.
    assert count <= 22, (policies, count, sql)
