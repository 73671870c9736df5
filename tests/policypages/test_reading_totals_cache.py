"""HR's reading totals are counted once and kept in the shared cache until something they count changes: then
the next report counts again, on every server (the token lives in the shared cache)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policypages.models import ReadReceipt
from policypages.reading import policy_totals
from tests.accounts.factories import UserFactory
from tests.policypages.factories import issue as issue_policy
from tests.policypages.factories import make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(monkeypatch):
    """Totals are kept only in a cache every process shares (Redis in production); in one test process the
    memory cache behaves as one."""
    monkeypatch.setattr("policypages.reading.cache_is_shared", lambda: True)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school(tree):
    policy = make_policy(tree.policies, sections=1, slug="social-media", title="Social media")
    version = issue_policy(policy, "1", issued_on=datetime.date(2020, 1, 5), approved_on=datetime.date(2020, 1, 1))
    people = [UserFactory(groups=["Staff"], start_date=datetime.date(2019, 9, 1)) for _ in range(4)]
    ReadReceipt.objects.create(user=people[0], policy=policy, version=version)
    return policy, version, people


def totals():
    [row] = policy_totals()
    return row.audience, row.read, row.overdue


def counting_queries():
    """Run policy_totals and return the queries that counted people or receipts."""
    with CaptureQueriesContext(connection) as queries:
        result = totals()
    return result, [q["sql"] for q in queries if "readreceipt" in q["sql"] or "COUNT" in q["sql"]]


def test_totals_are_counted_once_then_read_from_the_cache(school, shared_cache):
    first, counted = counting_queries()
    assert first == (4, 1, 3) and counted
    again, counted = counting_queries()
    assert again == first and counted == []


def test_without_a_shared_cache_every_report_counts(school, monkeypatch):
    """A per-process cache would keep totals another process has since changed: nothing is kept."""
    totals()
    _, counted = counting_queries()
    assert counted


@pytest.mark.parametrize(
    "change, expected",
    [
        ("a receipt is made", (4, 2, 2)),
        ("a receipt is removed", (4, 0, 4)),
        ("a person leaves the Staff group", (3, 1, 2)),
        ("a person joins the Staff group", (5, 1, 4)),
        ("a person is made inactive", (3, 1, 2)),
        ("a person's start date moves", (4, 1, 2)),
        ("a person who read nothing is removed", (3, 1, 2)),
        ("the Staff group is removed", (0, 0, 0)),
    ],
)
def test_each_change_shows_at_once(school, shared_cache, django_capture_on_commit_callbacks, change, expected):
    policy, version, people = school
    assert totals() == (4, 1, 3)
    with django_capture_on_commit_callbacks(execute=True):
        if change == "a receipt is made":
            ReadReceipt.objects.create(user=people[1], policy=policy, version=version)
        elif change == "a receipt is removed":
            ReadReceipt.objects.filter(user=people[0]).delete()
        elif change == "a person leaves the Staff group":
            people[1].groups.remove(Group.objects.get(name="Staff"))
        elif change == "a person joins the Staff group":
            Group.objects.get(name="Staff").user_set.add(UserFactory(groups=[], start_date=datetime.date(2019, 1, 1)))
        elif change == "a person is made inactive":
            people[1].is_active = False
            people[1].save()
        elif change == "a person's start date moves":
            people[1].start_date = datetime.date.today()
            people[1].save()
        elif change == "a person who read nothing is removed":
            people[3].delete()  # (receipts are records: someone who confirmed a policy is kept)
        elif change == "the Staff group is removed":
            Group.objects.get(name="Staff").delete()
    assert totals() == expected


def test_signing_in_does_not_throw_the_totals_away(school, shared_cache, client, django_capture_on_commit_callbacks):
    """Every sign-in stamps the person's last_login, which nothing counted depends on."""
    _, _, people = school
    totals()
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(people[1])
    _, counted = counting_queries()
    assert counted == []


def test_people_made_inactive_in_bulk_in_the_admin_show_at_once(
    school, shared_cache, client, site_admin, django_capture_on_commit_callbacks
):
    """Wagtail's bulk "set active state" changes accounts in one UPDATE, without the signals: a hook counts it."""
    _, _, people = school
    before = totals()
    client.force_login(site_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/bulk/accounts/user/set_active_state/?id={people[1].pk}&id={people[2].pk}",
            {"mark_as_active": "False"},
        )
    assert response.status_code == 302, response.content.decode()[:500]
    people[1].refresh_from_db()
    assert not people[1].is_active
    assert totals() == (before[0] - 2, before[1], before[2] - 2)


def test_the_reports_table_is_kept_with_the_totals_and_follows_them(
    school, shared_cache, client, hr_user, django_capture_on_commit_callbacks
):
    """The overview's rendered table is kept beside the totals: a repeated report renders none of it again, and
    a new receipt shows at once."""
    policy, version, people = school
    client.force_login(hr_user)
    assert "1 of 5" in client.get("/admin/policy-reading/").content.decode()  # HR is staff too
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/admin/policy-reading/").content.decode()
    assert "1 of 5" in html and not [q for q in queries if "readreceipt" in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        ReadReceipt.objects.create(user=people[1], policy=policy, version=version)
    assert "2 of 5" in client.get("/admin/policy-reading/").content.decode()


def test_a_governor_never_gets_the_table_kept_for_hr(school, shared_cache, client, hr_user, governor):
    """HR's table links each policy to the names behind it; a governor sees numbers only, even just after HR."""
    policy, *_ = school
    client.force_login(hr_user)
    assert f"/admin/policy-reading/policy/{policy.pk}/" in client.get("/admin/policy-reading/").content.decode()
    client.force_login(governor)
    html = client.get("/admin/policy-reading/").content.decode()
    assert "Social media" in html and "/policy-reading/policy/" not in html
