"""Every URL the resolver knows, for every role, with and without a completed second step, against the matrix
in docs/roles.md; and every URL with odd query strings, which must never answer 500.

The URLs come from tests.urlwalk (the project's routes and every installed app's), with parameters filled
with real objects: a policy, a section, each kind of record, an evidence file, a person, a group.
"""

import re
import time

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from declarations.models import ABUSE
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in_without_second_step, with_mfa
from tests.policypages.factories import issue, make_policy
from tests.urlwalk import every_route

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "hr", "head", "dsl", "governor", "site_admin", "superuser"]
NEED_MFA = ["hr", "head", "dsl", "site_admin", "superuser"]
# Signing out is not walked with the rest (it would end the walk's session).
NOT_WALKED = re.compile(r"logout")
# Wagtail's deliberate error page: admins open it to check that error reporting works.
MEANT_TO_FAIL = {"admin/failwhale/"}
# Wagtail's admin icons and translations: static files, the same for everyone.
ADMIN_ASSETS = {"admin/sprite/", "admin/jsi18n/"}


@pytest.fixture
def world(client, records, tree, staff_user):
    policy = make_policy(tree.policies, sections=2, title="Social media", slug="social-media")
    issue(policy)
    people = {
        "staff": staff_user,
        "hr": with_mfa(UserFactory(groups=[roles.STAFF, roles.POLICY_EDITORS])),
        "head": with_mfa(UserFactory(groups=[roles.STAFF, roles.SENIOR_LEADERS])),
        "dsl": with_mfa(UserFactory(groups=[roles.STAFF, roles.SAFEGUARDING_LEAD])),
        "governor": UserFactory(groups=[roles.STAFF, roles.GOVERNORS]),
        "site_admin": with_mfa(UserFactory(groups=[roles.STAFF, roles.SITE_ADMINS])),
        "superuser": with_mfa(UserFactory(is_superuser=True, groups=[roles.STAFF])),
    }
    abuse = records[ABUSE]
    section = policy.get_children().first()

    def values_for(route):
        if "declarations/record" in route or route.startswith("admin/records/<int:pk>"):
            pk = abuse.pk
        elif route.startswith("records/evidence"):
            pk = abuse.evidence.first().pk
        elif route.startswith("admin/users/"):
            pk = staff_user.pk
        elif route.startswith("admin/groups/"):
            pk = Group.objects.get(name=roles.SENIOR_LEADERS).pk
        else:
            pk = 1
        return {
            "pk": pk,
            "instance_pk": abuse.pk,
            "page_id": section.pk,
            "parent_page_id": policy.pk,
            "user_id": staff_user.pk,
            "reference": abuse.reference,
            "form": ABUSE,
        }

    routes = []
    for route in every_route():
        if NOT_WALKED.search(route.route):
            continue
        routes.append(next(r for r in every_route(values_for(route.route)) if r.route == route.route))
    return {"people": people, "routes": routes, "records": records, "policy": policy}


def _sign_in(client, world, role, second_step=True):
    client.logout()
    if role == "anonymous":
        return
    user = world["people"][role]
    if second_step:
        client.force_login(user)
    else:
        sign_in_without_second_step(client, user)


def _walk(client, world, role, second_step=True, query=""):
    _sign_in(client, world, role, second_step)
    client.raise_request_exception = False
    results = {}
    for route in world["routes"]:
        response = client.get(route.path + query)
        results[route.route] = response
        if response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
            if role != "anonymous" and "_auth_user_id" not in client.session:
                _sign_in(client, world, role, second_step)  # something signed us out: carry on signed in
    return results


def _allowed(response):
    return response.status_code == 200


RECORD_ROUTES = {
    "admin/^declarations/record/$": {"head", "hr", "dsl"},  # the inbox, listing only their forms
    "admin/^declarations/record/inspect/(?P<instance_pk>[-\\w]+)/$": {"head", "dsl"},
    "admin/^declarations/record/history/(?P<instance_pk>[-\\w]+)/$": {"head", "dsl"},
    "records/evidence/<int:pk>/": {"head", "dsl", "staff"},  # staff: the submitter of this report
    "admin/records/export/<int:user_id>/": {"head", "hr", "dsl"},  # each gets only their forms' records
}
SITE_ADMIN_ONLY = re.compile(r"^admin/(users|groups)/(new|edit|delete|add)|^admin/pages/<int:page_id>/privacy/")


def test_every_url_for_every_role_follows_the_matrix(client, world):
    started = time.monotonic()
    seen = {role: _walk(client, world, role) for role in ROLES}
    problems = []
    for route in world["routes"]:
        statuses = {role: seen[role][route.route].status_code for role in ROLES}
        if 500 in statuses.values() and route.route not in MEANT_TO_FAIL:
            problems.append(f"500 for {route.path}: {statuses}")
        admin_page = route.route.startswith("admin/") and route.route not in ADMIN_ASSETS
        if admin_page and _allowed(seen["anonymous"][route.route]):
            problems.append(f"anonymous reached {route.path}")
        if admin_page and _allowed(seen["staff"][route.route]):
            problems.append(f"staff reached {route.path}")
        if route.route in RECORD_ROUTES:
            for role in ROLES:
                expected = role in RECORD_ROUTES[route.route]
                if _allowed(seen[role][route.route]) != expected:
                    problems.append(
                        f"{role} {'did not reach' if expected else 'reached'} {route.path} ({statuses[role]})"
                    )
        if SITE_ADMIN_ONLY.search(route.route):
            for role in ROLES:
                if _allowed(seen[role][route.route]) and role not in ("site_admin", "superuser"):
                    problems.append(f"{role} reached {route.path}")
    assert not problems, "\n".join(problems)
    assert time.monotonic() - started < 600  # a guard against an accidental crawl, not a speed check


@pytest.mark.parametrize("role", NEED_MFA)
def test_without_the_second_step_a_privileged_role_gets_no_more_than_staff(client, world, role):
    staff = _walk(client, world, "staff")
    partial = _walk(client, world, role, second_step=False)
    problems = []
    for route in world["routes"]:
        response = partial[route.route]
        if route.route in ADMIN_ASSETS or route.route.startswith("accounts/"):
            continue  # static files, and the account pages everyone with an account has
        if response.status_code == 500:
            problems.append(f"500 for {route.path}")
        if response.status_code == 302 and response["Location"].startswith("/accounts/2fa/"):
            continue
        if route.route.startswith(("admin/", "records/evidence/")):
            problems.append(f"{route.path} answered {response.status_code} without the second step")
        elif _allowed(response) and not _allowed(staff[route.route]):
            problems.append(f"{route.path}: {response.status_code}, staff get {staff[route.route].status_code}")
    assert not problems, "\n".join(problems)


ODD_QUERIES = [
    "?page=2&p=-1&o=zzz&ordering=-nonsense&export=bogus&status=nonsense&form=nothing&id=abc",
    "?q=" + "+".join(["policy"] * 500),
    "?q=%00%ff%fe&next=//evil.example/&next=https://evil.example/&x=" + "y" * 5000,
    "?submitted_at__gte=not-a-date&school=%27%22%3E%3Cscript%3E&tag=%E2%80%AE",
]


@pytest.mark.parametrize("role", ["head", "superuser", "anonymous"])
def test_odd_query_strings_never_answer_500(client, world, role):
    problems = []
    for query in ODD_QUERIES:
        results = _walk(client, world, role, query=query)
        problems += [
            f"{route} {query[:40]}"
            for route, response in results.items()
            if response.status_code >= 500 and route not in MEANT_TO_FAIL
        ]
    assert not problems, "\n".join(problems)
