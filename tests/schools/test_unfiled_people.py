"""No school does not mean every school (issue 41, finding 6): in a trust, the central team is said explicitly on
a person's account; someone filed under no school (a new single-sign-on account whose domain names no one
school, or an account saved without one) reads no school's staff-only pages, acts on none, and reaches no
records, until someone files them."""

import pytest
from django.test import Client

from accounts import roles
from accounts.adapters import SchoolSocialAccountAdapter
from accounts.models import User
from schools.models import School
from schools.permissions import site_roots_within_reach
from sitesetup.setup import add_school
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa
from tests.guidance.factories import make_answer
from tests.security.test_sso_tenants import google_login

pytestmark = pytest.mark.django_db
ELM = "elm.localhost"


@pytest.fixture
def trust(tree, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ELM]
    settings.SCHOOL_EMAIL_DOMAINS = ["trust.example"]
    settings.GOOGLE_HOSTED_DOMAINS = ["trust.example"]
    elm_tree, _ = add_school("Elm Primary", ELM, short_name="Elm")
    oak = make_answer(tree.staff_guidance, "Where is the zebracode kept", answer="<p>Oak office.</p>")
    elm = make_answer(elm_tree.staff_guidance, "Where is the giraffecode kept", answer="<p>Elm office.</p>")
    return {"oak": oak, "elm": elm, "elm_tree": elm_tree}


def reads(client, page, host="localhost"):
    response = client.get(page.url_path.split("/", 2)[2].join(["/", ""]), HTTP_HOST=host)
    return response.status_code == 200


def test_a_new_single_sign_on_person_with_no_school_reads_no_staff_pages(trust, rf, monkeypatch):
    from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

    person = UserFactory.build(email="new@trust.example", school=None)
    person.save()
    monkeypatch.setattr(DefaultSocialAccountAdapter, "save_user", lambda self, request, login, form=None: person)
    SchoolSocialAccountAdapter().save_user(rf.get("/"), google_login("new@trust.example", hd="trust.example"))
    person.refresh_from_db()
    assert person.school is None and not person.in_central_team
    client = Client()
    client.force_login(person)
    assert not reads(client, trust["oak"]) and not reads(client, trust["elm"], ELM)
    for word in ("zebracode", "giraffecode"):
        assert client.get("/api/search/", {"q": word}).json()["results"] == []
    assert site_roots_within_reach(person) == ()
    hub = client.get("/staff/")
    assert hub.status_code == 403 and "not yet linked to a school" in hub.content.decode()


def test_the_central_team_said_explicitly_reads_every_school(trust):
    central = UserFactory(groups=[roles.STAFF], school=None, in_central_team=True)
    client = Client()
    client.force_login(central)
    assert reads(client, trust["oak"]) and reads(client, trust["elm"], ELM)


def test_an_account_is_never_saved_without_a_school_or_the_central_team(client, trust):
    admin = with_mfa(UserFactory(groups=[roles.STAFF, roles.SITE_ADMINS], school=None, in_central_team=True))
    client.force_login(admin)
    response = client.post(
        "/admin/users/new/",
        {
            "username": "nobody",
            "email": "nobody@trust.example",
            "first_name": "No",
            "last_name": "Body",
            "password1": "a-long-unusual-password-42",
            "password2": "a-long-unusual-password-42",
            "groups": [],
        },
    )
    assert response.status_code == 200 and "Choose the school this person works at" in response.content.decode()
    assert not User.objects.filter(email="nobody@trust.example").exists()


def test_a_schools_site_admin_looks_after_their_own_schools_people_only(client, trust):
    elm = School.objects.get(name="Elm Primary")
    oakbrook = School.objects.get(site__is_default_site=True)
    admin = with_mfa(UserFactory(groups=[roles.STAFF, roles.SITE_ADMINS], school=elm))
    theirs = UserFactory(groups=[roles.STAFF], school=elm, last_name="Elmperson")
    other = UserFactory(groups=[roles.STAFF], school=oakbrook, last_name="Oakperson")
    client.force_login(admin)
    listing = client.get("/admin/users/").content.decode()
    assert "Elmperson" in listing and "Oakperson" not in listing
    assert client.get(f"/admin/users/edit/{other.pk}/").status_code in (302, 404)
    assert client.get(f"/admin/users/edit/{theirs.pk}/").status_code == 200
    # Moving their own person to another school is moving them out of reach: refused.
    client.post(
        f"/admin/users/edit/{theirs.pk}/",
        {
            "username": theirs.username,
            "email": theirs.email,
            "first_name": "T",
            "last_name": "E",
            "is_active": "on",
            "school": oakbrook.pk,
            "groups": [g.pk for g in theirs.groups.all()],
        },
    )
    theirs.refresh_from_db()
    assert theirs.school == elm
