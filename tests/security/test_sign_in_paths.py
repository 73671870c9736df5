"""Every way to sign in, reset or change a password goes through allauth (rate limits, two-step verification).

The first test walks the URL resolver: a route whose path or name looks like signing in, passwords, email
addresses or account management must be one listed here with how it is handled, so a new app (or a new
Wagtail) that adds one fails this test until someone decides what to do with it.
"""

import re

import pytest
from django.core import mail

from tests.accounts.factories import UserFactory
from tests.urlwalk import every_route

pytestmark = pytest.mark.django_db

LOOKS_LIKE_SIGN_IN = re.compile(
    r"login|logout|log-in|signin|sign-in|signup|sign-up|password|passwd|reset|auth|2fa|mfa|totp|webauthn|"
    r"recovery|email|account|3rdparty|social|reauth",
    re.IGNORECASE,
)

ALLAUTH = "allauth: rate limited, and the second step at sign-in for anyone who has enrolled"
TO_SIGN_IN = "redirects to the allauth sign-in"
TO_RESET = "redirects to allauth's password reset"
KNOWN = {
    # Answered by the project before the apps that route them.
    "admin/login/": TO_SIGN_IN,
    "_util/login/": TO_SIGN_IN,
    "^admin/password_reset/": TO_RESET,
    "accounts/email/": "the project's page: shows the address, adds none",
    # Routed by Wagtail, behind one of the above (WAGTAIL_PASSWORD_RESET_ENABLED is off as well).
    "admin/password_reset/": TO_RESET,
    "admin/password_reset/done/": TO_RESET,
    "admin/password_reset/confirm/<uidb64>/<token>/": TO_RESET,
    "admin/password_reset/complete/": TO_RESET,
    # Wagtail: signing out, the account page without its password panel, and choosers that are not sign-in.
    "admin/logout/": "signs out only",
    "admin/account/": "preferences; no password change (WAGTAIL_PASSWORD_MANAGEMENT_ENABLED is off)",
    "admin/choose-email-link/": "a link chooser in the page editor",
    # Shared passwords on a page or document's own privacy setting, not accounts (the school uses none).
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": "page password, no account",
    "documents/authenticate_with_password/<int:restriction_id>/": "document password, no account",
}


def _allauth(route):
    # allauth's own views, and the redirects it keeps from its old /accounts/social/ addresses.
    return route.view.startswith("allauth.") or route.route.startswith("accounts/social/")


def test_every_sign_in_route_is_known():
    unknown = []
    for route in every_route():
        if not (LOOKS_LIKE_SIGN_IN.search(route.route) or LOOKS_LIKE_SIGN_IN.search(route.name or "")):
            continue
        if route.route in KNOWN or (route.route.startswith("accounts/") and _allauth(route)):
            continue
        unknown.append(f"{route.route} ({route.name}) -> {route.view}")
    assert not unknown, "Sign-in routes nobody has decided about:\n" + "\n".join(unknown)


def test_every_known_route_still_exists():
    # A stale list would let a renamed route through unnoticed.
    routes = {route.route for route in every_route()}
    assert set(KNOWN) <= routes


def test_accounts_routes_are_answered_by_allauth_or_the_project():
    for route in every_route():
        if route.route.startswith("accounts/"):
            assert route.view.startswith(("allauth.", "accounts.", "django.views.generic.base.RedirectView")), route


@pytest.fixture
def head(tree):
    from tests.conftest import with_mfa

    return with_mfa(UserFactory(email="head@school.example", username="head", groups=["Staff", "Senior leaders"]))


@pytest.mark.parametrize("path", ["/_util/login/", "/admin/login/"])
def test_other_login_forms_sign_nobody_in(client, head, path):
    for login in ("head", "head@school.example"):
        response = client.post(path, {"username": login, "password": "password", "next": "/admin/"})
        assert "_auth_user_id" not in client.session
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(path + "?next=/staff/")["Location"] == "/accounts/login/?next=/staff/"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/password_reset/",
        "/admin/password_reset/done/",
        "/admin/password_reset/confirm/MQ/set-password/",
        "/admin/password_reset/complete/",
    ],
)
def test_wagtails_password_reset_sends_nothing(client, head, path):
    for _ in range(3):
        response = client.post(path, {"email": head.email})
        assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/"
    assert mail.outbox == []


def test_allauths_password_reset_is_rate_limited(client, head, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "20/m/ip,2/m/key"}
    for _ in range(5):
        client.post("/accounts/password/reset/", {"email": head.email})
    assert len(mail.outbox) == 2


def test_wagtails_account_page_offers_no_password_change(client, head):
    client.force_login(head)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    assert 'name="password_change' not in page.content.decode() and "old_password" not in page.content.decode()


def test_nobody_adds_an_address_to_their_account(client, staff_user):
    client.force_login(staff_user)
    page = client.get("/accounts/email/")
    assert page.status_code == 200 and staff_user.email in page.content.decode()
    assert "cannot be added or changed here" in page.content.decode()
    response = client.post("/accounts/email/", {"action_add": "", "email": "someone.else@school.example"})
    assert response.status_code == 405
    assert list(staff_user.emailaddress_set.values_list("email", flat=True)) in ([], [staff_user.email])
    assert mail.outbox == []


def test_failed_sign_ins_are_rate_limited(client, head, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    for _ in range(6):
        client.post("/accounts/login/", {"login": head.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": head.email, "password": "password"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
