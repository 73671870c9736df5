import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from policypages.models import PolicyPage, PolicySectionPage, PolicyVersion
from sitesetup.demo import DEMO_USERS

# The demo is built on a fresh install, as `make run` builds it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bare_site")]


def test_load_demo_builds_the_school_and_is_idempotent(capsys):
    call_command("load_demo", "--allow-without-debug")
    first = capsys.readouterr().out
    counts = (
        PolicyPage.objects.count(),
        PolicySectionPage.objects.count(),
        PolicyVersion.objects.count(),
        User.objects.count(),
    )
    call_command("load_demo", "--allow-without-debug")
    second = capsys.readouterr().out
    assert counts == (
        PolicyPage.objects.count(),
        PolicySectionPage.objects.count(),
        PolicyVersion.objects.count(),
        User.objects.count(),
    )
    assert "Demo school loaded." in first and "nothing to change" in second
    for user in DEMO_USERS:
        assert f"{user.sign_in}@oakbrook.example" in second  # logins printed every time
    # One school, named by the demo, and everyone in it.
    assert {(u.school.name, u.school.short_name) for u in User.objects.select_related("school")} == {
        ("Oakbrook Academy", "Oakbrook")
    }


def test_demo_policy_has_two_substantive_versions_and_a_staff_only_section(client):
    call_command("load_demo", "--allow-without-debug")
    policy = PolicyPage.objects.get(slug="social-media")
    labels = [(v.label, v.change_type) for v in policy.issued_versions.order_by("issued_at")]
    assert labels == [("1", "substantive"), ("2", "substantive"), ("2.1", "editorial")]
    assert PolicySectionPage.objects.child_of(policy).count() == 13
    public = client.get("/policies/social-media/").content.decode()
    assert "If you are abused or impersonated online" not in public
    client.force_login(User.objects.get(email="staff@oakbrook.example"))
    assert "If you are abused or impersonated online" in client.get("/policies/social-media/").content.decode()
    compare = client.get("/policies/social-media/compare/?from=1&to=2").content.decode()
    assert "13. What we ask of parents and carers" in compare


def test_demo_users_can_sign_in_with_the_printed_password(client):
    call_command("load_demo", "--allow-without-debug")
    response = client.post("/accounts/login/", {"login": "hr@oakbrook.example", "password": "oakbrook-demo-2026"})
    assert response.status_code == 302


def test_load_demo_refuses_without_debug():
    with pytest.raises(CommandError, match="Refusing to load demo users"):
        call_command("load_demo")
