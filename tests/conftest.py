import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client, RequestFactory

from accounts import roles
from accounts.mfa import SECOND_FACTORS
from core import content, published
from sitesetup.setup import setup_site
from tests.accounts.factories import UserFactory
from tests.db_snapshot import as_the_migrations_left_it
from tests.policypages.factories import PolicySectionPageFactory, make_policy, section_body

_plain_force_login = Client.force_login


def sign_in_without_second_step(client, user):
    """A session that signed in with a password only (before the person enrolled, say)."""
    _plain_force_login(client, user)


def record_in_session(client, user, *records):
    """Write what allauth writes in a session when someone authenticates: `records` like {"method": "mfa"}."""
    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"at": time.time(), **record} for record in records]
    session.save()


def _force_login_as_allauth_would(self, user, backend=None):
    """`client.force_login` in these tests stands for a complete sign-in: for someone with an authenticator,
    that includes the second step, recorded in the session as allauth records it."""
    _plain_force_login(self, user, backend)
    if user.pk and Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists():
        record_in_session(self, user, {"method": "password"}, {"method": "mfa", "type": "totp"})


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty caches, as its database starts from the session's school: what the previous
    test cached (its content version and published snapshot, Wagtail's site root paths) names rows its
    rollback removed."""
    cache.clear()
    content._recent.version = None
    published.forget()


@pytest.fixture(autouse=True)
def force_login_includes_the_second_step(monkeypatch):
    monkeypatch.setattr(Client, "force_login", _force_login_as_allauth_would)


TEST_SCHOOL = "Test School"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The empty school (setup_site: page tree, groups and their permissions, the approval workflow, synonyms),
    built once per session in the test database. Every test runs in a transaction rolled back at its end, so
    each starts from this school; a test that needs the database as a fresh install has it asks for
    `bare_site`."""
    with django_db_blocker.unblock():
        setup_site(TEST_SCHOOL)


@pytest.fixture
def tree(db):
    """The school's page tree. setup_site only looks it up, unless a transactional test's flush removed it."""
    site_tree, _ = setup_site(TEST_SCHOOL)
    return site_tree


@pytest.fixture
def bare_site(db):
    """The database as the migrations leave it, before setup_site (inside this test's transaction)."""
    as_the_migrations_left_it()


@pytest.fixture
def staff_user(tree):
    return UserFactory(groups=[roles.STAFF])


def with_mfa(user):
    """Give a user an authenticator app, as every HR editor, senior leader and admin must have."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def hr_user(tree):
    return with_mfa(UserFactory(groups=[roles.STAFF, roles.POLICY_EDITORS]))


@pytest.fixture
def hr_user_without_mfa(tree):
    return UserFactory(groups=[roles.STAFF, roles.POLICY_EDITORS])


@pytest.fixture
def governor(tree):
    return UserFactory(groups=[roles.STAFF, roles.GOVERNORS])


@pytest.fixture
def senior_leader(tree):
    return with_mfa(UserFactory(groups=[roles.STAFF, roles.SENIOR_LEADERS]))


@pytest.fixture
def safeguarding_lead(tree):
    return with_mfa(UserFactory(groups=[roles.STAFF, roles.SAFEGUARDING_LEAD]))


@pytest.fixture
def site_admin(tree):
    return with_mfa(UserFactory(groups=[roles.STAFF, roles.SITE_ADMINS]))


@pytest.fixture
def policy(tree):
    return make_policy(tree.policies, sections=3, title="Social media", slug="social-media")


@pytest.fixture
def rf():
    return RequestFactory()


@pytest.fixture
def anon_request(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    return request


@pytest.fixture
def mixed_policy(tree):
    """A public policy with one staff-only section (section 3, 'extension 4321')."""
    policy = make_policy(tree.policies, sections=2, title="Mixed", slug="mixed")
    PolicySectionPageFactory(
        parent=policy,
        number="3",
        title="Internal procedure",
        slug="internal",
        body=section_body("Call the duty manager on extension 4321."),
        staff_only=True,
    )
    return policy
