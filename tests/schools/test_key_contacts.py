"""Key contacts on the staff hub (issue 43): the safeguarding leads, HR and the data protection officer, taken from
who holds each role; in a trust each school's hub names its own, and the central team stands in where a school
has nobody."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from schools.models import School
from sitesetup.setup import add_school
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
ELM = "elm.localhost"


def contacts_on(client, host="localhost"):
    page = client.get("/staff/", HTTP_HOST=host).content.decode()
    start = page.index('id="key-contacts"')
    return page[start : page.index("</section>", start)]


def test_the_hub_names_whoever_holds_each_role_and_nobody_else(client, tree, staff_user):
    dsl = UserFactory(groups=[roles.STAFF, roles.SAFEGUARDING_LEAD], first_name="Priya", last_name="Deputyone")
    UserFactory(groups=[roles.STAFF, roles.SAFEGUARDING_LEAD], last_name="Leftlastyear", is_active=False)
    UserFactory(groups=[roles.STAFF, roles.POLICY_EDITORS], first_name="Helen", last_name="Hrperson")
    UserFactory(groups=[roles.STAFF], last_name="Plainteacher")
    client.force_login(staff_user)
    panel = contacts_on(client)
    assert "Designated safeguarding lead and deputies" in panel and "Priya Deputyone" in panel
    assert f'href="mailto:{dsl.email}"' in panel
    assert "Helen Hrperson" in panel
    assert "Leftlastyear" not in panel and "Plainteacher" not in panel
    # Nobody is the data protection officer yet: said plainly.
    assert "Nobody is named yet" in panel.split("Data protection officer")[1]


def test_a_new_dsl_shows_at_once(client, tree, staff_user):
    client.force_login(staff_user)
    assert "Newdsl" not in contacts_on(client)
    person = UserFactory(groups=[roles.STAFF], last_name="Newdsl")
    person.groups.add(Group.objects.get(name=roles.SAFEGUARDING_LEAD))
    assert "Newdsl" in contacts_on(client)


def test_in_a_trust_each_school_names_its_own_and_the_central_team_stands_in(client, tree, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ELM]
    add_school("Elm Primary", ELM, short_name="Elm")
    oakbrook, elm = School.objects.get(site__is_default_site=True), School.objects.get(name="Elm Primary")
    UserFactory(groups=[roles.STAFF, roles.SAFEGUARDING_LEAD], last_name="Oakdsl", school=oakbrook)
    UserFactory(groups=[roles.STAFF, roles.SAFEGUARDING_LEAD], last_name="Elmdsl", school=elm)
    UserFactory(groups=[roles.STAFF, roles.DATA_PROTECTION_OFFICER], last_name="Trustdpo", in_central_team=True, school=None)
    UserFactory(groups=[roles.STAFF, roles.DATA_PROTECTION_OFFICER], last_name="Elmdpo", school=elm)
    client.force_login(UserFactory(groups=[roles.STAFF], school=elm))
    elm_panel = contacts_on(client, ELM)
    assert "Elmdsl" in elm_panel and "Oakdsl" not in elm_panel
    assert "Elmdpo" in elm_panel and "Trustdpo" not in elm_panel
    client.force_login(UserFactory(groups=[roles.STAFF], school=oakbrook))
    oak_panel = contacts_on(client)
    assert "Oakdsl" in oak_panel and "Elmdsl" not in oak_panel
    # Oakbrook has no data protection officer of its own: the trust's stands in, and the hub says so.
    dpo = oak_panel.split("Data protection officer")[1]
    assert "Trustdpo" in dpo and "the trust's central team" in dpo


def test_the_dsl_answer_points_to_the_key_contacts(client, tree, staff_user):
    from sitesetup.demo_data import answer_rows

    row = next(r for r in answer_rows() if r["question"] == "Who is the designated safeguarding lead?")
    assert "Key contacts on the staff hub" in row["answer"]
