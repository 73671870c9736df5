"""In a trust, every admin screen a school's people can open shows only their own schools' pages (issue 41,
finding 9: the page chooser listed another school's staff-only titles and addresses). The walk opens every admin
address the URL resolver knows, pointed at the other school's pages, and every listing with a search for the other
school's page title, for each of a school's privileged roles (the governor with a password only, as found)."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from accounts import roles
from schools.models import School
from sitesetup.setup import add_school
from tests.accounts.factories import UserFactory
from tests.conftest import sign_in_without_second_step, with_mfa
from tests.guidance.factories import make_answer
from tests.urlwalk import every_route

pytestmark = pytest.mark.django_db
ELM = "elm.localhost"
SECRET = "Giraffecode"  # searched for, in the title of Elm's staff-only pages
TITLES = (b"the Giraffecode kept", b"Giraffecode for governors")  # never on an Oakbrook person's screen
NOT_WALKED = ("logout", "failwhale", "sprite", "jsi18n")


@pytest.fixture
def trust(tree, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ELM]
    elm_tree, _ = add_school("Elm Primary", ELM, short_name="Elm")
    oakbrook = School.objects.get(site__is_default_site=True)
    answer = make_answer(elm_tree.staff_guidance, f"Where is the {SECRET} kept", answer="<p>Elm office.</p>")
    private = make_answer(elm_tree.parents_guidance, f"{SECRET} for governors", audience="parents")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    def person(*groups, mfa=True):
        user = UserFactory(groups=[roles.STAFF, *groups], school=oakbrook)
        return with_mfa(user) if mfa else user

    people = {
        "hr": person(roles.POLICY_EDITORS),
        "head": person(roles.SENIOR_LEADERS),
        "dsl": person(roles.SAFEGUARDING_LEAD),
        "site_admin": person(roles.SITE_ADMINS),
        "governor": person(roles.GOVERNORS, mfa=False),
    }
    return {"elm_tree": elm_tree, "answer": answer, "people": people}


def admin_addresses(trust):
    values = {
        "page_id": trust["answer"].pk,
        "parent_page_id": trust["elm_tree"].staff_guidance.pk,
        "pk": trust["answer"].pk,
        "parent_id": trust["elm_tree"].staff_guidance.pk,
    }
    for route in every_route(values):
        if route.route.startswith("admin/") and not any(word in route.route for word in NOT_WALKED):
            yield route.path


@pytest.mark.parametrize("role", ["hr", "head", "dsl", "site_admin", "governor"])
def test_no_admin_screen_shows_another_schools_pages(trust, role):
    client = Client(raise_request_exception=False)
    user = trust["people"][role]
    if role == "governor":
        sign_in_without_second_step(client, user)
    else:
        client.force_login(user)
    leaks = []
    for path in admin_addresses(trust):
        for query in ("", f"?q={SECRET}", f"?q={SECRET.lower()}&p=1"):
            response = client.get(path + query)
            if response.status_code == 200 and any(title in response.content for title in TITLES):
                leaks.append(f"{path}{query}")
    # The page chooser, browsed from the top and searched, as the issue found it.
    for path in (
        "/admin/choose-page/",
        f"/admin/choose-page/{trust['elm_tree'].home.pk}/",
        "/admin/choose-page/search/",
    ):
        response = client.get(path, {"q": SECRET})
        if response.status_code == 200 and any(title in response.content for title in TITLES):
            leaks.append(path)
    assert not leaks, "\n".join(leaks)
