import pytest
from django.test import RequestFactory

from accounts import roles
from policypages.setup import setup_site

from .factories import PolicySectionPageFactory, UserFactory, make_policy, section_body


@pytest.fixture
def tree(db):
    site_tree, _ = setup_site("Test School")
    return site_tree


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
