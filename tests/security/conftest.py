import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from accounts import roles
from tests.accounts.factories import UserFactory
from tests.conftest import record_in_session
from tests.declarations.conftest import form_pages, private_media, records  # noqa: F401


def enrol(user):
    """An authenticator app for `user`; returns its secret so a test can type a current code."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def code_for(secret):
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def record_password_sign_in(client, user):
    """What allauth writes when someone has just typed their password again (and nothing else)."""
    record_in_session(client, user, {"method": "password", "reauthenticated": True})


@pytest.fixture
def head(tree):
    user = UserFactory(email="head@school.example", groups=[roles.STAFF, roles.SENIOR_LEADERS])
    user.totp_secret = enrol(user)
    return user
