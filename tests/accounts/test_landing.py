"""Where people land after signing in: staff on their staff hub, admin users (HR, leaders, governors) on the
admin's dashboard, and anyone sent to sign in on their way somewhere, there."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from accounts import roles
from sitesetup.demo import current_totp_code, demo_totp_secret
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, next_path=None):
    url = "/accounts/login/" + (f"?next={next_path}" if next_path else "")
    return client.post(url, {"login": email, "password": "password"})


def answer_the_second_step(client, user):
    return client.post("/accounts/2fa/authenticate/", {"code": current_totp_code(user.email)})


def landing(client, response):
    while response.status_code == 302 and not response["Location"].startswith("/accounts/2fa/"):
        location = response["Location"]
        if location.startswith(("/admin/", "/staff/", "/policies/")) or location == "/":
            return location
        response = client.get(location)
    return response["Location"]


def test_staff_land_on_the_staff_hub(client, tree):
    UserFactory(email="sam@school.example", groups=[roles.STAFF])
    assert landing(client, sign_in(client, "sam@school.example")) == "/staff/"


def test_hr_land_on_the_admin_dashboard_after_the_second_step(client, tree):
    hr = UserFactory(email="hr@school.example", groups=[roles.STAFF, roles.POLICY_EDITORS])
    TOTP.activate(hr, demo_totp_secret(hr.email))
    assert sign_in(client, "hr@school.example")["Location"].startswith("/accounts/2fa/authenticate/")
    assert landing(client, answer_the_second_step(client, hr)) == "/admin/"


def test_a_next_address_is_still_honoured(client, tree):
    UserFactory(email="sam@school.example", groups=[roles.STAFF])
    assert sign_in(client, "sam@school.example", next_path="/policies/")["Location"] == "/policies/"


def test_the_landing_address_sends_a_visitor_home(client, tree):
    assert client.get("/signed-in/")["Location"] == "/"


def test_the_second_step_speaks_plainly_and_a_used_code_says_why_it_failed(client, tree):
    hr = UserFactory(email="hr@school.example", groups=[roles.STAFF, roles.POLICY_EDITORS])
    TOTP.activate(hr, demo_totp_secret(hr.email))
    sign_in(client, hr.email)
    page = client.get("/accounts/2fa/authenticate/").content.decode()
    assert "Two-step verification" in page and "Two-Factor" not in page
    assert 'for="id_code"' in page  # the code box has a visible label
    code = current_totp_code(hr.email)
    answer_the_second_step(client, hr)
    client.post("/accounts/logout/")
    sign_in(client, hr.email)
    refused = client.post("/accounts/2fa/authenticate/", {"code": code}).content.decode()
    assert "That code did not work" in refused and "each can be used once" in refused
