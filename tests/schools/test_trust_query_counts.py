"""In a trust, what a page costs in queries does not grow with the number of schools (issue 19, part 5): the
staff hub, a school's copy of a trust policy, search, a school's and the trust's reading overview and the trust
policies screen, at two schools and at four. bench/trust.py measures the same at 5 and 50 on PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from policypages import adoption
from policypages.models import PolicyPage, Sharing
from schools.models import School
from sitesetup.setup import add_school
from tests.accounts.factories import UserFactory
from tests.conftest import record_in_session, with_mfa
from tests.policypages.factories import issue, make_policy

pytestmark = pytest.mark.django_db


def grow_to(count, trust_policy, hr, settings):
    """Schools (each with its site, two staff, a policy of its own and its copy of the trust's policy) until
    the trust has `count`."""
    while School.objects.exclude(site=None).count() < count:
        n = School.objects.count()
        host = f"school{n}.localhost"
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
        tree, _ = add_school(f"School {n}", host, short_name=f"S{n}")
        school = School.objects.get(name=f"School {n}")
        for _ in range(2):
            UserFactory(groups=[roles.STAFF], school=school)
        issue(make_policy(tree.policies, sections=2, slug=f"local-{n}"), "1")
        copy = adoption.adopt(trust_policy, school, hr)
        for page in [copy, *copy.get_children().specific()]:
            page.get_latest_revision().publish(skip_permission_checks=True)
        issue(PolicyPage.objects.get(pk=copy.pk), "1.1")


def queries(client, url, host):
    client.get(url, HTTP_HOST=host)  # the first request of a content version builds what is kept for it
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, url
    # Not counted: the content version's check, made every few seconds whatever the page (core/content.py).
    return len([q for q in captured.captured_queries if "_contentversion" not in q["sql"]])


def test_no_page_costs_more_queries_with_more_schools(client, tree, settings):
    School.objects.filter(site__is_default_site=True).update(site=None)  # the first site is the trust's
    central_hr = with_mfa(UserFactory(groups=[roles.STAFF, roles.POLICY_EDITORS]))
    trust_policy = make_policy(tree.policies, sections=3, sharing=Sharing.ADOPTED, slug="trust-phones")
    issue(trust_policy, "1", issued_on=datetime.date(2026, 9, 1))
    every_school = make_policy(tree.policies, sections=2, sharing=Sharing.EVERY_SCHOOL, slug="trust-data")
    issue(every_school, "1")
    grow_to(2, trust_policy, central_hr, settings)
    # Made while the site had one school, which files everyone under it: now the trust's central team.
    type(central_hr).objects.filter(pk=central_hr.pk).update(school=None, in_central_team=True)
    central_hr.refresh_from_db()
    first = School.objects.exclude(site=None).order_by("pk").first()
    host = first.site.hostname
    teacher = UserFactory(groups=[roles.STAFF], school=first)
    school_hr = with_mfa(UserFactory(groups=[roles.STAFF, roles.POLICY_EDITORS], school=first))
    copy = PolicyPage.objects.descendant_of(first.site.root_page).get(adopted_from=trust_policy)

    def measure():
        counts = {}
        for who, urls in (
            (teacher, ["/staff/", copy.get_url_parts()[2], "/search/?q=phones", "/api/search/?q=phones"]),
            (school_hr, ["/admin/policy-reading/", "/admin/trust-policies/"]),
            (central_hr, ["/admin/policy-reading/", "/admin/trust-policies/"]),
        ):
            client.force_login(who)
            if who is not teacher:
                record_in_session(client, who, {"method": "password"}, {"method": "mfa", "type": "totp"})
            for url in urls:
                counts[(who.pk, url)] = queries(client, url, host)
        return counts

    at_two = measure()
    grow_to(4, trust_policy, central_hr, settings)
    at_four = measure()
    assert at_four == at_two
