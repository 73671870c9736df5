"""Schools are real objects: everyone is filed under one, single sign-on files new people, and a site with one
school shows no trust furniture."""

from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts import roles
from accounts.adapters import SchoolSocialAccountAdapter, email_domain_allowed, file_under_school
from accounts.models import User
from schools.models import School
from schools.services import is_trust, only_school, school_for_sign_in
from sitesetup.setup import setup_site
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa
from tests.db_snapshot import as_the_migrations_left_it
from tests.security.test_sso_tenants import SCHOOL_TENANT, google_login, jwt, microsoft_login

from .factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_setup_site_makes_the_sites_school_and_files_everyone_under_it(bare_site):
    person = User.objects.create_user(username="early", email="early@school.example", password="x")
    tree, report = setup_site("Riverside Primary")
    school = School.objects.get()
    assert school.name == "Riverside Primary" and school.site == tree.home.get_site()
    assert "Created the school 'Riverside Primary'" in report
    person.refresh_from_db()
    assert person.school == school
    assert setup_site("Riverside Primary")[1] == []  # and only once


def test_one_school_is_not_a_trust(tree):
    assert not is_trust() and only_school().name == "Test School"
    SchoolFactory()
    assert is_trust() and only_school() is None


@pytest.mark.parametrize(
    "domains, problem",
    [("oakbrook.sch.uk\n@Elm.sch.uk", None), ("not a domain", "Not an email domain"), ("taken.sch.uk", "already")],
)
def test_a_schools_email_domains_are_checked(tree, domains, problem):
    SchoolFactory(email_domains="taken.sch.uk")
    school = SchoolFactory.build(name="New School", email_domains=domains)
    if problem:
        with pytest.raises(ValidationError, match=problem):
            school.full_clean()
    else:
        school.full_clean()
        assert school.email_domain_list == ["oakbrook.sch.uk", "elm.sch.uk"]


def test_a_urn_is_six_digits(tree):
    with pytest.raises(ValidationError, match="URN"):
        SchoolFactory.build(urn="12345x").full_clean()
    SchoolFactory.build(urn="138456").full_clean()


@pytest.fixture
def trust(tree, settings):
    settings.SCHOOL_EMAIL_DOMAINS = []
    settings.MICROSOFT_TENANT_ID = SCHOOL_TENANT
    first = School.objects.get()
    first.email_domains = "oakbrook.sch.uk"
    first.save()
    elm = SchoolFactory(name="Elm Primary", email_domains="elm.sch.uk", directory_groups="group-elm-staff")
    return first, elm


def login_with_groups(email, groups):
    login = microsoft_login(email)
    login.token.token = jwt({"tid": SCHOOL_TENANT, "upn": email, "groups": groups})
    return login


def test_sign_in_finds_the_school_by_directory_group_then_by_domain(trust):
    oakbrook, elm = trust
    assert school_for_sign_in("sam@oakbrook.sch.uk") == oakbrook
    assert school_for_sign_in("sam@elm.sch.uk") == elm
    assert school_for_sign_in("sam@oakbrook.sch.uk", ["GROUP-ELM-STAFF"]) == elm  # the group is more specific
    assert school_for_sign_in("sam@trust.example") is None  # the central team


def test_a_trusts_school_domains_may_sign_in(trust):
    assert email_domain_allowed("new@elm.sch.uk") and not email_domain_allowed("new@gmail.com")


def test_a_new_person_is_filed_under_their_school_by_single_sign_on(trust, rf, monkeypatch):
    from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

    _, elm = trust
    person = UserFactory(email="new@elm.sch.uk", school=None)
    monkeypatch.setattr(DefaultSocialAccountAdapter, "save_user", lambda self, request, login, form=None: person)
    SchoolSocialAccountAdapter().save_user(rf.get("/"), google_login("new@elm.sch.uk", hd="elm.sch.uk"))
    person.refresh_from_db()
    assert person.school == elm


def test_the_directory_moves_a_person_a_domain_does_not(trust):
    oakbrook, elm = trust
    moved_by_hand = UserFactory(email="sam@elm.sch.uk", school=oakbrook)
    assert not file_under_school(moved_by_hand, microsoft_login("sam@elm.sch.uk"))
    assert moved_by_hand.school == oakbrook
    assert file_under_school(moved_by_hand, login_with_groups("sam@elm.sch.uk", ["group-elm-staff"]))
    assert moved_by_hand.school == elm


def test_the_user_form_asks_for_a_school_only_in_a_trust(client, site_admin):
    client.force_login(site_admin)
    page = client.get("/admin/users/new/").content.decode()
    assert 'name="job_title"' in page and 'name="start_date"' in page
    assert 'name="school"' not in page and 'name="other_schools"' not in page
    SchoolFactory(name="Elm Primary")
    # The site admin was filed under the first school: they file people there only, never in the central team.
    page = client.get("/admin/users/new/").content.decode()
    assert 'name="school"' in page and "Elm Primary" not in page and 'name="in_central_team"' not in page
    # The central team's site admin chooses any school, or the central team, said explicitly.
    central = with_mfa(UserFactory(groups=[roles.STAFF, roles.SITE_ADMINS], school=None, in_central_team=True))
    client.force_login(central)
    page = client.get("/admin/users/new/").content.decode()
    assert 'name="school"' in page and "Elm Primary" in page and 'name="in_central_team"' in page


def test_a_person_added_on_a_one_school_site_is_filed_under_it(client, site_admin):
    client.force_login(site_admin)
    response = client.post(
        "/admin/users/new/",
        {
            "username": "new.teacher",
            "email": "new.teacher@school.example",
            "first_name": "New",
            "last_name": "Teacher",
            "job_title": "Year 3 teacher",
            "start_date": "2026-09-01",
            "password1": "a-long-unusual-password-42",
            "password2": "a-long-unusual-password-42",
            "groups": [],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(email="new.teacher@school.example")
    assert person.school == only_school() and person.job_title == "Year 3 teacher"


@pytest.mark.parametrize("role, allowed", [("site_admin", True), ("hr_user", False), ("senior_leader", False)])
def test_only_site_administrators_manage_schools(client, request, role, allowed):
    client.force_login(request.getfixturevalue(role))
    for url in ("/admin/schools/", "/admin/schools/new/", "/admin/settings/schools/trust/"):
        response = client.get(url, follow=True)
        reached = response.status_code == 200 and response.request["PATH_INFO"].startswith(url)
        assert reached is allowed, url


BEFORE_SCHOOLS = [("accounts", "0003_page_privacy_right")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _to_today():
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "texts, expected",
    [
        # One school: everyone (with or without the text) is filed under it, and it serves the site.
        (["", "Oakbrook Academy", "Oakbrook Academy "], {"Oakbrook Academy": 3}),
        (["", ""], {"Test School": 2}),
        # A trust that used the text: a school per name; people without one are the central team.
        (["Oakbrook Academy", "Elm Primary", "", "Elm Primary"], {"Oakbrook Academy": 1, "Elm Primary": 2, None: 1}),
    ],
)
def test_migrating_files_everyone_who_had_a_school_as_text(texts, expected):
    ContentType.objects.clear_cache()  # an earlier flush may have made them afresh, under new ids
    as_the_migrations_left_it()
    setup_site("Test School")
    School.objects.all().delete()
    old = _migrate(BEFORE_SCHOOLS)
    OldUser = old.get_model("accounts", "User")
    for n, text in enumerate(texts):
        OldUser.objects.create(username=f"u{n}", email=f"u{n}@school.example", school=text)
    _to_today()
    found = Counter(user.school.name if user.school else None for user in User.objects.select_related("school"))
    assert found == expected
    if len(expected) == 1:
        assert School.objects.get().site.is_default_site


def test_every_new_account_on_a_one_school_site_belongs_to_it(tree):
    made = User.objects.create_superuser(username="root", email="root@school.example", password="x")
    assert made.school == only_school()
    SchoolFactory(name="Elm Primary")  # a trust: a new account is filed by whoever makes it
    assert User.objects.create_user(username="new", email="new@trust.example", password="x").school is None
