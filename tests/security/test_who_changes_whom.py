"""Who may change whom is a rule on the data (accounts.changes), not on a view: the attacks of issue 41 replayed
through Wagtail's copy view, bulk actions, the account page, and straight at the models with a named acting
person; and the alert that names exactly what changed, sent to the old address and the senior leaders."""

import time

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import transaction
from wagtail.log_actions import LogContext

from accounts import roles
from accounts.acting import acting_as
from accounts.changes import AccountChangeRefused
from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa

pytestmark = pytest.mark.django_db


def group(name):
    return Group.objects.get(name=name)


def refused(change):
    """The change raises the refusal and writes nothing (in its own transaction, as a request's would be)."""
    with pytest.raises(AccountChangeRefused), transaction.atomic():
        change()


@pytest.fixture
def head(tree):
    return with_mfa(UserFactory(email="head@school.example", groups=[roles.STAFF, roles.SENIOR_LEADERS]))


@pytest.fixture
def owner(tree):
    return with_mfa(UserFactory(is_superuser=True, groups=[roles.STAFF]))


def test_the_copy_views_are_gone_and_the_takeover_changes_nothing(client, site_admin, head):
    """Issue 41, finding 1: posting the superuser box, a reviewer group and a new address and password to the
    copy view of the head's account made it the attacker's."""
    client.force_login(site_admin)
    attack = {
        "username": "head",
        "email": "attacker@evil.example",
        "first_name": "A",
        "last_name": "B",
        "password1": "a-long-unusual-password-42",
        "password2": "a-long-unusual-password-42",
        "is_superuser": "on",
        "is_active": "on",
        "groups": [group(roles.SENIOR_LEADERS).pk, group(roles.SITE_ADMINS).pk],
    }
    for url in (f"/admin/users/copy/{head.pk}/", f"/admin/groups/copy/{group(roles.SENIOR_LEADERS).pk}/"):
        assert client.get(url).status_code == 404
        assert client.post(url, attack).status_code == 404
    head.refresh_from_db()
    assert head.email == "head@school.example" and not head.is_superuser and head.check_password("password")
    assert not User.objects.filter(email="attacker@evil.example").exists()


def test_a_plain_account_cannot_be_promoted_into_a_reviewer_group_from_any_form(client, site_admin, staff_user):
    """The variant: make a plain account, then save it again with Senior leaders. Refused with the reason."""
    client.force_login(site_admin)
    data = {
        "username": staff_user.username,
        "email": staff_user.email,
        "first_name": "T",
        "last_name": "P",
        "is_active": "on",
        "groups": [group(roles.STAFF).pk, group(roles.SENIOR_LEADERS).pk],
    }
    client.post(f"/admin/users/edit/{staff_user.pk}/", data)
    assert not staff_user.groups.filter(name=roles.SENIOR_LEADERS).exists()


def test_bulk_actions_are_judged_person_by_person(client, site_admin, head, staff_user):
    client.force_login(site_admin)
    # Assign role: Senior leaders, to a plain account.
    response = client.post(
        f"/admin/bulk/accounts/user/assign_role/?next=/admin/users/&id={staff_user.pk}",
        {"role": group(roles.SENIOR_LEADERS).pk},
    )
    assert response.status_code in (302, 403)
    assert not staff_user.groups.filter(name=roles.SENIOR_LEADERS).exists()
    # Mark the head inactive (Wagtail updates in bulk, past save()): refused, the head can still sign in.
    client.post(f"/admin/bulk/accounts/user/set_active_state/?next=/admin/users/&id={head.pk}", {"mark_as_active": "False"})
    head.refresh_from_db()
    assert head.is_active
    # A plain account may be switched off by the site admin, and is.
    client.post(
        f"/admin/bulk/accounts/user/set_active_state/?next=/admin/users/&id={staff_user.pk}", {"mark_as_active": "False"}
    )
    staff_user.refresh_from_db()
    assert not staff_user.is_active


def test_the_rule_holds_in_the_shell_for_a_named_person(tree, site_admin, head, staff_user, owner):
    with acting_as(site_admin):
        head.is_superuser = True
        refused(head.save)
        head.refresh_from_db()
        head.email = "attacker@evil.example"
        refused(head.save)
        refused(lambda: staff_user.groups.add(group(roles.SENIOR_LEADERS)))
        refused(lambda: group(roles.SAFEGUARDING_LEAD).user_set.add(staff_user))
        refused(lambda: User.objects.filter(pk=staff_user.pk).update(is_superuser=True))
        refused(lambda: group(roles.STAFF).permissions.add(Permission.objects.get(codename="review_abuse")))
        refused(lambda: staff_user.user_permissions.add(Permission.objects.get(codename="change_user")))
        refused(head.delete)
        refused(lambda: Authenticator.objects.filter(user=head).delete())
        # What a site admin may do, they still do: a plain account's name and groups.
        staff_user.first_name = "Renamed"
        staff_user.save()
        staff_user.groups.add(group(roles.GOVERNORS))
    head.refresh_from_db()
    assert not head.is_superuser and head.email == "head@school.example"
    assert not staff_user.groups.filter(name=roles.SENIOR_LEADERS).exists()
    assert Authenticator.objects.filter(user=head).exists()
    # Wagtail's LogContext names the person too; the superuser may.
    with LogContext(user=owner):
        staff_user.groups.add(group(roles.SENIOR_LEADERS))
    assert staff_user.groups.filter(name=roles.SENIOR_LEADERS).exists()


def test_nobody_changes_their_own_access(tree, staff_user, site_admin):
    with acting_as(site_admin):
        refused(lambda: site_admin.groups.remove(group(roles.STAFF)))
    with acting_as(staff_user):
        staff_user.is_active = False
        refused(staff_user.save)


def test_the_alert_names_what_changed_and_goes_to_the_old_address_and_the_leaders(
    tree, owner, head, staff_user, django_capture_on_commit_callbacks
):
    old_address = staff_user.email
    with django_capture_on_commit_callbacks(execute=True), acting_as(owner):
        staff_user.is_superuser = True
        staff_user.email = "new.address@school.example"
        staff_user.save()
    to = {tuple(m.to): m.body for m in mail.outbox}
    assert set(to) == {(old_address,), (head.email,)}  # never to the new address
    for body in to.values():
        assert "made a superuser" in body and "new.address@school.example" in body and str(owner) in body


def test_a_password_reset_from_the_emailed_link_still_works(client, tree, staff_user):
    """Someone not signed in may change one thing on an account: its password, from the emailed link."""
    client.post("/accounts/password/reset/", {"email": staff_user.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/key/" in line)
    path = "/" + link.split("://", 1)[-1].split("/", 1)[1].strip()
    form = client.get(path, follow=True)
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "a-new-long-password-7", "password2": "a-new-long-password-7"},
    )
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password("a-new-long-password-7")


# --- sign-in addresses stay the school's (issue 41, finding 7) --------------------------------------------


def test_nobody_moves_their_own_address_from_the_account_page(client, governor):
    client.force_login(governor)
    page = client.get("/admin/account/")
    assert page.status_code == 200 and 'name="name_email-email"' not in page.content.decode()
    client.post(
        "/admin/account/",
        {"name_email-first_name": "G", "name_email-last_name": "V", "name_email-email": "attacker@evil.example"},
    )
    governor.refresh_from_db()
    assert governor.email != "attacker@evil.example"


def test_an_own_address_outside_the_schools_domains_is_refused_wherever_it_is_saved(tree, governor, settings):
    settings.SCHOOL_EMAIL_DOMAINS = ["school.example"]
    with acting_as(governor):
        governor.email = "attacker@evil.example"
        refused(governor.save)
        governor.email = "g.v@school.example"  # within the school's own: allowed (a command has nobody to ask)
        governor.save()


def test_a_new_address_set_by_an_admin_needs_a_fresh_sign_in(client, site_admin, staff_user):
    client.force_login(site_admin)
    session = client.session
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] = time.time() - 3600  # signed in an hour ago
    session.save()
    data = {
        "username": staff_user.username,
        "email": "moved@school.example",
        "first_name": "T",
        "last_name": "P",
        "is_active": "on",
        "groups": [group(roles.STAFF).pk],
    }
    response = client.post(f"/admin/users/edit/{staff_user.pk}/", data)
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    staff_user.refresh_from_db()
    assert staff_user.email != "moved@school.example"
