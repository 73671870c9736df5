"""Stronger confirmation (issue 20, second part): when the school asks for it, confirming a policy needs a
sign-in in the last five minutes (password, two-step code, or the school's Microsoft or Google account), and
the receipt records how. Off by default: a tick is enough."""

import time

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts import reauth
from policypages.branding import SchoolBranding
from policypages.models import ReadReceipt
from tests.accounts.factories import UserFactory
from tests.conftest import record_in_session
from tests.policypages.factories import issue

pytestmark = pytest.mark.django_db
CONFIRM = "/policies/social-media/confirm/"


@pytest.fixture
def strong(tree):
    branding = SchoolBranding.for_site(tree.home.get_site())
    branding.confirm_by_signing_in_again = True
    branding.save()


def signed_in_an_hour_ago(client, user):
    client.force_login(user)
    record_in_session(client, user, {"method": "password"})
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] = time.time() - 3600
    session.save()


def test_off_by_default_a_tick_is_enough(policy, client):
    version = issue(policy, "1")
    user = UserFactory(password="a-long-password-1")
    signed_in_an_hour_ago(client, user)
    client.post(CONFIRM, {"version": version.pk})
    assert ReadReceipt.objects.get(user=user).confirmed_with == ""


def test_an_old_sign_in_is_asked_for_the_password_and_the_confirmation_goes_through_after(strong, policy, client):
    version = issue(policy, "1")
    user = UserFactory(password="a-long-password-1")
    signed_in_an_hour_ago(client, user)
    response = client.post(CONFIRM, {"version": version.pk})
    assert response.status_code == 302 and response.url.startswith("/accounts/reauthenticate/")
    assert not ReadReceipt.objects.exists()
    client.post(response.url, {"password": "a-long-password-1"})  # allauth replays the kept confirmation
    assert ReadReceipt.objects.get(user=user).confirmed_with == "password"


def test_a_wrong_password_confirms_nothing(strong, policy, client):
    version = issue(policy, "1")
    user = UserFactory(password="a-long-password-1")
    signed_in_an_hour_ago(client, user)
    response = client.post(CONFIRM, {"version": version.pk})
    client.post(response.url, {"password": "wrong"})
    assert not ReadReceipt.objects.exists()


def test_a_recent_two_step_sign_in_confirms_at_once_and_says_so(strong, policy, client, hr_user):
    version = issue(policy, "1")
    client.force_login(hr_user)  # password and authenticator code, just now
    client.post(CONFIRM, {"version": version.pk})
    assert ReadReceipt.objects.get(user=hr_user).confirmed_with == "two-step code"


def test_school_account_only_people_sign_in_again_with_their_provider(strong, rf, monkeypatch):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    SocialAccount.objects.create(user=user, provider="microsoft", uid="abc")
    request = rf.post(CONFIRM)
    request.user = user
    monkeypatch.setattr(reauth, "reverse", lambda name: "/accounts/microsoft/login/")
    response = reauth.sign_in_again(request, "/policies/social-media/#acknowledgement")
    assert response.url.startswith("/accounts/microsoft/login/?process=login")
    assert "auth_params=prompt%3Dlogin" in response.url and "next=%2Fpolicies%2Fsocial-media" in response.url
