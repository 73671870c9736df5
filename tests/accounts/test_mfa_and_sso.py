"""Two-step verification for privileged roles, sign-in routes, password reset, and single sign-on rules."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from accounts.adapters import SchoolSocialAccountAdapter, email_domain_allowed
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa

pytestmark = pytest.mark.django_db


def test_an_hr_editor_without_mfa_cannot_reach_the_admin(client, hr_user_without_mfa):
    client.force_login(hr_user_without_mfa)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    assert client.get("/admin/pages/").status_code == 302
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200
    assert "needs two-step verification" in page.content.decode()


def test_the_same_editor_with_mfa_reaches_the_admin(client, hr_user_without_mfa):
    client.force_login(with_mfa(hr_user_without_mfa))
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("group", ["Senior leaders", "Safeguarding lead", "Site admins"])
def test_every_privileged_role_needs_mfa(client, tree, group):
    user = UserFactory(groups=["Staff", group])
    client.force_login(user)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/"


def test_superusers_need_mfa_too(client, tree):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/admin/")["Location"] == "/accounts/2fa/"


def test_staff_and_governors_are_not_asked_for_mfa(client, staff_user, governor):
    client.force_login(staff_user)
    assert client.get("/staff/").status_code == 200
    client.force_login(governor)
    assert client.get("/admin/").status_code == 200


def test_signing_in_with_mfa_asks_for_the_code(client, tree):
    user = with_mfa(UserFactory(email="hr@school.example", groups=["Staff", "Policy editors"]))
    response = client.post("/accounts/login/", {"login": "hr@school.example", "password": "password"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert user.pk


def test_password_reset_by_email(client, staff_user):
    response = client.post("/accounts/password/reset/", {"email": staff_user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and staff_user.email in mail.outbox[0].to
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def sociallogin(email):
    return SimpleNamespace(user=SimpleNamespace(email=email), email_addresses=[])


@pytest.mark.parametrize(
    "email, allowed",
    [
        ("sam@oakbrook.sch.uk", True),
        ("SAM@Oakbrook.Sch.UK", True),
        ("sam@gmail.com", False),
        ("", False),
        ("sam@evil-oakbrook.sch.uk", False),
    ],
)
def test_single_sign_on_is_for_the_schools_domains_only(settings, email, allowed):
    settings.SCHOOL_EMAIL_DOMAINS = ["oakbrook.sch.uk"]
    assert email_domain_allowed(email) is allowed
    assert SchoolSocialAccountAdapter().is_open_for_signup(None, sociallogin(email)) is allowed


def test_no_domains_configured_means_no_sso_sign_up(settings):
    settings.SCHOOL_EMAIL_DOMAINS = []
    assert not SchoolSocialAccountAdapter().is_open_for_signup(None, sociallogin("sam@oakbrook.sch.uk"))


def test_new_sso_users_join_staff(tree, rf, monkeypatch):
    from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

    user = UserFactory()
    monkeypatch.setattr(DefaultSocialAccountAdapter, "save_user", lambda self, request, sociallogin, form=None: user)
    SchoolSocialAccountAdapter().save_user(rf.get("/"), sociallogin(user.email))
    assert list(user.groups.values_list("name", flat=True)) == ["Staff"]
    assert Group.objects.filter(name="Staff").count() == 1


def test_sso_providers_switch_on_from_the_environment():
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_", "GOOGLE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="schoolsite.settings.dev",
        MICROSOFT_CLIENT_ID="abc",
        MICROSOFT_TENANT="t1",
        SCHOOL_EMAIL_DOMAINS="oakbrook.sch.uk",
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print('allauth.socialaccount.providers.microsoft' in s.INSTALLED_APPS, "
        "'allauth.socialaccount.providers.google' in s.INSTALLED_APPS, "
        "s.SOCIALACCOUNT_PROVIDERS['microsoft']['APPS'][0]['settings']['tenant'], "
        "bool(s.ACCOUNT_RATE_LIMITS['login_failed']))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "t1", "True"]
